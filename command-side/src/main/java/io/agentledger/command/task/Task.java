package io.agentledger.command.task;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.task.CancelTaskCommand;
import io.agentledger.api.task.Claim;
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
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.agentledger.command.task.TaskRules.validDescription;
import static io.agentledger.command.task.TaskRules.validLabels;
import static io.agentledger.command.task.TaskRules.validLearnings;
import static io.agentledger.command.task.TaskRules.validTitle;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A unit of work agents claim. Claims are decided here and serialized by the event store: of many agents racing
 * for one task, one appends the claim and the others meet a concurrency conflict, then find it claimed. A lease
 * fences every call of the claimant; an expired lease is reported by the lease sweep, and decided here.
 */
@Aggregate(snapshotTriggerDefinition = "taskSnapshotTrigger", cache = "taskCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Task {

    static final String LEASE_EXPIRED_REASON = "LEASE_EXPIRED";

    @AggregateIdentifier
    private String taskId;
    private String tenantId;
    private String projectId;
    private String title;
    private String description;
    private TaskPriority priority;
    private List<String> labels;
    private List<String> requiredCapabilities;
    private List<String> dependsOn;
    private Set<String> unmetDependencies;
    private String externalRef;
    private int maxAttempts;
    private int attempts;
    private int leaseSeconds;
    private TaskStatus status;
    private Claim claim;
    private int claimLeaseSeconds;
    private String result;
    private String failureReason;
    private Instant createdAt;
    private Instant updatedAt;
    private long version;

    Task() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    TaskView handle(CreateTaskCommand command) {
        TaskRules.requireRange("maxAttempts", command.maxAttempts(), 1, TaskRules.MAX_ATTEMPTS);
        TaskRules.requireRange("leaseSeconds", command.leaseSeconds(), TaskRules.MIN_LEASE_SECONDS,
                TaskRules.MAX_LEASE_SECONDS);
        TaskStatus initial = command.unmetDependencies().isEmpty() ? TaskStatus.READY : TaskStatus.BLOCKED;
        apply(new TaskCreatedEvent(command.taskId(), command.tenantId(), command.projectId(),
                validTitle(command.title()), validDescription(command.description()),
                command.priority() == null ? TaskPriority.MEDIUM : command.priority(), validLabels(command.labels()),
                TaskRules.validCapabilities(command.requiredCapabilities()), List.copyOf(command.dependsOn()),
                List.copyOf(command.unmetDependencies()), TaskRules.validExternalRef(command.externalRef()),
                command.maxAttempts(), command.leaseSeconds(), initial));
        return view();
    }

    @CommandHandler
    TaskView handle(EditTaskCommand command) {
        requireTenant(command.tenantId());
        requireNotTerminal();
        apply(new TaskEditedEvent(taskId, tenantId, projectId,
                command.title() == null ? title : validTitle(command.title()),
                command.description() == null ? description : validDescription(command.description()),
                command.priority() == null ? priority : command.priority(),
                command.labels() == null ? labels : validLabels(command.labels())));
        return view();
    }

    @CommandHandler
    TaskView handle(ClaimTaskCommand command) {
        requireTenant(command.tenantId());
        if (status != TaskStatus.READY) {
            throw new DomainException(ErrorCode.TASK_NOT_CLAIMABLE, "Task " + taskId + " is " + whyNotClaimable());
        }
        if (!command.agentCapabilities().containsAll(requiredCapabilities)) {
            throw new DomainException(ErrorCode.CAPABILITY_MISMATCH,
                    "Task " + taskId + " requires capabilities " + requiredCapabilities);
        }
        int lease = command.leaseSeconds() == null ? leaseSeconds : command.leaseSeconds();
        TaskRules.requireRange("leaseSeconds", lease, TaskRules.MIN_LEASE_SECONDS, TaskRules.MAX_LEASE_SECONDS);
        Instant expiresAt = now().plusSeconds(lease);
        apply(new TaskClaimedEvent(taskId, tenantId, projectId, command.agentId(), command.leaseId(), expiresAt,
                lease, attempts + 1));
        return view();
    }

    @CommandHandler
    TaskView handle(HeartbeatTaskCommand command) {
        requireTenant(command.tenantId());
        requireLease(command.agentId(), command.leaseId());
        apply(new TaskLeaseExtendedEvent(taskId, tenantId, projectId, claim.leaseId(),
                now().plusSeconds(claimLeaseSeconds)));
        return view();
    }

    @CommandHandler
    TaskView handle(CompleteTaskCommand command) {
        requireTenant(command.tenantId());
        requireLease(command.agentId(), command.leaseId());
        apply(new TaskCompletedEvent(taskId, tenantId, projectId, claim.agentId(), claim.leaseId(),
                TaskRules.validResult(command.result()), validLearnings(command.learnings())));
        return view();
    }

    /** What an imported plan marks done is COMPLETED without a claim; a claim it held ends. */
    @CommandHandler
    TaskView handle(MarkTaskCompletedCommand command) {
        requireTenant(command.tenantId());
        if (status != TaskStatus.COMPLETED) {
            requireNotTerminal();
            apply(new TaskCompletedEvent(taskId, tenantId, projectId, null, null, null, List.of()));
        }
        return view();
    }

    @CommandHandler
    TaskView handle(FailTaskCommand command) {
        requireTenant(command.tenantId());
        requireLease(command.agentId(), command.leaseId());
        apply(new TaskAttemptFailedEvent(taskId, tenantId, projectId, claim.agentId(), claim.leaseId(),
                claim.attempt(), TaskRules.validReason(command.reason()),
                command.retryable() && attempts < maxAttempts));
        return view();
    }

    @CommandHandler
    TaskView handle(ReleaseTaskCommand command) {
        requireTenant(command.tenantId());
        if (command.byAdmin()) {
            if (status != TaskStatus.IN_PROGRESS) {
                throw new DomainException(ErrorCode.LEASE_NOT_HELD, "Task " + taskId + " is not claimed");
            }
        } else {
            requireLease(command.principalId(), command.leaseId());
        }
        apply(new TaskReleasedEvent(taskId, tenantId, projectId, claim.agentId(), claim.leaseId(),
                command.principalId()));
        return view();
    }

    @CommandHandler
    TaskView handle(CancelTaskCommand command) {
        requireTenant(command.tenantId());
        requireNotTerminal();
        apply(new TaskCancelledEvent(taskId, tenantId, projectId,
                command.reason() == null ? null : TaskRules.validReason(command.reason())));
        return view();
    }

    /** Sent by the command side when a dependency completes; idempotent under redelivery. */
    @CommandHandler
    void handle(SatisfyDependencyCommand command) {
        if (status != TaskStatus.BLOCKED || !unmetDependencies.contains(command.dependencyId())) {
            return;
        }
        apply(new TaskDependencySatisfiedEvent(taskId, tenantId, projectId, command.dependencyId()));
        if (unmetDependencies.isEmpty()) {
            apply(new TaskUnblockedEvent(taskId, tenantId, projectId));
        }
    }

    /**
     * Sent by the lease sweep, which finds run-out leases in the registry. Only the current lease, once its expiry
     * has passed, expires; a lease a heartbeat extended, or one that is no longer current (completed, failed,
     * released, cancelled, claimed again), changes nothing, so repeated or late commands are harmless. That case
     * is a refusal ({@code LEASE_NOT_HELD}), not a silent no-op: decided on a cached task another node has
     * changed since (claimed again there), it is checked again on a fresh load like every refusal.
     */
    @CommandHandler
    void handle(ExpireTaskLeaseCommand command) {
        requireTenant(command.tenantId());
        if (status != TaskStatus.IN_PROGRESS || !claim.leaseId().equals(command.leaseId())
                || now().isBefore(claim.leaseExpiresAt())) {
            throw new DomainException(ErrorCode.LEASE_NOT_HELD, "Lease " + command.leaseId() + " of task " + taskId
                    + " is not a current lease that has run out");
        }
        apply(new TaskLeaseExpiredEvent(taskId, tenantId, projectId, claim.agentId(), claim.leaseId(),
                claim.attempt(), attempts < maxAttempts));
    }

    @EventSourcingHandler
    void on(TaskCreatedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        taskId = event.taskId();
        tenantId = event.tenantId();
        projectId = event.projectId();
        title = event.title();
        description = event.description();
        priority = event.priority();
        labels = event.labels();
        requiredCapabilities = event.requiredCapabilities();
        dependsOn = event.dependsOn();
        unmetDependencies = new HashSet<>(event.unmetDependencies());
        externalRef = event.externalRef();
        maxAttempts = event.maxAttempts();
        leaseSeconds = event.leaseSeconds();
        status = event.status();
        createdAt = at;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskEditedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        title = event.title();
        description = event.description();
        priority = event.priority();
        labels = event.labels();
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskDependencySatisfiedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        unmetDependencies.remove(event.dependencyId());
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskUnblockedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = TaskStatus.READY;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskClaimedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = TaskStatus.IN_PROGRESS;
        attempts = event.attempt();
        claim = new Claim(event.agentId(), event.leaseId(), event.leaseExpiresAt(), event.attempt());
        claimLeaseSeconds = event.leaseSeconds();
        failureReason = null;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskLeaseExtendedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        claim = new Claim(claim.agentId(), claim.leaseId(), event.leaseExpiresAt(), claim.attempt());
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskCompletedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = TaskStatus.COMPLETED;
        result = event.result();
        claim = null;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskAttemptFailedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = event.retrying() ? TaskStatus.READY : TaskStatus.FAILED;
        failureReason = event.reason();
        claim = null;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskLeaseExpiredEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = event.retrying() ? TaskStatus.READY : TaskStatus.FAILED;
        failureReason = LEASE_EXPIRED_REASON;
        claim = null;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskReleasedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = TaskStatus.READY;
        attempts = attempts - 1;
        claim = null;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(TaskCancelledEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = TaskStatus.CANCELLED;
        claim = null;
        touched(at, sequence);
    }

    private void touched(Instant at, long sequence) {
        updatedAt = at;
        version = sequence;
    }

    /** Another tenant's task is indistinguishable from a missing one. */
    private void requireTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No task " + taskId);
        }
    }

    private void requireNotTerminal() {
        if (status == TaskStatus.COMPLETED || status == TaskStatus.FAILED || status == TaskStatus.CANCELLED) {
            throw new DomainException(ErrorCode.TASK_TERMINAL, "Task " + taskId + " is " + status);
        }
    }

    /** Only the claimant's current, unexpired lease is accepted. */
    private void requireLease(String agentId, String leaseId) {
        boolean held = status == TaskStatus.IN_PROGRESS && claim.agentId().equals(agentId)
                && claim.leaseId().equals(leaseId) && now().isBefore(claim.leaseExpiresAt());
        if (!held) {
            throw new DomainException(ErrorCode.LEASE_NOT_HELD,
                    "You do not hold the current lease of task " + taskId);
        }
    }

    private String whyNotClaimable() {
        return switch (status) {
            case IN_PROGRESS -> "claimed by another agent";
            case BLOCKED -> "blocked by unfinished dependencies " + unmetDependencies;
            default -> status.name().toLowerCase() + " (terminal)";
        };
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    TaskView view() {
        return new TaskView(taskId, projectId, title, description, status, priority, labels, requiredCapabilities,
                dependsOn, externalRef, maxAttempts, attempts, leaseSeconds, claim, result, failureReason, createdAt,
                updatedAt, version);
    }
}
