package io.agentledger.command.task;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.task.CancelTaskCommand;
import io.agentledger.api.task.ClaimTaskCommand;
import io.agentledger.api.task.CompleteTaskCommand;
import io.agentledger.api.task.CreateTaskCommand;
import io.agentledger.api.task.EditTaskCommand;
import io.agentledger.api.task.ExpireTaskLeaseCommand;
import io.agentledger.api.task.FailTaskCommand;
import io.agentledger.api.task.HeartbeatTaskCommand;
import io.agentledger.api.task.Learning;
import io.agentledger.api.task.MarkTaskCompletedCommand;
import io.agentledger.api.task.ReleaseTaskCommand;
import io.agentledger.api.task.SatisfyDependencyCommand;
import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskCancelledEvent;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskDependencySatisfiedEvent;
import io.agentledger.api.task.TaskEditedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskLeaseExtendedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskUnblockedEvent;
import io.agentledger.api.task.TaskView;
import io.agentledger.command.DomainException;
import io.agentledger.command.DomainMatchers;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

class TaskAggregateTest {

    private static final String ID = "0b6c9a44-0000-4000-8000-000000000001";
    private static final String DEP = "0b6c9a44-0000-4000-8000-000000000002";
    private static final String DEP2 = "0b6c9a44-0000-4000-8000-000000000003";
    private static final String TENANT = "tenant-a";
    private static final String PROJECT = "project-1";
    private static final String AGENT = "agent-1";
    private static final String LEASE = "lease-1";
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private FixtureConfiguration<Task> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Task.class);
    }

    @Test
    void aTaskWithoutUnmetDependenciesStartsReadyWithNormalizedFields() {
        fixture.givenNoPriorActivity()
                .when(create(List.of(), List.of()))
                .expectEvents(new TaskCreatedEvent(ID, TENANT, PROJECT, "Build it", null, TaskPriority.HIGH,
                        List.of("backend"), List.of("java"), List.of(), List.of(), "T001", 3, 60, TaskStatus.READY))
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.READY && t.version() == 0));
    }

    @Test
    void unmetDependenciesBlockUntilTheLastIsSatisfiedOnce() {
        fixture.givenNoPriorActivity()
                .when(create(List.of(DEP, DEP2), List.of(DEP, DEP2)))
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.BLOCKED));
        fixture.given(created(List.of(DEP, DEP2), TaskStatus.BLOCKED))
                .when(new SatisfyDependencyCommand(ID, DEP))
                .expectEvents(new TaskDependencySatisfiedEvent(ID, TENANT, PROJECT, DEP));
        fixture.given(created(List.of(DEP, DEP2), TaskStatus.BLOCKED),
                        new TaskDependencySatisfiedEvent(ID, TENANT, PROJECT, DEP))
                .when(new SatisfyDependencyCommand(ID, DEP2))
                .expectEvents(new TaskDependencySatisfiedEvent(ID, TENANT, PROJECT, DEP2),
                        new TaskUnblockedEvent(ID, TENANT, PROJECT));
        fixture.given(created(List.of(DEP, DEP2), TaskStatus.BLOCKED),
                        new TaskDependencySatisfiedEvent(ID, TENANT, PROJECT, DEP))
                .when(new SatisfyDependencyCommand(ID, DEP))
                .expectNoEvents();
    }

    @Test
    void invalidFieldsAreRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateTaskCommand(ID, TENANT, PROJECT, " ", null, null, null, null, List.of(), List.of(),
                        null, 3, 60))
                .expectNoEvents()
                .expectException(code(ErrorCode.VALIDATION_FAILED));
        fixture.givenNoPriorActivity()
                .when(new CreateTaskCommand(ID, TENANT, PROJECT, "ok", null, null, null, null, List.of(), List.of(),
                        null, 0, 60))
                .expectException(code(ErrorCode.VALIDATION_FAILED));
        fixture.givenNoPriorActivity()
                .when(new CreateTaskCommand(ID, TENANT, PROJECT, "ok", null, null, null, null, List.of(), List.of(),
                        null, 3, 5))
                .expectException(code(ErrorCode.VALIDATION_FAILED));
    }

    @Test
    void aReadyTaskIsClaimedUnderALease() {
        fixture.given(ready())
                .when(claim(AGENT, List.of("java", "db"), null))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                new CustomTypeSafeMatcher<TaskClaimedEvent>("a claim") {
                                    @Override
                                    protected boolean matchesSafely(TaskClaimedEvent e) {
                                        return e.agentId().equals(AGENT) && e.leaseId().equals(LEASE)
                                                && e.attempt() == 1 && e.leaseSeconds() == 60;
                                    }
                                }),
                        org.axonframework.test.matchers.Matchers.andNoMore()))
                .expectNoScheduledDeadlines()
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.IN_PROGRESS
                        && t.claim().leaseId().equals(LEASE) && t.attempts() == 1));
    }

    @Test
    void onlyReadyTasksWithMatchingCapabilitiesAreClaimable() {
        fixture.given(ready())
                .when(claim(AGENT, List.of("db"), null))
                .expectNoEvents()
                .expectException(code(ErrorCode.CAPABILITY_MISMATCH));
        fixture.given(ready(), claimed())
                .when(claim("agent-2", List.of("java"), null))
                .expectNoEvents()
                .expectException(code(ErrorCode.TASK_NOT_CLAIMABLE))
                .expectExceptionMessage("Task " + ID + " is claimed by another agent");
        fixture.given(created(List.of(DEP), TaskStatus.BLOCKED))
                .when(claim(AGENT, List.of("java"), null))
                .expectException(code(ErrorCode.TASK_NOT_CLAIMABLE));
        fixture.given(ready(), claimed(), completed())
                .when(claim(AGENT, List.of("java"), null))
                .expectException(code(ErrorCode.TASK_NOT_CLAIMABLE));
        fixture.given(ready())
                .when(new ClaimTaskCommand(ID, "tenant-b", AGENT, List.of("java"), LEASE, null))
                .expectException(code(ErrorCode.NOT_FOUND));
    }

    @Test
    void heartbeatsExtendTheLeaseOfTheClaimantOnly() {
        fixture.given(ready(), claimed())
                .when(new HeartbeatTaskCommand(ID, TENANT, AGENT, LEASE))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.instanceOf(TaskLeaseExtendedEvent.class)),
                        org.axonframework.test.matchers.Matchers.andNoMore()));
        fixture.given(ready(), claimed())
                .when(new HeartbeatTaskCommand(ID, TENANT, "agent-2", LEASE))
                .expectNoEvents()
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
        fixture.given(ready(), claimed())
                .when(new HeartbeatTaskCommand(ID, TENANT, AGENT, "old-lease"))
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
    }

    @Test
    void completingRecordsResultAndLearnings() {
        List<Learning> learnings = List.of(new Learning(" Cache it ", "Use a cache", List.of(" Perf ")));
        fixture.given(ready(), claimed())
                .when(new CompleteTaskCommand(ID, TENANT, AGENT, LEASE, "done", learnings))
                .expectEvents(new TaskCompletedEvent(ID, TENANT, PROJECT, AGENT, LEASE, "done",
                        List.of(new Learning("Cache it", "Use a cache", List.of("perf")))))
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.COMPLETED
                        && t.claim() == null && "done".equals(t.result())));
        fixture.given(ready(), claimed(), completed())
                .when(new CompleteTaskCommand(ID, TENANT, AGENT, LEASE, "again", List.of()))
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
    }

    @Test
    void failingRetriesWhileAttemptsRemainThenFails() {
        fixture.given(ready(), claimed())
                .when(new FailTaskCommand(ID, TENANT, AGENT, LEASE, "flaky", true))
                .expectEvents(new TaskAttemptFailedEvent(ID, TENANT, PROJECT, AGENT, LEASE, 1, "flaky", true))
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.READY
                        && "flaky".equals(t.failureReason())));
        fixture.given(ready(), claimed())
                .when(new FailTaskCommand(ID, TENANT, AGENT, LEASE, "broken", false))
                .expectEvents(new TaskAttemptFailedEvent(ID, TENANT, PROJECT, AGENT, LEASE, 1, "broken", false));
        fixture.given(ready(), claimedAttempt(1), failed(1), claimedAttempt(2), failed(2), claimedAttempt(3))
                .when(new FailTaskCommand(ID, TENANT, AGENT, LEASE, "third", true))
                .expectEvents(new TaskAttemptFailedEvent(ID, TENANT, PROJECT, AGENT, LEASE, 3, "third", false))
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.FAILED));
    }

    @Test
    void releasingGivesTheTaskBackWithoutCountingTheAttempt() {
        fixture.given(ready(), claimed())
                .when(new ReleaseTaskCommand(ID, TENANT, AGENT, LEASE, false))
                .expectEvents(new TaskReleasedEvent(ID, TENANT, PROJECT, AGENT, LEASE, AGENT))
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.READY && t.attempts() == 0));
        fixture.given(ready(), claimed())
                .when(new ReleaseTaskCommand(ID, TENANT, "admin-1", null, true))
                .expectEvents(new TaskReleasedEvent(ID, TENANT, PROJECT, AGENT, LEASE, "admin-1"));
        fixture.given(ready())
                .when(new ReleaseTaskCommand(ID, TENANT, "admin-1", null, true))
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
        fixture.given(ready(), claimed())
                .when(new ReleaseTaskCommand(ID, TENANT, "agent-2", LEASE, false))
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
    }

    @Test
    void cancellingAndEditingStopAtTerminalStates() {
        fixture.given(ready())
                .when(new CancelTaskCommand(ID, TENANT, "obsolete"))
                .expectEvents(new TaskCancelledEvent(ID, TENANT, PROJECT, "obsolete"));
        fixture.given(ready(), new TaskCancelledEvent(ID, TENANT, PROJECT, null))
                .when(new CancelTaskCommand(ID, TENANT, null))
                .expectException(code(ErrorCode.TASK_TERMINAL));
        fixture.given(ready())
                .when(new EditTaskCommand(ID, TENANT, "Renamed", null, TaskPriority.CRITICAL, List.of("X")))
                .expectEvents(new TaskEditedEvent(ID, TENANT, PROJECT, "Renamed", null, TaskPriority.CRITICAL,
                        List.of("x")));
        fixture.given(ready(), claimed(), completed())
                .when(new EditTaskCommand(ID, TENANT, "Renamed", null, null, null))
                .expectException(code(ErrorCode.TASK_TERMINAL));
    }

    @Test
    void anImportedPlanMarksATaskCompletedWithoutAClaimOnceAndNeverAFinishedOne() {
        TaskCompletedEvent markedDone = new TaskCompletedEvent(ID, TENANT, PROJECT, null, null, null, List.of());
        fixture.given(created(List.of(DEP), TaskStatus.BLOCKED))
                .when(new MarkTaskCompletedCommand(ID, TENANT))
                .expectEvents(markedDone)
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.COMPLETED && t.claim() == null));
        fixture.given(ready(), claimed())
                .when(new MarkTaskCompletedCommand(ID, TENANT))
                .expectEvents(markedDone)
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.COMPLETED && t.claim() == null));
        fixture.given(ready(), markedDone)
                .when(new MarkTaskCompletedCommand(ID, TENANT))
                .expectNoEvents();
        fixture.given(ready(), new TaskCancelledEvent(ID, TENANT, PROJECT, null))
                .when(new MarkTaskCompletedCommand(ID, TENANT))
                .expectException(code(ErrorCode.TASK_TERMINAL));
        fixture.given(ready())
                .when(new MarkTaskCompletedCommand(ID, "tenant-b"))
                .expectNoEvents()
                .expectException(code(ErrorCode.NOT_FOUND));
    }

    @Test
    void anExpiredLeaseReturnsTheTaskWithTheAttemptCounted() {
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)))
                .andGivenCurrentTime(T0.plusSeconds(61))
                .when(expire(LEASE))
                .expectEvents(new TaskLeaseExpiredEvent(ID, TENANT, PROJECT, AGENT, LEASE, 1, true));
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)))
                .andGivenCurrentTime(T0.plusSeconds(60))
                .when(expire(LEASE))
                .expectEvents(new TaskLeaseExpiredEvent(ID, TENANT, PROJECT, AGENT, LEASE, 1, true));
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)), expired(1))
                .when(claim(AGENT, List.of("java"), null))
                .expectResultMessagePayloadMatching(view(t -> t.status() == TaskStatus.IN_PROGRESS
                        && t.attempts() == 2 && t.failureReason() == null));
    }

    @Test
    void anExpiredLastAttemptFailsTheTask() {
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedAttempt(1), failed(1), claimedAttempt(2), failed(2),
                        claimedUntil(3, T0.plusSeconds(60)))
                .andGivenCurrentTime(T0.plusSeconds(61))
                .when(expire(LEASE))
                .expectEvents(new TaskLeaseExpiredEvent(ID, TENANT, PROJECT, AGENT, LEASE, 3, false))
                .expectState(task -> {
                    TaskView view = task.view();
                    if (view.status() != TaskStatus.FAILED || !"LEASE_EXPIRED".equals(view.failureReason())
                            || view.claim() != null) {
                        throw new AssertionError("expected FAILED with LEASE_EXPIRED, was " + view);
                    }
                });
    }

    @Test
    void aLeaseAHeartbeatExtendedDoesNotExpireUntilItsNewEnd() {
        TaskLeaseExtendedEvent extended = new TaskLeaseExtendedEvent(ID, TENANT, PROJECT, LEASE, T0.plusSeconds(100));
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)), extended)
                .andGivenCurrentTime(T0.plusSeconds(61))
                .when(expire(LEASE))
                .expectNoEvents()
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)), extended)
                .andGivenCurrentTime(T0.plusSeconds(100))
                .when(expire(LEASE))
                .expectEvents(new TaskLeaseExpiredEvent(ID, TENANT, PROJECT, AGENT, LEASE, 1, true));
    }

    @Test
    void aLeaseThatIsNotTheCurrentOneChangesNothingAndSaysSo() {
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)))
                .andGivenCurrentTime(T0.plusSeconds(61))
                .when(expire("another-lease"))
                .expectNoEvents()
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)), completed())
                .andGivenCurrentTime(T0.plusSeconds(61))
                .when(expire(LEASE))
                .expectNoEvents()
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)),
                        new TaskReleasedEvent(ID, TENANT, PROJECT, AGENT, LEASE, AGENT))
                .andGivenCurrentTime(T0.plusSeconds(61))
                .when(expire(LEASE))
                .expectNoEvents()
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)), expired(1))
                .andGivenCurrentTime(T0.plusSeconds(62))
                .when(expire(LEASE))
                .expectNoEvents()
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
        fixture.givenCurrentTime(T0)
                .andGiven(ready())
                .when(expire(LEASE))
                .expectNoEvents()
                .expectException(code(ErrorCode.LEASE_NOT_HELD));
        fixture.givenCurrentTime(T0)
                .andGiven(ready(), claimedUntil(1, T0.plusSeconds(60)))
                .andGivenCurrentTime(T0.plusSeconds(61))
                .when(new ExpireTaskLeaseCommand(ID, "tenant-b", LEASE))
                .expectNoEvents()
                .expectException(code(ErrorCode.NOT_FOUND));
    }

    private static CreateTaskCommand create(List<String> dependsOn, List<String> unmet) {
        return new CreateTaskCommand(ID, TENANT, PROJECT, " Build it ", null, TaskPriority.HIGH,
                List.of("Backend "), List.of(" Java"), dependsOn, unmet, " T001 ", 3, 60);
    }

    private static TaskCreatedEvent created(List<String> unmet, TaskStatus status) {
        return new TaskCreatedEvent(ID, TENANT, PROJECT, "Build it", null, TaskPriority.HIGH, List.of("backend"),
                List.of("java"), unmet, unmet, "T001", 3, 60, status);
    }

    private static TaskCreatedEvent ready() {
        return created(List.of(), TaskStatus.READY);
    }

    private static ClaimTaskCommand claim(String agent, List<String> capabilities, Integer leaseSeconds) {
        return new ClaimTaskCommand(ID, TENANT, agent, capabilities, LEASE, leaseSeconds);
    }

    private static TaskClaimedEvent claimed() {
        return claimedAttempt(1);
    }

    private static TaskClaimedEvent claimedAttempt(int attempt) {
        return new TaskClaimedEvent(ID, TENANT, PROJECT, AGENT, LEASE, Instant.now().plusSeconds(3600), 60, attempt);
    }

    private static TaskClaimedEvent claimedUntil(int attempt, Instant leaseExpiresAt) {
        return new TaskClaimedEvent(ID, TENANT, PROJECT, AGENT, LEASE, leaseExpiresAt, 60, attempt);
    }

    private static TaskLeaseExpiredEvent expired(int attempt) {
        return new TaskLeaseExpiredEvent(ID, TENANT, PROJECT, AGENT, LEASE, attempt, true);
    }

    private static ExpireTaskLeaseCommand expire(String leaseId) {
        return new ExpireTaskLeaseCommand(ID, TENANT, leaseId);
    }

    private static TaskAttemptFailedEvent failed(int attempt) {
        return new TaskAttemptFailedEvent(ID, TENANT, PROJECT, AGENT, LEASE, attempt, "flaky", true);
    }

    private static TaskCompletedEvent completed() {
        return new TaskCompletedEvent(ID, TENANT, PROJECT, AGENT, LEASE, "done", List.of());
    }

    private static Matcher<Object> view(Predicate<TaskView> check) {
        return DomainMatchers.resultMatching(TaskView.class, check);
    }

    private static Matcher<DomainException> code(ErrorCode code) {
        return DomainMatchers.hasCode(code);
    }
}
