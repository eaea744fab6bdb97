package io.agentledger.standalone;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The module boundaries that keep the two deployables independent. */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.agentledger");

    @Test
    void theCommandSideNeverDependsOnTheQuerySide() {
        noClasses().that().resideInAPackage("io.agentledger.command..")
                .should().dependOnClassesThat().resideInAPackage("io.agentledger.query..")
                .check(PRODUCTION);
    }

    @Test
    void theQuerySideNeverDependsOnTheCommandSide() {
        noClasses().that().resideInAPackage("io.agentledger.query..")
                .should().dependOnClassesThat().resideInAPackage("io.agentledger.command..")
                .check(PRODUCTION);
    }

    @Test
    void sharedApiDependsOnNeitherSpringNorPersistence() {
        noClasses().that().resideInAPackage("io.agentledger.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                        "javax.persistence..", "java.sql..", "javax.sql..", "org.hibernate..", "org.flywaydb..")
                .check(PRODUCTION);
    }

    @Test
    void sharedApiHoldsRecordsEnumsAndInterfacesOnly() {
        classes().that().resideInAPackage("io.agentledger.api..")
                .and(new DescribedPredicate<JavaClass>("are top-level") {
                    @Override
                    public boolean test(JavaClass javaClass) {
                        return javaClass.isTopLevelClass();
                    }
                })
                .should(beRecordsEnumsOrInterfaces())
                .check(PRODUCTION);
    }

    @Test
    void neitherSideReachesIntoTheStandaloneLauncher() {
        noClasses().that().resideInAnyPackage("io.agentledger.command..", "io.agentledger.query..",
                        "io.agentledger.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.agentledger.standalone..",
                        "io.agentledger.embedded..")
                .check(PRODUCTION);
    }

    private static ArchCondition<JavaClass> beRecordsEnumsOrInterfaces() {
        return new ArchCondition<>("be records, enums or interfaces") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                boolean ok = javaClass.isEnum() || javaClass.isInterface() || javaClass.reflect().isRecord();
                events.add(new SimpleConditionEvent(javaClass, ok, javaClass.getName() + " is "
                        + (ok ? "" : "not ") + "a record, enum or interface"));
            }
        };
    }
}
