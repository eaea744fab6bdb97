package io.agentledger.command.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.CommandSideTest;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Time travel through a task that was claimed, lost its lease, was claimed again and completed. */
class AggregateStateHttpTest extends CommandSideTest {

    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    @Autowired
    EventStore eventStore;

    @Test
    void aTasksStateAtEachInstantAndVersionIsRebuiltFromItsEvents() {
        String task = UUID.randomUUID().toString();
        String project = UUID.randomUUID().toString();
        append(task, 0, T0, new TaskCreatedEvent(task, "default", project, "Audited", null, TaskPriority.HIGH,
                List.of(), List.of(), List.of(), List.of(), null, 3, 60, TaskStatus.READY));
        append(task, 1, T0.plusSeconds(60), new TaskClaimedEvent(task, "default", project, "agent-1", "lease-1",
                T0.plusSeconds(120), 60, 1));
        append(task, 2, T0.plusSeconds(125), new TaskLeaseExpiredEvent(task, "default", project, "agent-1",
                "lease-1", 1, true));
        append(task, 3, T0.plusSeconds(180), new TaskClaimedEvent(task, "default", project, "agent-2", "lease-2",
                T0.plusSeconds(240), 60, 2));
        append(task, 4, T0.plusSeconds(200), new TaskCompletedEvent(task, "default", project, "agent-2", "lease-2",
                "done", List.of()));

        assertState(stateAsOf(task, T0.plusSeconds(1)), "READY", 0, 0);
        JsonNode firstClaim = stateAsOf(task, T0.plusSeconds(61));
        assertState(firstClaim, "IN_PROGRESS", 1, 1);
        assertThat(firstClaim.get("state").get("claim").get("agentId").asText()).isEqualTo("agent-1");
        JsonNode expired = stateAsOf(task, T0.plusSeconds(126));
        assertState(expired, "READY", 1, 2);
        assertThat(expired.get("state").get("failureReason").asText()).isEqualTo("LEASE_EXPIRED");
        JsonNode secondClaim = stateAsOf(task, T0.plusSeconds(181));
        assertState(secondClaim, "IN_PROGRESS", 2, 3);
        assertThat(secondClaim.get("state").get("claim").get("agentId").asText()).isEqualTo("agent-2");
        assertState(stateAsOf(task, T0.plusSeconds(3600)), "COMPLETED", 2, 4);

        assertState(get("/v1/audit/aggregates/" + task + "/state?version=2").body(), "READY", 1, 2);
        assertState(get("/v1/audit/aggregates/" + task + "/state").body(), "COMPLETED", 2, 4);
        assertThat(get("/v1/audit/aggregates/" + task + "/state?asOf=" + T0.minusSeconds(1)).code())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void liveAggregatesOfEveryTypeCanBeReadBackAndOnlyByAuditorsAndAdmins() {
        String project = post("/v1/projects", "{\"name\":\"Audited\"}").body().get("id").asText();
        send(request("/v1/projects/" + project).method("PATCH",
                java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"Renamed\"}")));
        JsonNode atCreation = get("/v1/audit/aggregates/" + project + "/state?version=0").body();
        assertThat(atCreation.get("aggregateType").asText()).isEqualTo("Project");
        assertThat(atCreation.get("state").get("name").asText()).isEqualTo("Audited");
        assertThat(get("/v1/audit/aggregates/" + project + "/state").body().get("state").get("name").asText())
                .isEqualTo("Renamed");

        String auditor = registerPrincipal(ADMIN_KEY, "auditor");
        assertThat(getAs(auditor, "/v1/audit/aggregates/" + project + "/state").status()).isEqualTo(200);
        String agent = registerPrincipal(ADMIN_KEY, "agent");
        assertThat(getAs(agent, "/v1/audit/aggregates/" + project + "/state").status()).isEqualTo(403);

        String otherAdmin = postAs(OPERATOR_KEY, "/v1/tenants", "{\"name\":\"Audit " + UUID.randomUUID() + "\"}")
                .body().get("adminApiKey").asText();
        assertThat(getAs(otherAdmin, "/v1/audit/aggregates/" + project + "/state").code()).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/audit/aggregates/" + project + "/state?version=0&asOf=" + T0).code())
                .isEqualTo("VALIDATION_FAILED");
    }

    private JsonNode stateAsOf(String id, Instant at) {
        return get("/v1/audit/aggregates/" + id + "/state?asOf=" + at).body();
    }

    private static void assertState(JsonNode response, String status, int attempts, long version) {
        assertThat(response.get("aggregateType").asText()).isEqualTo("Task");
        assertThat(response.get("version").asLong()).isEqualTo(version);
        assertThat(response.get("state").get("status").asText()).isEqualTo(status);
        assertThat(response.get("state").get("attempts").asInt()).isEqualTo(attempts);
    }

    private Response get(String path) {
        return send(request(path).GET());
    }

    private Response getAs(String apiKey, String path) {
        return send(anonymous(path).header("Authorization", "Bearer " + accessToken(apiKey)).GET());
    }

    private void append(String id, long sequence, Instant at, Object payload) {
        eventStore.publish(new GenericDomainEventMessage<>("Task", id, sequence, payload, MetaData.emptyInstance(),
                UUID.randomUUID().toString(), at));
    }
}
