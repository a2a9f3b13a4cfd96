package io.wharf.conda.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSpecsTest {

    @Test
    void realisticDependsAndConstrainsPass() {
        assertThat(RecordSpecs.firstInvalid(
                List.of("python >=3.6,<3.7.0a0", "numpy >=1.21,<2 py39*", "__glibc >=2.17", "foo=1.0=py27_0",
                        "pkg[version='>=1',build=py*]", "conda-forge::zlib 1.2.*"),
                List.of("openssl >=1.1.1,<1.1.2a", "pytorch * cuda*"))).isEmpty();
    }

    @Test
    void namesTheFieldTheEntryAndTheParseError() {
        RecordSpecs.Problem problem = RecordSpecs.firstInvalid(List.of("python", "foo<script>"), List.of())
                .orElseThrow();

        assertThat(problem.field()).isEqualTo("depends");
        assertThat(problem.entry()).isEqualTo("foo<script>");
        assertThat(problem.message()).isEqualTo("depends entry 'foo<script>' is not a valid MatchSpec (CEP 29):"
                + " bad version '<script>': bad version 'script>' (only letters, digits, '.', '_', '+' and '!'"
                + " are allowed)");
        assertThat(problem.details()).containsEntry("field", "depends").containsEntry("entry", "foo<script>")
                .containsKey("reason");
    }

    @Test
    void checksConstrainsAfterDepends() {
        RecordSpecs.Problem problem = RecordSpecs.firstInvalid(List.of("python"), List.of("bar >=1,<")).orElseThrow();

        assertThat(problem.field()).isEqualTo("constrains");
        assertThat(problem.message()).startsWith("constrains entry 'bar >=1,<' is not a valid MatchSpec (CEP 29): ");
    }

    @Test
    void emptyEntriesAndControlCharactersAreShownSafely() {
        assertThat(RecordSpecs.firstInvalid(List.of(""), List.of()).orElseThrow().message())
                .isEqualTo("depends entry '' is not a valid MatchSpec (CEP 29): empty spec");
        String hostile = "foo <1\n" + "x".repeat(300);
        RecordSpecs.Problem problem = RecordSpecs.firstInvalid(List.of(hostile), List.of()).orElseThrow();
        assertThat(problem.message()).doesNotContain("\n").contains("foo <1?xxx").contains("...");
        assertThat((String) problem.details().get("entry")).hasSize(123);
    }
}
