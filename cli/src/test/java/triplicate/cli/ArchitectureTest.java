package triplicate.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of DESIGN.md, checked on the production classes of every module (this module's test class path
 * holds them all; test classes, including core's test-jar, are left out).
 */
class ArchitectureTest {
    private static final String[] ENGINE = {"triplicate.archiver..", "triplicate.restorer..",
        "triplicate.maintenance..", "triplicate.policy.."};
    private static final String[] APP = {"triplicate.app..", "triplicate.config..", "triplicate.scheduler.."};
    private static final String[] FRONT = {"triplicate.cli..", "triplicate.server.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
                .importPackages("triplicate");
    }

    /**
     * java.io exceptions are allowed (Jackson's parsers and channels declare IOException), and so are the types
     * that serialization hooks must name: DestroyableKey blocks serialization of key material with a private
     * writeObject(ObjectOutputStream), and keys are Serializable through javax.crypto.SecretKey.
     */
    private static final DescribedPredicate<JavaClass> IO_EXCEPTION_OR_SERIALIZATION_HOOK =
            assignableTo(Throwable.class).or(assignableTo(ObjectOutputStream.class))
                    .or(assignableTo(ObjectInputStream.class)).or(JavaClass.Predicates.equivalentTo(Serializable.class));

    @Test
    void theRulesSeeEveryModuleAndNoTestCode() {
        for (String name : new String[] {"triplicate.crypto.KeyFiles", "triplicate.chunker.Chunker",
            "triplicate.backend.local.LocalBackend", "triplicate.backend.sftp.SftpBackend",
            "triplicate.backend.rclone.RcloneBackend", "triplicate.backend.s3.S3Backend",
            "triplicate.backend.azure.AzureBackend",
            "triplicate.repository.Repository", "triplicate.archiver.Archiver",
            "triplicate.restorer.Restorer", "triplicate.maintenance.Checker", "triplicate.app.VaultService",
            "triplicate.metadata.MetadataReader", "triplicate.catalog.Catalog", "triplicate.app.CatalogService",
            "triplicate.cli.Main"}) {
            org.assertj.core.api.Assertions.assertThat(classes.contain(name)).as(name).isTrue();
        }
        org.assertj.core.api.Assertions.assertThat(classes.contain("triplicate.backend.testkit.BackendContractTest"))
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(classes.contain("triplicate.backend.sftp.MinaSftpServer")).isFalse();
        org.assertj.core.api.Assertions.assertThat(classes.contain("triplicate.backend.rclone.RcloneRemote")).isFalse();
        org.assertj.core.api.Assertions.assertThat(classes.contain("triplicate.backend.azure.AzuriteServer")).isFalse();
        org.assertj.core.api.Assertions.assertThat(classes.contain(ArchitectureTest.class)).isFalse();
    }

    @Test
    void cryptoDoesNoIo() {
        noClasses().that().resideInAPackage("triplicate.crypto..")
                .should().dependOnClassesThat(resideInAnyPackage("java.nio.file..", "java.nio.channels..", "java.net..")
                        .or(resideInAPackage("java.io").and(not(IO_EXCEPTION_OR_SERIALIZATION_HOOK))))
                .because("crypto turns bytes into bytes; the caller decides where they are stored (DESIGN.md)")
                .check(classes);
    }

    @Test
    void chunkerReadsOnlyTheChannelItIsHanded() {
        noClasses().that().resideInAPackage("triplicate.chunker..")
                .should().dependOnClassesThat(resideInAnyPackage("java.nio.file..", "java.net..")
                        .or(resideInAPackage("java.io").and(not(IO_EXCEPTION_OR_SERIALIZATION_HOOK))))
                .because("the chunker reads the java.nio.channels channel it is handed and never opens a file")
                .check(classes);
    }

    @Test
    void backendsMoveOpaqueBytes() {
        noClasses().that().resideInAPackage("triplicate.backend..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(new String[] {"triplicate.repository..",
                    "triplicate.snapshot..", "triplicate.crypto..", "triplicate.chunker.."}, ENGINE, APP, FRONT))
                .because("backends know nothing of packs, snapshots or photos (DESIGN.md)")
                .check(classes);
    }

    @Test
    void repositoryKnowsNothingOfTheLayersAbove() {
        noClasses().that().resideInAnyPackage("triplicate.repository..", "triplicate.snapshot..",
                        "triplicate.core..", "triplicate.crypto..", "triplicate.chunker..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(ENGINE, APP, FRONT))
                .because("core may depend on the JDK, zstd and a KDF library only")
                .check(classes);
    }

    @Test
    void engineDoesNotKnowTheAppOrTheFrontEnds() {
        noClasses().that().resideInAnyPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage(concat(APP, FRONT))
                .check(classes);
    }

    @Test
    void appDoesNotKnowTheFrontEnds() {
        noClasses().that().resideInAnyPackage(APP)
                .should().dependOnClassesThat().resideInAnyPackage(FRONT)
                .because("the CLI and the web call app, never the other way round")
                .check(classes);
    }

    @Test
    void theCliWorksThroughTheAppOnly() {
        noClasses().that().resideInAPackage("triplicate.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("triplicate.repository..", "triplicate.backend..")
                .orShould().dependOnClassesThat().haveSimpleName("Archiver")
                .orShould().dependOnClassesThat().haveSimpleName("Restorer")
                .orShould().dependOnClassesThat().haveSimpleName("Checker")
                .orShould().dependOnClassesThat().haveSimpleName("Importer")
                .because("the CLI, the daemon and the REST API run the same use cases in app, so they cannot drift apart;"
                        + " the CLI may name the values those use cases return")
                .check(classes);
    }

    @Test
    void photoCodeNeverOpensAVault() {
        noClasses().that().resideInAnyPackage("triplicate.metadata..", "triplicate.catalog..", "triplicate.importer..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(new String[] {"triplicate.repository..",
                    "triplicate.backend..", "triplicate.snapshot..", "triplicate.crypto..", "triplicate.chunker.."},
                    ENGINE, APP, FRONT))
                .because("photos depends on the core vocabulary only; the catalog links to snapshots by id (DESIGN.md)")
                .check(classes);
    }

    @Test
    void metadataKnowsNothingOfTheCatalogOrImports() {
        noClasses().that().resideInAPackage("triplicate.metadata..")
                .should().dependOnClassesThat().resideInAnyPackage("triplicate.catalog..", "triplicate.importer..")
                .because("what a file says about itself does not depend on where it is kept")
                .check(classes);
    }

    @Test
    void theImporterDeclaresWhatItNeedsAndKnowsNoCatalogMetadataLibraryOrVault() {
        noClasses().that().resideInAPackage("triplicate.importer..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(new String[] {"triplicate.catalog..",
                    "triplicate.metadata..", "com.drew..", "java.sql..", "triplicate.repository..", "triplicate.backend..",
                    "triplicate.snapshot..", "triplicate.crypto..", "triplicate.chunker.."}, ENGINE, APP, FRONT))
                .because("the importer asks for capture facts and a ledger through its own small interfaces"
                        + " (MetadataSource, ImportLedger); the composition root adapts the reader and the catalog")
                .check(classes);
    }

    @Test
    void noCyclesBetweenTopLevelPackages() {
        slices().matching("triplicate.(*)..").should().beFreeOfCycles().check(classes);
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
