package io.agentledger.command.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import io.agentledger.api.task.TaskCompletedEvent;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KnowledgeCommandHttpTest extends CommandSideTest {

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    EventStore events;

    @Test
    void entriesAreRecordedRevisedAndRetired() {
        String project = post("/v1/projects", "{\"name\":\"Knowing\"}").body().get("id").asText();
        Response recorded = post("/v1/knowledge", "{\"title\":\"Pooling\",\"body\":\"Use *Hikari*\",\"tags\":[\"DB\"],"
                + "\"projectId\":\"" + project + "\"}");
        assertThat(recorded.status()).isEqualTo(201);
        JsonNode entry = recorded.body();
        String id = entry.get("id").asText();
        assertThat(recorded.header("Location")).isEqualTo("/v1/knowledge/" + id);
        assertThat(entry.get("revision").asInt()).isEqualTo(1);
        assertThat(entry.get("tags").toString()).isEqualTo("[\"db\"]");
        assertThat(entry.get("projectId").asText()).isEqualTo(project);

        Response revised = send(request("/v1/knowledge/" + id).PUT(HttpRequest.BodyPublishers.ofString(
                "{\"title\":\"Pooling v2\",\"body\":\"Size the pool\",\"tags\":[]}")));
        assertThat(revised.status()).isEqualTo(200);
        assertThat(revised.body().get("revision").asInt()).isEqualTo(2);

        assertThat(post("/v1/knowledge/" + id + "/retire", "").body().get("status").asText()).isEqualTo("RETIRED");
        Response afterRetire = send(request("/v1/knowledge/" + id).PUT(HttpRequest.BodyPublishers.ofString(
                "{\"title\":\"v3\",\"body\":\"x\"}")));
        assertThat(afterRetire.code()).isEqualTo("KNOWLEDGE_RETIRED");
    }

    @Test
    void linksMustPointIntoTheCallersTenantAndAnalystsCannotWrite() {
        assertThat(post("/v1/knowledge", "{\"title\":\"t\",\"body\":\"b\",\"projectId\":\"" + UUID.randomUUID() + "\"}")
                .code()).isEqualTo("NOT_FOUND");
        assertThat(post("/v1/knowledge", "{\"title\":\"t\",\"body\":\"b\",\"sourceTaskId\":\"" + UUID.randomUUID() + "\"}")
                .code()).isEqualTo("NOT_FOUND");
        assertThat(post("/v1/knowledge", "{\"title\":\"t\"}").code()).isEqualTo("VALIDATION_FAILED");
        String analyst = registerPrincipal(ADMIN_KEY, "analyst");
        assertThat(postAs(analyst, "/v1/knowledge", "{\"title\":\"t\",\"body\":\"b\"}").status()).isEqualTo(403);
        String agent = registerPrincipal(ADMIN_KEY, "agent");
        assertThat(postAs(agent, "/v1/knowledge", "{\"title\":\"t\",\"body\":\"b\"}").status()).isEqualTo(201);
    }

    @Test
    void aCompletedTasksLearningsBecomeEntriesExactlyOnceEvenWhenReplayed() {
        String project = post("/v1/projects", "{\"name\":\"Learning\"}").body().get("id").asText();
        String agent = registerPrincipal(ADMIN_KEY, "agent");
        String task = post("/v1/projects/" + project + "/tasks", "{\"title\":\"Learn\"}").body().get("id").asText();
        JsonNode claimed = postAs(agent, "/v1/tasks/" + task + "/claim", "{}").body();
        assertThat(claimed.get("relatedKnowledge").isArray()).isTrue();
        String lease = claimed.get("claim").get("leaseId").asText();
        assertThat(postAs(agent, "/v1/tasks/" + task + "/complete", "{\"leaseId\":\"" + lease + "\",\"learnings\":["
                + "{\"title\":\"First\",\"body\":\"one\"},{\"title\":\"Second\",\"body\":\"two\",\"tags\":[\"x\"]}]}")
                .status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> learningsOf(task) == 2);
        String first = LearningsRecorder.entryId(task, 0);
        assertThat(jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM domain_event_entry"
                + " WHERE aggregate_identifier = ?", String.class, first))
                .contains("\"sourceTaskId\":\"" + task + "\"").contains("\"projectId\":\"" + project + "\"");

        StreamingEventProcessor recorder = processing
                .eventProcessor("task-learnings", StreamingEventProcessor.class).orElseThrow();
        recorder.shutDown();
        jdbc.update("DELETE FROM token_entry WHERE processor_name = 'task-learnings'");
        recorder.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> recorder.processingStatus().values().stream()
                .allMatch(status -> status.isCaughtUp()) && !recorder.processingStatus().isEmpty());
        assertThat(learningsOf(task)).isEqualTo(2);
    }

    @Test
    void aCompletionWithoutLearningsIsNotHandedToTheLearningsProcessor() {
        String project = post("/v1/projects", "{\"name\":\"Quiet\"}").body().get("id").asText();
        String agent = registerPrincipal(ADMIN_KEY, "agent");
        String silent = completed(agent, project, "[]");
        String learned = completed(agent, project, "[{\"title\":\"Lesson\",\"body\":\"learned\"}]");

        AbstractEventProcessor recorder = processing
                .eventProcessor("task-learnings", AbstractEventProcessor.class).orElseThrow();
        assertThat(recorder.eventHandlerInvoker().canHandle(completion(silent), Segment.ROOT_SEGMENT))
                .as("no unit of work, transaction or token commit for a completion without learnings").isFalse();
        assertThat(recorder.eventHandlerInvoker().canHandle(completion(learned), Segment.ROOT_SEGMENT)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> learningsOf(learned) == 1);
        assertThat(learningsOf(silent)).isZero();
    }

    private String completed(String agent, String project, String learnings) {
        String task = post("/v1/projects/" + project + "/tasks", "{\"title\":\"Do\"}").body().get("id").asText();
        String lease = postAs(agent, "/v1/tasks/" + task + "/claim", "{}").body().get("claim").get("leaseId").asText();
        assertThat(postAs(agent, "/v1/tasks/" + task + "/complete", "{\"leaseId\":\"" + lease
                + "\",\"learnings\":" + learnings + "}").status()).isEqualTo(200);
        return task;
    }

    private DomainEventMessage<?> completion(String task) {
        return events.readEvents(task).asStream()
                .filter(event -> event.getPayload() instanceof TaskCompletedEvent).findFirst().orElseThrow();
    }

    private long learningsOf(String task) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE"
                + " '%KnowledgeRecordedEvent' AND convert_from(payload, 'UTF8') LIKE ?", Long.class,
                "%\"sourceTaskId\":\"" + task + "\"%");
    }
}
