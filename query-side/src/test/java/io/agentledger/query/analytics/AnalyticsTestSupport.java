package io.agentledger.query.analytics;

import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskCancelledEvent;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskEditedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskLeaseExtendedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskUnblockedEvent;
import io.agentledger.query.QuerySideTest;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Task histories with chosen timestamps, appended as the command side would, and a wait for the analytics projection
 * to have applied them. {@link #scenario()} is the history every analytics test asserts exact figures of.
 */
abstract class AnalyticsTestSupport extends QuerySideTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** A tenant of its own, so a test sees exactly its own data. */
    protected final String tenant = "analytics-" + UUID.randomUUID();
    /** Per task, the sequence number of its last event the analytics projection applies. */
    private final Map<String, Long> expectedVersions = new HashMap<>();

    protected void append(String type, String id, long sequence, Object payload, Instant at) {
        eventStore.publish(new GenericDomainEventMessage<>(type, id, sequence, payload, MetaData.emptyInstance(),
                UUID.randomUUID().toString(), at));
    }

    protected String project(String tenantId, String at) {
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenantId, "Analysed " + project, null),
                Instant.parse(at));
        return project;
    }

    protected TaskHistory task(String tenantId, String project) {
        return new TaskHistory(tenantId, project, UUID.randomUUID().toString());
    }

    /** Waits until the analytics projection has applied every event of the tasks appended so far. */
    protected void awaitProjected() {
        await().atMost(Duration.ofSeconds(30)).until(() -> expectedVersions.equals(versions()));
    }

    private Map<String, Long> versions() {
        Map<String, Long> versions = new HashMap<>();
        jdbc.query("SELECT task_id, version FROM analytics_tasks WHERE task_id = ANY(?)",
                rs -> {
                    versions.put(rs.getString("task_id"), rs.getLong("version"));
                }, (Object) expectedVersions.keySet().toArray(String[]::new));
        return versions;
    }

    /** Waits until the project read model knows the project (the endpoints answer 404 before). */
    protected void awaitProject(String tenantId, String project) {
        assertThat(get("/v1/projects/" + project + "?minVersion=0", token(tenantId, ADMIN, "admin")).status())
                .isEqualTo(200);
    }

    protected HttpResponse<String> fetch(String path, String token, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET()
                .header("Authorization", "Bearer " + token);
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static String analyst(String tenantId) {
        return token(tenantId, UUID.randomUUID().toString(), "analyst");
    }

    /**
     * The history of {@code docs/analytics.md}'s examples: project P of the tenant with ten tasks from 2025-02-27 to
     * 2025-03-05, project Q with one, and a task of another tenant claimed by the same agent.
     */
    protected Scenario scenario() {
        String agentA = "a-" + UUID.randomUUID();
        String agentB = "b-" + UUID.randomUUID();
        String p = project(tenant, "2025-02-01T00:00:00Z");
        String q = project(tenant, "2025-02-01T00:00:00Z");
        // claimed and completed by A: lead 3600 s, cycle 3000 s
        task(tenant, p).created("2025-03-01T10:00:00Z", TaskStatus.READY)
                .claimed("2025-03-01T10:10:00Z", agentA, 1).extended("2025-03-01T10:20:00Z")
                .completed("2025-03-01T11:00:00Z");
        // a failed attempt, retried by B: lead 7200 s, cycle 7200 s, 2 attempts
        task(tenant, p).created("2025-03-01T12:00:00Z", TaskStatus.READY)
                .claimed("2025-03-01T12:00:00Z", agentA, 1).failed("2025-03-01T12:30:00Z", true)
                .claimed("2025-03-01T13:00:00Z", agentB, 2).completed("2025-03-01T14:00:00Z");
        // blocked a day, B's lease expired, A failed it for good on 03-02
        task(tenant, p).created("2025-03-01T09:00:00Z", TaskStatus.BLOCKED).unblocked("2025-03-02T09:00:00Z")
                .claimed("2025-03-02T10:00:00Z", agentB, 1).leaseExpired("2025-03-02T10:15:00Z", true)
                .claimed("2025-03-02T11:00:00Z", agentA, 2).failed("2025-03-02T11:30:00Z", false);
        // released by A (no attempt counted), completed by B a day after the first claim: lead and cycle 86400 s
        task(tenant, p).created("2025-03-02T08:00:00Z", TaskStatus.READY)
                .claimed("2025-03-02T08:00:00Z", agentA, 1).released("2025-03-02T08:10:00Z")
                .claimed("2025-03-02T08:20:00Z", agentB, 1).completed("2025-03-03T08:00:00Z");
        task(tenant, p).created("2025-03-02T09:00:00Z", TaskStatus.READY).cancelled("2025-03-02T10:00:00Z");
        // READY since 03-03 06:00, the oldest READY task
        task(tenant, p).created("2025-03-03T06:00:00Z", TaskStatus.READY);
        task(tenant, p).created("2025-03-03T07:00:00Z", TaskStatus.READY).claimed("2025-03-03T07:30:00Z", agentA, 1);
        // created and first claimed before the range, completed in it: lead 133200 s, cycle 93600 s
        task(tenant, p).created("2025-02-27T12:00:00Z", TaskStatus.READY)
                .claimed("2025-02-27T23:00:00Z", agentA, 1).completed("2025-03-01T01:00:00Z");
        task(tenant, p).created("2025-03-05T00:00:00Z", TaskStatus.READY).edited("2025-03-05T01:00:00Z");
        task(tenant, p).created("2025-03-05T00:00:00Z", TaskStatus.BLOCKED);
        // project Q: A completes in 100 s
        task(tenant, q).created("2025-03-01T00:00:00Z", TaskStatus.READY)
                .claimed("2025-03-01T00:00:00Z", agentA, 1).completed("2025-03-01T00:01:40Z");
        // another tenant's project, worked on by an agent of the same id: never counted for this tenant
        String otherTenant = "analytics-other-" + UUID.randomUUID();
        String other = project(otherTenant, "2025-02-01T00:00:00Z");
        task(otherTenant, other).created("2025-03-01T00:00:00Z", TaskStatus.READY)
                .claimed("2025-03-01T00:00:00Z", agentA, 1).failed("2025-03-01T00:00:10Z", false);
        awaitProjected();
        awaitProject(tenant, p);
        awaitProject(tenant, q);
        awaitProject(otherTenant, other);
        return new Scenario(p, q, agentA, agentB, otherTenant, other);
    }

    record Scenario(String project, String otherProject, String agentA, String agentB, String otherTenant,
                    String otherTenantsProject) {
    }

    /** One task's events, each at its chosen instant, with the sequence numbers its aggregate would give them. */
    final class TaskHistory {

        private final String tenantId;
        private final String project;
        final String id;
        private long sequence;
        private String agent;
        private String leaseId;
        private int attempt;

        TaskHistory(String tenantId, String project, String id) {
            this.tenantId = tenantId;
            this.project = project;
            this.id = id;
        }

        TaskHistory created(String at, TaskStatus status) {
            return applied(at, new TaskCreatedEvent(id, tenantId, project, "Task " + id, null, TaskPriority.MEDIUM,
                    List.of(), List.of(), List.of(), List.of(), null, 3, 900, status));
        }

        TaskHistory unblocked(String at) {
            return applied(at, new TaskUnblockedEvent(id, tenantId, project));
        }

        TaskHistory claimed(String at, String agentId, int attemptNumber) {
            agent = agentId;
            attempt = attemptNumber;
            leaseId = "lease-" + id + "-" + sequence;
            return applied(at, new TaskClaimedEvent(id, tenantId, project, agent, lease(),
                    Instant.parse(at).plusSeconds(900), 900, attempt));
        }

        TaskHistory completed(String at) {
            return applied(at, new TaskCompletedEvent(id, tenantId, project, agent, lease(), "done", List.of()));
        }

        TaskHistory failed(String at, boolean retrying) {
            return applied(at, new TaskAttemptFailedEvent(id, tenantId, project, agent, lease(), attempt, "broken",
                    retrying));
        }

        TaskHistory leaseExpired(String at, boolean retrying) {
            return applied(at, new TaskLeaseExpiredEvent(id, tenantId, project, agent, lease(), attempt, retrying));
        }

        TaskHistory released(String at) {
            return applied(at, new TaskReleasedEvent(id, tenantId, project, agent, lease(), agent));
        }

        TaskHistory cancelled(String at) {
            return applied(at, new TaskCancelledEvent(id, tenantId, project, "not needed"));
        }

        /** Ignored by the analytics projection. */
        TaskHistory extended(String at) {
            append("Task", id, sequence++, new TaskLeaseExtendedEvent(id, tenantId, project, lease(),
                    Instant.parse(at).plusSeconds(900)), Instant.parse(at));
            return this;
        }

        /** Ignored by the analytics projection. */
        TaskHistory edited(String at) {
            append("Task", id, sequence++, new TaskEditedEvent(id, tenantId, project, "Edited", null,
                    TaskPriority.HIGH, List.of()), Instant.parse(at));
            return this;
        }

        private TaskHistory applied(String at, Object event) {
            expectedVersions.put(id, sequence);
            append("Task", id, sequence++, event, Instant.parse(at));
            return this;
        }

        private String lease() {
            return leaseId;
        }
    }
}
