package io.agentledger.query.project;

import io.agentledger.api.common.PageRequest;
import io.agentledger.api.project.FindProjectQuery;
import io.agentledger.api.project.FindProjectsQuery;
import io.agentledger.api.project.ProjectArchivedEvent;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.ProjectDetailsChangedEvent;
import io.agentledger.api.project.ProjectPage;
import io.agentledger.api.project.ProjectPlanRecordedEvent;
import io.agentledger.api.project.ProjectStatus;
import io.agentledger.api.project.ProjectView;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.query.web.Cursor;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code projects} read model. Every handler is an idempotent upsert guarded by the aggregate version, so
 * redelivery and replay leave the same rows.
 */
@Component
@ProcessingGroup(ProjectProjection.NAME)
class ProjectProjection {

    static final String NAME = "projects";
    private static final String COLUMNS = "id, name, description, status, created_at, updated_at, version";

    private final JdbcTemplate jdbc;

    ProjectProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ProjectCreatedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        jdbc.update("INSERT INTO projects (id, tenant_id, name, description, status, created_at, updated_at, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                event.projectId(), event.tenantId(), event.name(), event.description(),
                ProjectStatus.ACTIVE.name(), utc(at), utc(at), version);
    }

    @EventHandler
    void on(ProjectDetailsChangedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        jdbc.update("UPDATE projects SET name = ?, description = ?, updated_at = ?, version = ?"
                        + " WHERE id = ? AND version < ?",
                event.name(), event.description(), utc(at), version, event.projectId(), version);
    }

    @EventHandler
    void on(ProjectArchivedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        jdbc.update("UPDATE projects SET status = ?, updated_at = ?, version = ? WHERE id = ? AND version < ?",
                ProjectStatus.ARCHIVED.name(), utc(at), version, event.projectId(), version);
    }

    /** The plan's layout is the tasks read model's; the project only moves to the event's version. */
    @EventHandler
    void on(ProjectPlanRecordedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        jdbc.update("UPDATE projects SET updated_at = ?, version = ? WHERE id = ? AND version < ?",
                utc(at), version, event.projectId(), version);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM projects");
    }

    @QueryHandler
    ProjectView handle(FindProjectQuery query) {
        List<ProjectView> found = jdbc.query("SELECT " + COLUMNS + " FROM projects WHERE tenant_id = ? AND id = ?",
                rowWithoutCounts(), query.tenantId(), query.projectId());
        if (found.isEmpty()) {
            return null;
        }
        ProjectView project = found.get(0);
        return new ProjectView(project.id(), project.name(), project.description(), project.status(),
                project.createdAt(), project.updatedAt(), project.version(), taskCounts(project.id()));
    }

    @QueryHandler
    ProjectPage handle(FindProjectsQuery query) {
        PageRequest page = query.page();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM projects WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(query.tenantId()));
        if (query.status() != null) {
            sql.append(" AND status = ?");
            args.add(query.status().name());
        }
        if (page.cursor() != null) {
            Cursor after = Cursor.decode(page.cursor());
            sql.append(" AND (created_at, id) > (?, ?)");
            args.add(utc(after.at()));
            args.add(after.id());
        }
        sql.append(" ORDER BY created_at, id LIMIT ?");
        args.add(page.limit() + 1);
        List<ProjectView> rows = jdbc.query(sql.toString(), rowWithoutCounts(), args.toArray());
        if (rows.size() <= page.limit()) {
            return new ProjectPage(rows, null);
        }
        List<ProjectView> items = rows.subList(0, page.limit());
        ProjectView last = items.get(items.size() - 1);
        return new ProjectPage(List.copyOf(items), new Cursor(last.createdAt(), last.id()).encode());
    }

    private Map<String, Long> taskCounts(String projectId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TaskStatus status : TaskStatus.values()) {
            counts.put(status.name(), 0L);
        }
        jdbc.query("SELECT status, task_count FROM project_task_counts WHERE project_id = ?",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, projectId);
        return counts;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static RowMapper<ProjectView> rowWithoutCounts() {
        return (rs, row) -> new ProjectView(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                ProjectStatus.valueOf(rs.getString("status")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getLong("version"), null);
    }
}
