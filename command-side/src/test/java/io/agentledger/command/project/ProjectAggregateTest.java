package io.agentledger.command.project;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.project.ArchiveProjectCommand;
import io.agentledger.api.project.ChangeProjectDetailsCommand;
import io.agentledger.api.project.CreateProjectCommand;
import io.agentledger.api.project.PlanItem;
import io.agentledger.api.project.PlanPhase;
import io.agentledger.api.project.ProjectArchivedEvent;
import io.agentledger.api.project.ProjectPlanRecordedEvent;
import io.agentledger.api.project.RecordProjectPlanCommand;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.ProjectDetailsChangedEvent;
import io.agentledger.api.project.ProjectStatus;
import io.agentledger.api.project.ProjectView;
import io.agentledger.command.DomainException;
import io.agentledger.command.DomainMatchers;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Matcher;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectAggregateTest {

    private static final String ID = "3f1c2a4e-0000-4000-8000-000000000001";
    private static final String TENANT = "tenant-a";

    private FixtureConfiguration<Project> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Project.class);
    }

    @Test
    void createsAProjectWithATrimmedNameAtVersionZero() {
        fixture.givenNoPriorActivity()
                .when(new CreateProjectCommand(ID, TENANT, "  Apollo ", "to the moon"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ProjectCreatedEvent(ID, TENANT, "Apollo", "to the moon"))
                .expectResultMessagePayloadMatching(view(p -> p.id().equals(ID) && p.version() == 0
                        && p.status() == ProjectStatus.ACTIVE && p.name().equals("Apollo")
                        && p.createdAt() != null && p.taskCounts() == null));
    }

    @Test
    void refusesABlankName() {
        fixture.givenNoPriorActivity()
                .when(new CreateProjectCommand(ID, TENANT, "   ", null))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectExceptionMessage("name must be 1 to 200 characters");
    }

    @Test
    void refusesATooLongNameAndDescription() {
        fixture.givenNoPriorActivity()
                .when(new CreateProjectCommand(ID, TENANT, "x".repeat(201), null))
                .expectException(DomainException.class);
        fixture.givenNoPriorActivity()
                .when(new CreateProjectCommand(ID, TENANT, "ok", "d".repeat(10_001)))
                .expectNoEvents()
                .expectExceptionMessage("description must be at most 10000 characters");
    }

    @Test
    void renamesAndRedescribesKeepingWhatIsNotSent() {
        fixture.given(created())
                .when(new ChangeProjectDetailsCommand(ID, TENANT, "Gemini", null))
                .expectEvents(new ProjectDetailsChangedEvent(ID, TENANT, "Gemini", "to the moon"))
                .expectResultMessagePayloadMatching(view(p -> p.version() == 1 && p.name().equals("Gemini")));
    }

    @Test
    void aChangeThatChangesNothingRecordsNothing() {
        fixture.given(created())
                .when(new ChangeProjectDetailsCommand(ID, TENANT, "Apollo", "to the moon"))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(view(p -> p.version() == 0));
    }

    @Test
    void refusesChangesToAnArchivedProject() {
        fixture.given(created(), new ProjectArchivedEvent(ID, TENANT))
                .when(new ChangeProjectDetailsCommand(ID, TENANT, "Gemini", null))
                .expectNoEvents()
                .expectException(codeIs(ErrorCode.PROJECT_ARCHIVED));
    }

    @Test
    void archivesOnceAndIgnoresASecondArchive() {
        fixture.given(created())
                .when(new ArchiveProjectCommand(ID, TENANT))
                .expectEvents(new ProjectArchivedEvent(ID, TENANT))
                .expectResultMessagePayloadMatching(view(p -> p.status() == ProjectStatus.ARCHIVED && p.version() == 1));
        fixture.given(created(), new ProjectArchivedEvent(ID, TENANT))
                .when(new ArchiveProjectCommand(ID, TENANT))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(view(p -> p.version() == 1));
    }

    @Test
    void aPlanLayoutIsRecordedWhenItChangesAndOnlyForAnActiveProjectOfTheTenant() {
        List<PlanPhase> plan = List.of(new PlanPhase("Phase 1: Setup",
                List.of(new PlanItem("task-1", "T001", null, false, null, List.of()))));
        List<PlanPhase> changed = List.of(new PlanPhase("Phase 1: Setup",
                List.of(new PlanItem("task-1", "T001", null, true, null, List.of()))));
        fixture.given(created())
                .when(new RecordProjectPlanCommand(ID, TENANT, plan))
                .expectEvents(new ProjectPlanRecordedEvent(ID, TENANT, plan))
                .expectResultMessagePayloadMatching(view(p -> p.version() == 1));
        fixture.given(created(), new ProjectPlanRecordedEvent(ID, TENANT, plan))
                .when(new RecordProjectPlanCommand(ID, TENANT, plan))
                .expectNoEvents();
        fixture.given(created(), new ProjectPlanRecordedEvent(ID, TENANT, plan))
                .when(new RecordProjectPlanCommand(ID, TENANT, changed))
                .expectEvents(new ProjectPlanRecordedEvent(ID, TENANT, changed));
        fixture.given(created(), new ProjectArchivedEvent(ID, TENANT))
                .when(new RecordProjectPlanCommand(ID, TENANT, plan))
                .expectException(codeIs(ErrorCode.PROJECT_ARCHIVED));
        fixture.given(created())
                .when(new RecordProjectPlanCommand(ID, "tenant-b", plan))
                .expectException(codeIs(ErrorCode.NOT_FOUND));
    }

    @Test
    void anotherTenantSeesNoSuchProject() {
        fixture.given(created())
                .when(new ArchiveProjectCommand(ID, "tenant-b"))
                .expectNoEvents()
                .expectException(codeIs(ErrorCode.NOT_FOUND));
        fixture.given(created())
                .when(new ChangeProjectDetailsCommand(ID, "tenant-b", "Stolen", null))
                .expectNoEvents()
                .expectException(codeIs(ErrorCode.NOT_FOUND));
    }

    private static ProjectCreatedEvent created() {
        return new ProjectCreatedEvent(ID, TENANT, "Apollo", "to the moon");
    }

    private static Matcher<Object> view(Predicate<ProjectView> check) {
        return DomainMatchers.resultMatching(ProjectView.class, check);
    }

    private static Matcher<DomainException> codeIs(ErrorCode code) {
        return DomainMatchers.hasCode(code);
    }

    @Test
    void viewReflectsTheLatestState() {
        fixture.given(created(), new ProjectDetailsChangedEvent(ID, TENANT, "Gemini", "orbit"))
                .when(new ChangeProjectDetailsCommand(ID, TENANT, null, "rendezvous"))
                .expectEvents(new ProjectDetailsChangedEvent(ID, TENANT, "Gemini", "rendezvous"))
                .expectResultMessagePayloadMatching(view(p -> {
                    assertThat(p.description()).isEqualTo("rendezvous");
                    return p.version() == 2;
                }));
    }
}
