package io.wharf.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds real conda packages with conda-package-handling ({@code cph}), the library conda itself uses to
 * write {@code .conda} and {@code .tar.bz2} files, so Wharf is tested against archives it did not write.
 */
public final class CphPackages {

    // Debian's cph is a script for the system interpreter; a pyenv python3 earlier on PATH lacks the module.
    private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    // The parts end up in a file name; keep them to the characters conda allows there (conda-build's
    // name/version/build checks), which also rules out path separators.
    private static final Pattern NAME = Pattern.compile("[a-z0-9_][a-z0-9_.-]*");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.+!]+");
    private static final Pattern BUILD = Pattern.compile("[A-Za-z0-9_.+]+");
    private static final Pattern SUBDIR = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)?");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Boolean available;

    private CphPackages() {}

    public static boolean available() {
        Boolean known = available;
        if (known == null) {
            known = ExternalProcess.runsSuccessfully(cph("--version"), Duration.ofSeconds(30));
            available = known;
        }
        return known;
    }

    /** Skips the calling test when cph is missing (fails instead where end-to-end tools are required). */
    public static void assumeAvailable() {
        PeerTools.assumeAvailable(available(), "conda-package-handling (cph)");
    }

    /**
     * Builds {@code name-version-build.format} in {@code outDir} and returns its path.
     *
     * @param format "conda" or "tar.bz2"
     */
    public static Path build(Path outDir, String name, String version, String build, int buildNumber,
            String subdir, List<String> depends, String format) throws IOException {
        return build(outDir, name, version, build, buildNumber, subdir, depends, format, Map.of());
    }

    /**
     * As above, with these payload files (path under the prefix to bytes) installed besides the README and
     * listed in {@code info/paths.json} and {@code info/files}.
     */
    public static Path build(Path outDir, String name, String version, String build, int buildNumber,
            String subdir, List<String> depends, String format, Map<String, byte[]> payloadFiles)
            throws IOException {
        check(NAME, name, "name");
        check(VERSION, version, "version");
        check(BUILD, build, "build");
        check(SUBDIR, subdir, "subdir");
        if (!format.equals("conda") && !format.equals("tar.bz2")) {
            throw new IllegalArgumentException("format must be \"conda\" or \"tar.bz2\", not " + format);
        }
        if (!available()) {
            throw new IllegalStateException("conda-package-handling (cph) is not installed for "
                    + SYSTEM_PYTHON + "; install Debian's conda-package-handling (see .ci/install-deps.sh)");
        }
        String filename = name + "-" + version + "-" + build + "." + format;
        Files.createDirectories(outDir);
        Path target = outDir.resolve(filename);

        Path prefix = Files.createTempDirectory("cph-prefix-");
        try {
            layOut(prefix, name, version, build, buildNumber, subdir, depends, payloadFiles);
            List<String> command = cph("create", prefix.toString(), filename,
                    "--out-folder", outDir.toAbsolutePath().toString());
            ExternalProcess.Result result;
            try {
                result = ExternalProcess.run(command, prefix, Map.of(), null, TIMEOUT);
            } catch (IOException notStarted) {
                throw new IllegalStateException("cph could not be started (" + notStarted.getMessage()
                        + "); install Debian's conda-package-handling (see .ci/install-deps.sh)", notStarted);
            }
            if (!result.succeeded()) {
                throw new IllegalStateException("cph create %s failed with exit code %d: %s"
                        .formatted(filename, result.exitCode(), result.stderr().strip()));
            }
            if (!Files.isRegularFile(target)) {
                throw new IllegalStateException("cph create reported success but wrote no " + target
                        + "; stderr: " + result.stderr().strip());
            }
            return target;
        } finally {
            deleteTree(prefix);
        }
    }

    /** What {@code cph x} made of a package: whether it extracted it, and what it said otherwise. */
    public record Extraction(boolean extracted, String error) {}

    /**
     * Extracts {@code pkg} (both components of a .conda) into a fresh folder under {@code workDir} with
     * {@code cph x}, the extraction conda itself performs when it installs a package.
     */
    public static Extraction extract(Path pkg, Path workDir) throws IOException {
        if (!available()) {
            throw new IllegalStateException("conda-package-handling (cph) is not installed for " + SYSTEM_PYTHON);
        }
        Path dest = Files.createTempDirectory(workDir, "cph-x-");
        try {
            ExternalProcess.Result result = ExternalProcess.run(
                    cph("x", pkg.toAbsolutePath().toString(), "--dest", dest.toAbsolutePath().toString()),
                    workDir, Map.of(), null, TIMEOUT);
            String stderr = result.stderr().strip();
            return new Extraction(result.succeeded(), stderr.substring(stderr.lastIndexOf('\n') + 1));
        } finally {
            deleteTree(dest);
        }
    }

    private static void layOut(Path prefix, String name, String version, String build, int buildNumber,
            String subdir, List<String> depends, Map<String, byte[]> extra) throws IOException {
        Map<String, byte[]> payloads = new java.util.TreeMap<>(extra);
        payloads.put("share/" + name + "/README.txt",
                ("%s %s (%s): a package built for Wharf's tests%n".formatted(name, version, build))
                        .getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> p : payloads.entrySet()) {
            Path payloadFile = prefix.resolve(p.getKey()).normalize();
            if (!payloadFile.startsWith(prefix) || p.getKey().startsWith("info/")) {
                throw new IllegalArgumentException("payload path outside the package payload: " + p.getKey());
            }
            Files.createDirectories(payloadFile.getParent());
            Files.write(payloadFile, p.getValue());
        }

        Path info = Files.createDirectories(prefix.resolve("info"));
        Files.write(info.resolve("index.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(indexJson(name, version, build, buildNumber, subdir, depends)));

        ObjectNode paths = JSON.createObjectNode();
        ArrayNode entries = paths.putArray("paths");
        for (Map.Entry<String, byte[]> p : payloads.entrySet()) {
            ObjectNode entry = entries.addObject();
            entry.put("_path", p.getKey());
            entry.put("path_type", "hardlink");
            entry.put("sha256", sha256(p.getValue()));
            entry.put("size_in_bytes", p.getValue().length);
        }
        paths.put("paths_version", 1);
        Files.write(info.resolve("paths.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(paths));
        // conda lists installed files from info/files; cph does not need it, conda clients do.
        Files.writeString(info.resolve("files"), String.join("\n", payloads.keySet()) + "\n");
    }

    private static ObjectNode indexJson(String name, String version, String build, int buildNumber,
            String subdir, List<String> depends) {
        ObjectNode index = JSON.createObjectNode();
        boolean noarch = subdir.equals("noarch");
        // conda-build writes null arch/platform for noarch packages and marks them "noarch": "generic".
        if (noarch) {
            index.putNull("arch");
        } else {
            index.put("arch", arch(subdir));
        }
        index.put("build", build);
        index.put("build_number", buildNumber);
        ArrayNode deps = index.putArray("depends");
        depends.forEach(deps::add);
        index.put("license", "MIT");
        index.put("name", name);
        if (noarch) {
            index.put("noarch", "generic");
            index.putNull("platform");
        } else {
            index.put("platform", subdir.substring(0, subdir.indexOf('-')));
        }
        index.put("subdir", subdir);
        index.put("timestamp", System.currentTimeMillis());
        index.put("version", version);
        return index;
    }

    // conda's subdir -> arch naming (conda/base/context.py): "64" means x86_64 and "32" means x86.
    private static String arch(String subdir) {
        int dash = subdir.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("subdir must be noarch or <platform>-<arch>: " + subdir);
        }
        String suffix = subdir.substring(dash + 1);
        return switch (suffix) {
            case "64" -> "x86_64";
            case "32" -> "x86";
            default -> suffix;
        };
    }

    private static List<String> cph(String... args) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SYSTEM_PYTHON)) {
            command.addAll(List.of(SYSTEM_PYTHON.toString(), "-m", "conda_package_handling.cli"));
        } else {
            command.add("cph");
        }
        command.addAll(List.of(args));
        return command;
    }

    private static void check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid package " + what + ": " + value);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + root, e);
        }
    }
}
