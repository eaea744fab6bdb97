package io.agentledger.command.project;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.project.ArchiveProjectCommand;
import io.agentledger.api.project.ChangeProjectDetailsCommand;
import io.agentledger.api.project.CreateProjectCommand;
import io.agentledger.api.project.ProjectArchivedEvent;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.PlanPhase;
import io.agentledger.api.project.ProjectDetailsChangedEvent;
import io.agentledger.api.project.ProjectPlanRecordedEvent;
import io.agentledger.api.project.ProjectStatus;
import io.agentledger.api.project.ProjectView;
import io.agentledger.api.project.RecordProjectPlanCommand;
import io.agentledger.command.DomainException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A project groups tasks. Every handler answers with the project as it is after the command, including the
 * aggregate version (the sequence number of its last event), so clients can read their own writes.
 */
@Aggregate
class Project {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 10_000;

    @AggregateIdentifier
    private String projectId;
    private String tenantId;
    private String name;
    private String description;
    private ProjectStatus status;
    private List<PlanPhase> plan = List.of();
    private Instant createdAt;
    private Instant updatedAt;
    private long version;

    Project() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    ProjectView handle(CreateProjectCommand command) {
        apply(new ProjectCreatedEvent(command.projectId(), command.tenantId(),
                validName(command.name()), validDescription(command.description())));
        return view();
    }

    @CommandHandler
    ProjectView handle(ChangeProjectDetailsCommand command) {
        requireTenant(command.tenantId());
        requireActive();
        String newName = command.name() == null ? name : validName(command.name());
        String newDescription = command.description() == null ? description : validDescription(command.description());
        if (!newName.equals(name) || !Objects.equals(newDescription, description)) {
            apply(new ProjectDetailsChangedEvent(projectId, tenantId, newName, newDescription));
        }
        return view();
    }

    @CommandHandler
    ProjectView handle(ArchiveProjectCommand command) {
        requireTenant(command.tenantId());
        if (status != ProjectStatus.ARCHIVED) {
            apply(new ProjectArchivedEvent(projectId, tenantId));
        }
        return view();
    }

    /** Records the plan's layout only when it differs from the one recorded, so a re-import changes nothing. */
    @CommandHandler
    ProjectView handle(RecordProjectPlanCommand command) {
        requireTenant(command.tenantId());
        requireActive();
        List<PlanPhase> phases = List.copyOf(command.phases());
        if (!phases.equals(plan)) {
            apply(new ProjectPlanRecordedEvent(projectId, tenantId, phases));
        }
        return view();
    }

    @EventSourcingHandler
    void on(ProjectCreatedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        projectId = event.projectId();
        tenantId = event.tenantId();
        name = event.name();
        description = event.description();
        status = ProjectStatus.ACTIVE;
        createdAt = at;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(ProjectDetailsChangedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        name = event.name();
        description = event.description();
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(ProjectArchivedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = ProjectStatus.ARCHIVED;
        touched(at, sequence);
    }

    @EventSourcingHandler
    void on(ProjectPlanRecordedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        plan = event.phases();
        touched(at, sequence);
    }

    private void touched(Instant at, long sequence) {
        updatedAt = at;
        version = sequence;
    }

    /** Another tenant's project is indistinguishable from a missing one. */
    private void requireTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No project " + projectId);
        }
    }

    private void requireActive() {
        if (status == ProjectStatus.ARCHIVED) {
            throw new DomainException(ErrorCode.PROJECT_ARCHIVED, "Project " + projectId + " is archived");
        }
    }

    private static String validName(String candidate) {
        String trimmed = candidate == null ? "" : candidate.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
            throw DomainException.invalid("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return trimmed;
    }

    private static String validDescription(String candidate) {
        if (candidate != null && candidate.length() > MAX_DESCRIPTION_LENGTH) {
            throw DomainException.invalid("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        return candidate;
    }

    ProjectView view() {
        return new ProjectView(projectId, name, description, status, createdAt, updatedAt, version, null);
    }
}
