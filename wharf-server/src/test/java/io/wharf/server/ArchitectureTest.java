package io.wharf.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md section 3, kept by a tool instead of by review. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.conda", "io.wharf.server");
    // Guard against a rule passing because nothing was imported (e.g. wharf-conda missing from the path).
    assertThat(classes.containPackage("io.wharf.conda.archive")).isTrue();
    assertThat(classes.containPackage("io.wharf.server.web")).isTrue();
  }

  @Test
  void condaFormatLibraryKnowsNothingOfServerHttpSqlOrStorage() {
    noClasses().that().resideInAPackage("io.wharf.conda..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.wharf.server..", "io.javalin..", "org.eclipse.jetty..", "java.net.http..",
            "java.sql..", "javax.sql..", "org.jdbi..", "software.amazon..")
        .because("wharf-conda is the pure conda format library")
        .check(classes);
  }

  @Test
  void javalinAndJettyAreUsedOnlyInTheWebPackage() {
    noClasses().that().resideInAPackage("io.wharf..").and().resideOutsideOfPackage("io.wharf.server.web..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..")
        .because("no HTTP types below web/")
        .check(classes);
  }

  @Test
  void onlyTheApplicationRootReachesIntoTheWebPackage() {
    noClasses().that().resideInAPackage("io.wharf.server.(*)..").and().resideOutsideOfPackage("io.wharf.server.web..")
        .should().dependOnClassesThat().resideInAPackage("io.wharf.server.web..")
        .because("features are called by routes, never the other way round")
        .check(classes);
  }

  @Test
  void sqlStaysInTheDatabasePackageAndJdbcRepositories() {
    noClasses().that().resideInAPackage("io.wharf..").and().resideOutsideOfPackage("io.wharf.server.db..")
        .and().resideOutsideOfPackage("io.wharf.server.(*).jdbc..")
        .and().haveSimpleNameNotStartingWith("Jdbc")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.jdbi..",
            "org.flywaydb..", "com.zaxxer..")
        .because("adapters are named by technology: Jdbc*Repository, or a feature's jdbc/ package")
        .check(classes);
  }

  @Test
  void theAwsSdkIsUsedOnlyByTheS3Adapter() {
    noClasses().that().resideInAPackage("io.wharf..").and().resideOutsideOfPackage("io.wharf.server.storage.s3..")
        .should().dependOnClassesThat().resideInAPackage("software.amazon..")
        .check(classes);
  }

  @Test
  void nothingIsRenderedWithAwtAtRunTime() {
    // Badge text widths come from a committed table; AWT measures fonts only in the test-side generator.
    noClasses().that().resideInAPackage("io.wharf..")
        .should().dependOnClassesThat().resideInAnyPackage("java.awt..", "javax.imageio..")
        .check(classes);
  }

  @Test
  void picocliIsUsedOnlyByTheCommandLine() {
    noClasses().that().resideInAPackage("io.wharf..")
        .and().resideOutsideOfPackages("io.wharf.server", "io.wharf.server.cli..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(classes);
  }

  @Test
  void serverFeaturePackagesFormNoCycles() {
    slices().matching("io.wharf.server.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void condaPackagesFormNoCycles() {
    slices().matching("io.wharf.conda.(*)..").should().beFreeOfCycles().check(classes);
  }
}
