package io.agentledger.query.task;

import io.agentledger.api.common.PageRequest;
import io.agentledger.api.project.PlanItem;
import io.agentledger.api.project.PlanPhase;
import io.agentledger.api.project.ProjectPlanRecordedEvent;
import io.agentledger.api.task.Claim;
import io.agentledger.api.task.FindTaskQuery;
import io.agentledger.api.task.FindTasksQuery;
import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskCancelledEvent;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskDependencySatisfiedEvent;
import io.agentledger.api.task.TaskEditedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskLeaseExtendedEvent;
import io.agentledger.api.task.TaskPage;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskUnblockedEvent;
import io.agentledger.api.task.TaskView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code tasks} read model, and the task counts by project and status ({@code project_task_counts}) that the
 * project read model shows. Every handler is one statement, guarded by the aggregate version, that answers whether
 * it changed the row and the task's status; only then does the task move from its old status's count to its new one
 * (written at the end of the batch, see COUNT_MOVES): redelivery and replay leave the same rows and the same counts.
 */
@Component
@ProcessingGroup(TaskProjection.NAME)
class TaskProjection {

    static final String NAME = "tasks";

    private static final String COLUMNS = "id, project_id, title, description, status, priority, labels,"
            + " required_capabilities, depends_on, external_ref, max_attempts, attempts, lease_seconds, agent_id,"
            + " lease_id, lease_expires_at, claim_attempt, result, failure_reason, created_at, updated_at, version";

    private static final String NO_CLAIM =
            "agent_id = NULL, lease_id = NULL, lease_expires_at = NULL, claim_attempt = NULL";

    /**
     * Moves of tasks between status counts are summed per transaction (Axon's batch of events) and written just
     * before it commits, in (project, status) order. Concurrent segments touch the same count rows of a busy
     * project; taking their locks once, late and in one global order keeps them from deadlocking, which locking
     * them statement by statement in event order did (each deadlock aborted a whole batch and delayed the model).
     */
    private static final String COUNT_MOVES = TaskProjection.class.getName() + ".countMoves";
    private static final String MOVE_COUNT = "INSERT INTO project_task_counts (project_id, tenant_id, status, task_count)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (project_id, status)"
            + " DO UPDATE SET task_count = project_task_counts.task_count + EXCLUDED.task_count";

    /** A count row and what its transaction moves into (positive) or out of it. */
    private record CountKey(String projectId, String status) implements Comparable<CountKey> {
        @Override
        public int compareTo(CountKey other) {
            int byProject = projectId.compareTo(other.projectId);
            return byProject != 0 ? byProject : status.compareTo(other.status);
        }
    }

    private record CountMove(String tenantId, long delta) {
    }

    private final JdbcTemplate jdbc;

    TaskProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(TaskCreatedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        TaskPriority priority = event.priority() == null ? TaskPriority.MEDIUM : event.priority();
        jdbc.query("INSERT INTO tasks (id, tenant_id, project_id, title, description, status,"
                        + " priority, priority_rank, labels, required_capabilities, depends_on, external_ref,"
                        + " max_attempts, attempts, lease_seconds, created_at, updated_at, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
                        + " RETURNING project_id, tenant_id, NULL::VARCHAR AS old_status, status AS new_status",
                this::moveCounts,
                event.taskId(), event.tenantId(), event.projectId(), event.title(), event.description(),
                event.status().name(), priority.name(), priority.rank(), array(event.labels()),
                array(event.requiredCapabilities()), array(event.dependsOn()), event.externalRef(),
                event.maxAttempts(), event.leaseSeconds(), utc(at), utc(at), version);
    }

    @EventHandler
    void on(TaskEditedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        TaskPriority priority = event.priority() == null ? TaskPriority.MEDIUM : event.priority();
        update(event.taskId(), at, version, "title = ?, description = ?, priority = ?, priority_rank = ?, labels = ?",
                event.title(), event.description(), priority.name(), priority.rank(), array(event.labels()));
    }

    @EventHandler
    void on(TaskDependencySatisfiedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "");
    }

    @EventHandler
    void on(TaskUnblockedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "status = ?", TaskStatus.READY.name());
    }

    @EventHandler
    void on(TaskClaimedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "status = ?, agent_id = ?, lease_id = ?, lease_expires_at = ?,"
                        + " claim_attempt = ?, attempts = ?, failure_reason = NULL",
                TaskStatus.IN_PROGRESS.name(), event.agentId(), event.leaseId(), utc(event.leaseExpiresAt()),
                event.attempt(), event.attempt());
    }

    @EventHandler
    void on(TaskLeaseExtendedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "lease_expires_at = ?", utc(event.leaseExpiresAt()));
    }

    @EventHandler
    void on(TaskCompletedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "status = ?, result = ?, failure_reason = NULL, " + NO_CLAIM,
                TaskStatus.COMPLETED.name(), event.result());
    }

    @EventHandler
    void on(TaskAttemptFailedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "status = ?, failure_reason = ?, " + NO_CLAIM,
                (event.retrying() ? TaskStatus.READY : TaskStatus.FAILED).name(), event.reason());
    }

    @EventHandler
    void on(TaskLeaseExpiredEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "status = ?, failure_reason = 'LEASE_EXPIRED', " + NO_CLAIM,
                (event.retrying() ? TaskStatus.READY : TaskStatus.FAILED).name());
    }

    @EventHandler
    void on(TaskReleasedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "status = ?, attempts = GREATEST(attempts - 1, 0), " + NO_CLAIM,
                TaskStatus.READY.name());
    }

    @EventHandler
    void on(TaskCancelledEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), at, version, "status = ?, cancel_reason = ?, " + NO_CLAIM,
                TaskStatus.CANCELLED.name(), event.reason());
    }

    /** The plan's layout replaces the one before: the same rows however often the event is handled. */
    @EventHandler
    void on(ProjectPlanRecordedEvent event) {
        jdbc.update("DELETE FROM task_plan_phases WHERE project_id = ?", event.projectId());
        jdbc.update("DELETE FROM task_plan_items WHERE project_id = ?", event.projectId());
        List<Object[]> phases = new ArrayList<>();
        List<Object[]> items = new ArrayList<>();
        for (int p = 0; p < event.phases().size(); p++) {
            PlanPhase phase = event.phases().get(p);
            phases.add(new Object[]{event.projectId(), event.tenantId(), p, phase.heading()});
            for (PlanItem item : phase.items()) {
                items.add(new Object[]{event.projectId(), event.tenantId(), items.size(), p, item.taskId(),
                        item.externalRef(), item.section(), item.parallel(), item.story(), array(item.dependsOn())});
            }
        }
        jdbc.batchUpdate("INSERT INTO task_plan_phases (project_id, tenant_id, phase_position, heading)"
                + " VALUES (?, ?, ?, ?)", phases);
        jdbc.batchUpdate("INSERT INTO task_plan_items (project_id, tenant_id, position, phase_position, task_id,"
                + " external_ref, section, parallel, story, depends_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", items);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM tasks");
        jdbc.update("DELETE FROM task_plan_phases");
        jdbc.update("DELETE FROM task_plan_items");
        jdbc.update("DELETE FROM project_task_counts");
    }

    @QueryHandler
    TaskView handle(FindTaskQuery query) {
        return jdbc.query("SELECT " + COLUMNS + " FROM tasks WHERE tenant_id = ? AND id = ?", row(),
                query.tenantId(), query.taskId()).stream().findFirst().orElse(null);
    }

    @QueryHandler
    TaskPage handle(FindTasksQuery query) {
        PageRequest page = query.page();
        boolean byPriority = !FindTasksQuery.SORT_RECENTLY_UPDATED.equals(query.sort());
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks"
                + " WHERE tenant_id = ? AND project_id = ?");
        List<Object> args = new ArrayList<>(List.of(query.tenantId(), query.projectId()));
        if (query.statuses() != null && !query.statuses().isEmpty()) {
            sql.append(" AND status = ANY(?)");
            args.add(query.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (query.label() != null) {
            sql.append(" AND labels @> ARRAY[?]::TEXT[]");
            args.add(query.label());
        }
        if (query.priority() != null) {
            sql.append(" AND priority_rank = ?");
            args.add(query.priority().rank());
        }
        if (query.assignee() != null) {
            sql.append(" AND agent_id = ?");
            args.add(query.assignee());
        }
        if (query.titleContains() != null) {
            // a LIKE on lower(title) can use the trigram index; the text is matched literally
            sql.append(" AND lower(title) LIKE ? ESCAPE '\\'");
            args.add("%" + query.titleContains().toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (page.cursor() != null) {
            TaskCursor after = TaskCursor.decode(page.cursor(),
                    byPriority ? FindTasksQuery.SORT_PRIORITY : FindTasksQuery.SORT_RECENTLY_UPDATED);
            if (byPriority) {
                sql.append(" AND (priority_rank, created_at, id) > (?, ?, ?)");
                args.add(after.rank());
            } else {
                sql.append(" AND (updated_at, id) < (?, ?)");
            }
            args.add(utc(after.at()));
            args.add(after.id());
        }
        sql.append(byPriority ? " ORDER BY priority_rank, created_at, id" : " ORDER BY updated_at DESC, id DESC");
        sql.append(" LIMIT ?");
        args.add(page.limit() + 1);
        List<TaskView> rows = jdbc.query(sql.toString(), row(), args.toArray());
        if (rows.size() <= page.limit()) {
            return new TaskPage(rows, null);
        }
        List<TaskView> items = List.copyOf(rows.subList(0, page.limit()));
        TaskView last = items.get(items.size() - 1);
        return new TaskPage(items, byPriority
                ? TaskCursor.priority(last.priority().rank(), last.createdAt(), last.id())
                : TaskCursor.recentlyUpdated(last.updatedAt(), last.id()));
    }

    /** The project's plan: its phases in order, each with the task lines it places, as the tasks now are. */
    @QueryHandler
    TaskPlan handle(FindTaskPlanQuery query) {
        List<TaskPlan.Phase> phases = jdbc.query("SELECT heading FROM task_plan_phases"
                        + " WHERE tenant_id = ? AND project_id = ? ORDER BY phase_position",
                (rs, n) -> new TaskPlan.Phase(rs.getString("heading"), new ArrayList<>()),
                query.tenantId(), query.projectId());
        jdbc.query("SELECT i.phase_position, i.external_ref, i.section, i.parallel, i.story, i.depends_on, t.title,"
                        + " t.description, t.status FROM task_plan_items i JOIN tasks t ON t.id = i.task_id"
                        + " WHERE i.tenant_id = ? AND i.project_id = ? ORDER BY i.position",
                rs -> {
                    phases.get(rs.getInt("phase_position")).lines().add(new TaskPlan.Line(rs.getString("external_ref"),
                            rs.getString("section"), rs.getBoolean("parallel"), rs.getString("story"),
                            list(rs, "depends_on"), rs.getString("title"), rs.getString("description"),
                            TaskStatus.valueOf(rs.getString("status"))));
                }, query.tenantId(), query.projectId());
        return new TaskPlan(phases);
    }

    /**
     * Applies {@code set} (assignments of tasks columns, with its {@code args}; may be empty) to the task unless it
     * already has this version, stamps it, and moves it between the status counts when its status changed.
     */
    private void update(String taskId, Instant at, long version, String set, Object... args) {
        List<Object> all = new ArrayList<>(List.of(taskId, version));
        all.addAll(Arrays.asList(args));
        all.add(utc(at));
        all.add(version);
        jdbc.query("WITH old AS (SELECT id AS old_id, status AS old_status FROM tasks WHERE id = ? AND version < ?"
                + " FOR UPDATE) UPDATE tasks t SET " + (set.isEmpty() ? "" : set + ", ")
                + "updated_at = ?, version = ? FROM old WHERE t.id = old.old_id"
                + " RETURNING t.project_id, t.tenant_id, old.old_status, t.status AS new_status",
                this::moveCounts, all.toArray());
    }

    /** Notes the count move of a row a handler changed (project_id, tenant_id, old_status, new_status). */
    private void moveCounts(ResultSet changed) throws SQLException {
        String oldStatus = changed.getString("old_status");
        String newStatus = changed.getString("new_status");
        if (Objects.equals(oldStatus, newStatus)) {
            return;
        }
        boolean inTransaction = CurrentUnitOfWork.isStarted();
        Map<CountKey, CountMove> moves = inTransaction ? countMovesOf(CurrentUnitOfWork.get().root()) : new TreeMap<>();
        String projectId = changed.getString("project_id");
        String tenantId = changed.getString("tenant_id");
        if (oldStatus != null) {
            moves.merge(new CountKey(projectId, oldStatus), new CountMove(tenantId, -1), TaskProjection::sum);
        }
        moves.merge(new CountKey(projectId, newStatus), new CountMove(tenantId, 1), TaskProjection::sum);
        if (!inTransaction) {
            writeCounts(moves);
        }
    }

    private Map<CountKey, CountMove> countMovesOf(UnitOfWork<?> transaction) {
        return transaction.getOrComputeResource(COUNT_MOVES, key -> {
            Map<CountKey, CountMove> moves = new TreeMap<>();
            transaction.onPrepareCommit(u -> writeCounts(moves));
            return moves;
        });
    }

    private void writeCounts(Map<CountKey, CountMove> moves) {
        // a move that nets to nothing still writes its row (count 0), as moving one event at a time would have
        List<Object[]> rows = moves.entrySet().stream()
                .map(m -> new Object[]{m.getKey().projectId(), m.getValue().tenantId(), m.getKey().status(),
                        m.getValue().delta()})
                .toList();
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(MOVE_COUNT, rows);
        }
        moves.clear();
    }

    private static CountMove sum(CountMove a, CountMove b) {
        return new CountMove(a.tenantId(), a.delta() + b.delta());
    }

    private static String[] array(List<String> values) {
        return values == null ? new String[0] : values.toArray(String[]::new);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static RowMapper<TaskView> row() {
        return (rs, n) -> {
            String agentId = rs.getString("agent_id");
            Claim claim = agentId == null ? null : new Claim(agentId, rs.getString("lease_id"),
                    instant(rs.getTimestamp("lease_expires_at")), rs.getInt("claim_attempt"));
            return new TaskView(rs.getString("id"), rs.getString("project_id"), rs.getString("title"),
                    rs.getString("description"), TaskStatus.valueOf(rs.getString("status")),
                    TaskPriority.valueOf(rs.getString("priority")), list(rs, "labels"),
                    list(rs, "required_capabilities"), list(rs, "depends_on"), rs.getString("external_ref"),
                    rs.getInt("max_attempts"), rs.getInt("attempts"), rs.getInt("lease_seconds"), claim,
                    rs.getString("result"), rs.getString("failure_reason"), instant(rs.getTimestamp("created_at")),
                    instant(rs.getTimestamp("updated_at")), rs.getLong("version"));
        };
    }

    private static List<String> list(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
