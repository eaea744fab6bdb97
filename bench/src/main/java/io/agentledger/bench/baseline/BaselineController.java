package io.agentledger.bench.baseline;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * claim-next and complete on the same paths and with the same JSON as AgentLedger, so one load generator drives both;
 * complete with {@code "next"} (api.md, v1.1) completes the held task and claims the next one in one transaction.
 */
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
    private final TransactionTemplate transaction;

    BaselineController(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    record Claim(String agentId, String leaseId, Instant leaseExpiresAt, int attempt) {
    }

    record Task(String id, String projectId, String title, String status, String priority, Claim claim, String result,
                long version) {
    }

    /** {@code next}, when present, asks for the next task in the same request; the baseline has no labels and never waits. */
    record CompleteRequest(String leaseId, String result, Next next) {
    }

    record Next(List<String> labels, Integer waitSeconds) {
    }

    /** The answer of complete with {@code next}: {@code next} is null when no task is ready. */
    record CompletedWithNext(Task completed, Task next) {
    }

    @GetMapping("/ready")
    String ready() {
        return "UP";
    }

    /** The row lock is the whole concurrency control: a locked row is skipped, so concurrent claims never collide. */
    @PostMapping("/v1/projects/{projectId}/tasks/claim-next")
    @Transactional
    ResponseEntity<Task> claimNext(@PathVariable UUID projectId, @RequestHeader("Authorization") String agent) {
        Task task = claimNextIn(projectId, agent);
        return task == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(task);
    }

    /**
     * Without {@code next}, one {@code UPDATE} (autocommit). With it, one transaction: the {@code UPDATE} that
     * completes the held task, then the claim of claim-next ({@code SELECT … FOR UPDATE SKIP LOCKED} + {@code UPDATE})
     * in the same project — one request per task. A lease not held is 409 and claims nothing.
     */
    @PostMapping("/v1/tasks/{id}/complete")
    ResponseEntity<?> complete(@PathVariable UUID id, @RequestBody CompleteRequest request,
                               @RequestHeader(value = "Authorization", required = false) String agent) {
        if (request.next() == null) {
            Task completed = completeHeld(id, request);
            return completed == null ? ResponseEntity.status(HttpStatus.CONFLICT).build()
                    : ResponseEntity.ok(completed);
        }
        CompletedWithNext answer = transaction.execute(status -> {
            Task completed = completeHeld(id, request);
            return completed == null ? null : new CompletedWithNext(completed,
                    claimNextIn(UUID.fromString(completed.projectId()), agent));
        });
        return answer == null ? ResponseEntity.status(HttpStatus.CONFLICT).build() : ResponseEntity.ok(answer);
    }

    private Task completeHeld(UUID id, CompleteRequest request) {
        List<Task> completed = jdbc.query("UPDATE baseline_task SET status = 'COMPLETED', result = ?, "
                + "version = version + 1, updated_at = now() WHERE id = ? AND status = 'IN_PROGRESS' AND lease_id = ? "
                + "RETURNING " + COLUMNS, TASK, request.result(), id, request.leaseId());
        return completed.isEmpty() ? null : completed.get(0);
    }

    /** Claims the project's first READY task for {@code agent} (the bearer value); null when there is none. */
    private Task claimNextIn(UUID projectId, String agent) {
        List<UUID> next = jdbc.queryForList("SELECT id FROM baseline_task WHERE project_id = ? AND status = 'READY' "
                + "ORDER BY priority_rank, created_at LIMIT 1 FOR UPDATE SKIP LOCKED", UUID.class, projectId);
        if (next.isEmpty()) {
            return null;
        }
        return jdbc.queryForObject("UPDATE baseline_task SET status = 'IN_PROGRESS', agent_id = ?, lease_id = ?, "
                + "lease_expires_at = now() + interval '900 seconds', attempts = attempts + 1, version = version + 1, "
                + "updated_at = now() WHERE id = ? RETURNING " + COLUMNS, TASK, agentName(agent),
                UUID.randomUUID().toString(), next.get(0));
    }

    private static String agentName(String authorization) {
        return authorization == null ? "anonymous" : authorization.substring(
                authorization.startsWith("Bearer ") ? "Bearer ".length() : 0);
    }
}
