package io.agentledger.bench.baseline;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** claim-next and complete on the same paths and with the same JSON as AgentLedger, so one load generator drives both. */
@RestController
class BaselineController {

    private static final String COLUMNS = "id, project_id, title, status, priority_rank, agent_id, lease_id, "
            + "lease_expires_at, attempts, result, version";
    private static final String[] PRIORITIES = {"CRITICAL", "HIGH", "MEDIUM", "LOW"};
    private static final RowMapper<Task> TASK = (rs, n) -> new Task(rs.getString("id"), rs.getString("project_id"),
            rs.getString("title"), rs.getString("status"), PRIORITIES[rs.getInt("priority_rank")],
            rs.getString("lease_id") == null ? null : new Claim(rs.getString("agent_id"), rs.getString("lease_id"),
                    rs.getTimestamp("lease_expires_at").toInstant(), rs.getInt("attempts")),
            rs.getString("result"), rs.getLong("version"));

    private final JdbcTemplate jdbc;

    BaselineController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Claim(String agentId, String leaseId, Instant leaseExpiresAt, int attempt) {
    }

    record Task(String id, String projectId, String title, String status, String priority, Claim claim, String result,
                long version) {
    }

    record CompleteRequest(String leaseId, String result) {
    }

    @GetMapping("/ready")
    String ready() {
        return "UP";
    }

    /** The row lock is the whole concurrency control: a locked row is skipped, so concurrent claims never collide. */
    @PostMapping("/v1/projects/{projectId}/tasks/claim-next")
    @Transactional
    ResponseEntity<Task> claimNext(@PathVariable UUID projectId, @RequestHeader("Authorization") String agent) {
        List<UUID> next = jdbc.queryForList("SELECT id FROM baseline_task WHERE project_id = ? AND status = 'READY' "
                + "ORDER BY priority_rank, created_at LIMIT 1 FOR UPDATE SKIP LOCKED", UUID.class, projectId);
        if (next.isEmpty()) {
            return ResponseEntity.noContent().build();
        }
        Task task = jdbc.queryForObject("UPDATE baseline_task SET status = 'IN_PROGRESS', agent_id = ?, lease_id = ?, "
                + "lease_expires_at = now() + interval '900 seconds', attempts = attempts + 1, version = version + 1, "
                + "updated_at = now() WHERE id = ? RETURNING " + COLUMNS, TASK, agent.substring("Bearer ".length()),
                UUID.randomUUID().toString(), next.get(0));
        return ResponseEntity.ok(task);
    }

    @PostMapping("/v1/tasks/{id}/complete")
    ResponseEntity<Task> complete(@PathVariable UUID id, @RequestBody CompleteRequest request) {
        List<Task> completed = jdbc.query("UPDATE baseline_task SET status = 'COMPLETED', result = ?, "
                + "version = version + 1, updated_at = now() WHERE id = ? AND status = 'IN_PROGRESS' AND lease_id = ? "
                + "RETURNING " + COLUMNS, TASK, request.result(), id, request.leaseId());
        return completed.isEmpty() ? ResponseEntity.status(HttpStatus.CONFLICT).build()
                : ResponseEntity.ok(completed.get(0));
    }
}
