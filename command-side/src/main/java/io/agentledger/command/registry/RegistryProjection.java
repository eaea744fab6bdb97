package io.agentledger.command.registry;

import io.agentledger.api.project.ProjectArchivedEvent;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskCancelledEvent;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskEditedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskLeaseExtendedEvent;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskUnblockedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The command side's own view of projects and tasks, for set-based rules (project archived, dependency exists and
 * is complete) and for choosing claim candidates. It runs in a subscribing processor: in the unit of work, and so
 * in the transaction, that appends the events. It never lags and never disagrees with the store. It also keeps the
 * current lease of each task in progress, which the lease sweep reads to find leases that ran out.
 */
@Component
@ProcessingGroup(RegistryProjection.GROUP)
class RegistryProjection {

    static final String GROUP = "command-registry";

    private final JdbcTemplate jdbc;
    private final ReadySignal ready;

    RegistryProjection(JdbcTemplate jdbc, ReadySignal ready) {
        this.jdbc = jdbc;
        this.ready = ready;
    }

    @EventHandler
    void on(ProjectCreatedEvent event) {
        jdbc.update("INSERT INTO project_registry (project_id, tenant_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                event.projectId(), event.tenantId());
    }

    @EventHandler
    void on(ProjectArchivedEvent event) {
        jdbc.update("UPDATE project_registry SET archived = TRUE WHERE project_id = ?", event.projectId());
    }

    @EventHandler
    void on(TaskCreatedEvent event, @Timestamp Instant at) {
        jdbc.update("INSERT INTO task_state (task_id, tenant_id, project_id, status, priority_rank, created_at,"
                        + " required_capabilities, labels, external_ref, title, description)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                event.taskId(), event.tenantId(), event.projectId(), event.status().name(), event.priority().rank(),
                at.atOffset(ZoneOffset.UTC), textArray(event.requiredCapabilities()), textArray(event.labels()),
                event.externalRef(), event.title(), event.description());
        if (!event.dependsOn().isEmpty()) {
            jdbc.batchUpdate("INSERT INTO task_dependency (task_id, depends_on) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    event.dependsOn().stream().map(d -> new Object[]{event.taskId(), d}).toList());
        }
        if (event.status() == TaskStatus.READY) {
            ready.afterCommit(event.projectId(), event.taskId());
        }
    }

    @EventHandler
    void on(TaskEditedEvent event) {
        jdbc.update("UPDATE task_state SET priority_rank = ?, labels = ?, title = ?, description = ? WHERE task_id = ?",
                event.priority().rank(), textArray(event.labels()), event.title(), event.description(), event.taskId());
    }

    @EventHandler
    void on(TaskUnblockedEvent event) {
        becomeReady(event.taskId(), event.projectId());
    }

    @EventHandler
    void on(TaskClaimedEvent event) {
        jdbc.update("UPDATE task_state SET status = ?, lease_id = ?, lease_expires_at = ? WHERE task_id = ?",
                TaskStatus.IN_PROGRESS.name(), event.leaseId(), event.leaseExpiresAt().atOffset(ZoneOffset.UTC),
                event.taskId());
    }

    @EventHandler
    void on(TaskLeaseExtendedEvent event) {
        jdbc.update("UPDATE task_state SET lease_expires_at = ? WHERE task_id = ? AND lease_id = ?",
                event.leaseExpiresAt().atOffset(ZoneOffset.UTC), event.taskId(), event.leaseId());
    }

    @EventHandler
    void on(TaskCompletedEvent event) {
        status(event.taskId(), TaskStatus.COMPLETED);
    }

    @EventHandler
    void on(TaskAttemptFailedEvent event) {
        retryOrFail(event.taskId(), event.projectId(), event.retrying());
    }

    @EventHandler
    void on(TaskLeaseExpiredEvent event) {
        retryOrFail(event.taskId(), event.projectId(), event.retrying());
    }

    @EventHandler
    void on(TaskReleasedEvent event) {
        becomeReady(event.taskId(), event.projectId());
    }

    @EventHandler
    void on(TaskCancelledEvent event) {
        status(event.taskId(), TaskStatus.CANCELLED);
    }

    private void retryOrFail(String taskId, String projectId, boolean retrying) {
        if (retrying) {
            becomeReady(taskId, projectId);
        } else {
            status(taskId, TaskStatus.FAILED);
        }
    }

    private void becomeReady(String taskId, String projectId) {
        status(taskId, TaskStatus.READY);
        ready.afterCommit(projectId, taskId);
    }

    /** Every status but IN_PROGRESS ends the lease (IN_PROGRESS is set only by the claim, with its lease). */
    private void status(String taskId, TaskStatus status) {
        jdbc.update("UPDATE task_state SET status = ?, lease_id = NULL, lease_expires_at = NULL WHERE task_id = ?",
                status.name(), taskId);
    }

    private static String[] textArray(List<String> values) {
        return values.toArray(String[]::new);
    }
}
