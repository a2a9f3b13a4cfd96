package io.wharf.conda.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a record's {@code depends} and {@code constrains} entries are all MatchSpecs (CEP 29). A solver
 * parses every entry of every record it reads, and conda and rattler refuse a whole repodata file over one
 * entry they cannot parse, so a server must not publish such an entry.
 */
public final class RecordSpecs {

    private static final int SHOWN = 120;

    private RecordSpecs() {
    }

    /** One entry that is not a MatchSpec, with the parser's reason. */
    public record Problem(String field, String entry, String reason) {

        /** For people: which field, the entry (shortened, control characters escaped) and why. */
        public String message() {
            return field + " entry '" + shown(entry) + "' is not a valid MatchSpec (CEP 29): " + reason;
        }

        /** For API clients: {@code field}, {@code entry} and {@code reason}. */
        public Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("field", field);
            details.put("entry", shown(entry));
            details.put("reason", reason);
            return details;
        }
    }

    /** The first entry of {@code depends}, then of {@code constrains}, that does not parse; empty if none. */
    public static Optional<Problem> firstInvalid(List<String> depends, List<String> constrains) {
        Optional<Problem> problem = firstInvalid(Requirement.DEPENDS, depends);
        return problem.isPresent() ? problem : firstInvalid(Requirement.CONSTRAINS, constrains);
    }

    private static Optional<Problem> firstInvalid(String field, List<String> entries) {
        for (String entry : entries) {
            try {
                MatchSpec.parse(entry);
            } catch (InvalidSpecException e) {
                return Optional.of(new Problem(field, entry, e.reason()));
            } catch (IllegalArgumentException e) {
                return Optional.of(new Problem(field, entry, String.valueOf(e.getMessage())));
            }
        }
        return Optional.empty();
    }

    private static String shown(String entry) {
        String oneLine = entry.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > SHOWN ? oneLine.substring(0, SHOWN) + "..." : oneLine;
    }
}
