package io.agentledger.command.registry;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.DomainException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads of the command side's registry, for the rules no single aggregate can decide. */
@Component
public class Registry {

    private final JdbcTemplate jdbc;

    Registry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the tenant's project is archived; empty when the tenant has no such project. */
    public Optional<Boolean> projectArchived(String tenantId, String projectId) {
        return jdbc.queryForList("SELECT archived FROM project_registry WHERE project_id = ? AND tenant_id = ?",
                Boolean.class, projectId, tenantId).stream().findFirst();
    }

    /** @throws DomainException NOT_FOUND when the tenant has no such project, PROJECT_ARCHIVED when it is archived */
    public void requireActiveProject(String tenantId, String projectId) {
        boolean archived = projectArchived(tenantId, projectId)
                .orElseThrow(() -> new DomainException(ErrorCode.NOT_FOUND, "No project " + projectId));
        if (archived) {
            throw new DomainException(ErrorCode.PROJECT_ARCHIVED, "Project " + projectId + " is archived");
        }
    }

    /**
     * The tasks of the tenant's project that carry one of the external refs, by ref; of several tasks with the same
     * ref, the oldest.
     */
    public Map<String, RegisteredTask> tasksByExternalRef(String tenantId, String projectId,
                                                          Collection<String> externalRefs) {
        Map<String, RegisteredTask> tasks = new HashMap<>();
        if (externalRefs.isEmpty()) {
            return tasks;
        }
        jdbc.query("SELECT DISTINCT ON (external_ref) task_id, external_ref, title, description, priority_rank,"
                        + " labels, status FROM task_state WHERE tenant_id = ? AND project_id = ?"
                        + " AND external_ref = ANY (?) ORDER BY external_ref, created_at, task_id",
                rs -> {
                    RegisteredTask task = new RegisteredTask(rs.getString("task_id"), rs.getString("external_ref"),
                            rs.getString("title"), rs.getString("description"),
                            TaskPriority.values()[rs.getInt("priority_rank")],
                            List.of((String[]) rs.getArray("labels").getArray()),
                            TaskStatus.valueOf(rs.getString("status")));
                    tasks.put(task.externalRef(), task);
                }, tenantId, projectId, externalRefs.toArray(String[]::new));
        return tasks;
    }

    /** Whether the project of the tenant's task is archived; empty when the tenant has no such task. */
    public Optional<Boolean> projectOfTaskArchived(String tenantId, String taskId) {
        return jdbc.queryForList("SELECT p.archived FROM task_state t JOIN project_registry p"
                        + " ON p.project_id = t.project_id WHERE t.task_id = ? AND t.tenant_id = ?",
                Boolean.class, taskId, tenantId).stream().findFirst();
    }

    /** The statuses of those of the ids that are tasks of the tenant's project. */
    public Map<String, TaskStatus> statusesInProject(String tenantId, String projectId, Collection<String> taskIds) {
        Map<String, TaskStatus> statuses = new HashMap<>();
        if (taskIds.isEmpty()) {
            return statuses;
        }
        jdbc.query("SELECT task_id, status FROM task_state WHERE tenant_id = ? AND project_id = ?"
                        + " AND task_id = ANY (?)",
                rs -> {
                    statuses.put(rs.getString(1), TaskStatus.valueOf(rs.getString(2)));
                }, tenantId, projectId, taskIds.toArray(String[]::new));
        return statuses;
    }

    public Optional<TaskStatus> status(String taskId) {
        return jdbc.queryForList("SELECT status FROM task_state WHERE task_id = ?", String.class, taskId)
                .stream().findFirst().map(TaskStatus::valueOf);
    }

    public List<String> dependents(String taskId) {
        return jdbc.queryForList("SELECT task_id FROM task_dependency WHERE depends_on = ?", String.class, taskId);
    }

    /**
     * READY tasks of the project that the capabilities allow, with at least one of the labels when any are
     * given: most urgent first, then oldest. None when the tenant has no such project or it is archived: the
     * project's state is checked in the same statement, so a claim that finds a candidate needs no other read.
     */
    public List<String> claimCandidates(String tenantId, String projectId, List<String> capabilities,
                                        List<String> anyOfLabels, int limit) {
        String labelFilter = anyOfLabels.isEmpty() ? "" : " AND t.labels && ?::text[]";
        Object[] args = anyOfLabels.isEmpty()
                ? new Object[]{projectId, tenantId, capabilities.toArray(String[]::new), limit}
                : new Object[]{projectId, tenantId, capabilities.toArray(String[]::new),
                anyOfLabels.toArray(String[]::new), limit};
        return jdbc.queryForList("SELECT t.task_id FROM task_state t JOIN project_registry p"
                + " ON p.project_id = t.project_id AND NOT p.archived"
                + " WHERE t.project_id = ? AND t.tenant_id = ? AND t.status = 'READY'"
                + " AND t.required_capabilities <@ ?::text[]" + labelFilter
                + " ORDER BY t.priority_rank, t.created_at, t.task_id LIMIT ?", String.class, args);
    }

    /**
     * Leases of tasks in progress that ran out at or before {@code now}, oldest first, at most {@code limit}, after
     * {@code after} in that order when given (so one sweep walks each run-out lease once). Partial index
     * {@code task_state_lease_expiry_idx}.
     */
    public List<HeldLease> expiredLeases(Instant now, HeldLease after, int limit) {
        String keyset = after == null ? "" : " AND (lease_expires_at, task_id) > (?, ?)";
        Object[] args = after == null
                ? new Object[]{now.atOffset(ZoneOffset.UTC), limit}
                : new Object[]{now.atOffset(ZoneOffset.UTC), after.expiresAt().atOffset(ZoneOffset.UTC), after.taskId(),
                limit};
        return jdbc.query("SELECT task_id, tenant_id, lease_id, lease_expires_at FROM task_state"
                        + " WHERE status = 'IN_PROGRESS' AND lease_expires_at <= ?" + keyset
                        + " ORDER BY lease_expires_at, task_id LIMIT ?",
                (rs, row) -> new HeldLease(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()), args);
    }

    /**
     * Fills in the lease of tasks in progress whose registry row has none, from the task's latest claim or
     * extension event: rows written by a release before the registry kept leases (a node of an older release
     * still claiming during an upgrade). The same statement as migration V6's backfill. Answers the rows filled.
     */
    public int adoptLeasesFromEvents() {
        return jdbc.update("UPDATE task_state t SET lease_id = l.payload ->> 'leaseId',"
                + " lease_expires_at = (l.payload ->> 'leaseExpiresAt')::timestamptz"
                + " FROM (SELECT s.task_id, e.payload FROM task_state s CROSS JOIN LATERAL"
                + " (SELECT convert_from(d.payload, 'UTF8')::jsonb AS payload FROM domain_event_entry d"
                + " WHERE d.aggregate_identifier = s.task_id AND d.payload_type IN"
                + " ('io.agentledger.api.task.TaskClaimedEvent', 'io.agentledger.api.task.TaskLeaseExtendedEvent')"
                + " ORDER BY d.sequence_number DESC LIMIT 1) e"
                + " WHERE s.status = 'IN_PROGRESS' AND s.lease_expires_at IS NULL) l"
                + " WHERE t.task_id = l.task_id AND t.status = 'IN_PROGRESS' AND t.lease_expires_at IS NULL");
    }
}
