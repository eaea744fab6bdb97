package io.agentledger.command.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Task Master file of the size and shape of a real, large project's (1.5 MB, nine tags, one task whose eight
 * subtasks share one id) through HTTP: imports take up to 16 MiB, every other endpoint keeps 1 MiB.
 */
class TaskMasterRealFileHttpTest extends CommandSideTest {

    private static final byte[] FILE = TaskMasterFiles.realSized();
    private static final int SEVENTEEN_MIB = 17 * 1024 * 1024;

    private String project;

    @BeforeEach
    void project() {
        project = post("/v1/projects", "{\"name\":\"Real Task Master " + System.nanoTime() + "\"}").body().get("id")
                .asText();
    }

    @Test
    void theMasterTagOfTheWholeFileImportsWithItsRepeatedSubtaskIdsRepairedAndAgainChangesNothing()
            throws IOException {
        assertThat(FILE.length).isGreaterThan(1024 * 1024);
        JsonNode master = mapper.readTree(FILE).get("master").get("tasks");
        int expected = master.size();
        for (JsonNode task : master) {
            expected += task.get("subtasks").size();
        }

        Response imported = importTaskMaster(HttpRequest.BodyPublishers.ofByteArray(FILE));

        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(200);
        assertThat(imported.body().get("created").asInt()).isEqualTo(expected);
        assertThat(imported.body().get("tasks")).hasSize(expected);
        assertThat(warningFields(imported)).containsExactly("master.tasks[36].subtasks[1].id",
                "master.tasks[36].subtasks[2].id", "master.tasks[36].subtasks[3].id",
                "master.tasks[36].subtasks[4].id", "master.tasks[36].subtasks[5].id",
                "master.tasks[36].subtasks[6].id", "master.tasks[36].subtasks[7].id");
        assertThat(imported.body().get("warnings").get(0).get("message").asText())
                .isEqualTo("master.tasks[36].subtasks[1].id repeats id 1 of master.tasks[36].subtasks[0];"
                        + " renumbered to 2 (task 37.2)");
        Map<String, String> ids = ids(imported);
        JsonNode repeated = master.get(36).get("subtasks");
        for (int position = 1; position <= 8; position++) {
            assertThat(column("title", "37." + position)).as("renumbered by position")
                    .isEqualTo(repeated.get(position - 1).get("title").asText());
        }
        assertThat(dependencies(ids.get("37.3"))).as("a sibling's id, as renumbered").containsExactly(ids.get("37.2"));
        assertThat(dependencies(ids.get("37.2"))).as("id 1 is the subtask that kept it")
                .containsExactly(ids.get("37.1"));
        assertThat(dependencies(ids.get("12"))).containsExactlyInAnyOrder(ids.get("11"), ids.get("8"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_state WHERE project_id = ?", Integer.class,
                project)).isEqualTo(expected);

        Response again = importTaskMaster(HttpRequest.BodyPublishers.ofByteArray(FILE));

        assertThat(again.status()).as(again.raw().body()).isEqualTo(200);
        assertThat(again.body().get("created").asInt()).isZero();
        assertThat(again.body().get("updated").asInt()).isZero();
        assertThat(again.body().get("unchanged").asInt()).isEqualTo(expected);
        assertThat(ids(again)).isEqualTo(ids);
        assertThat(again.body().get("warnings")).isEqualTo(imported.body().get("warnings"));
    }

    @Test
    void importsTakeBodiesUpTo16MiBWithOrWithoutADeclaredLengthAndEveryOtherEndpoint1MiB() {
        byte[] json = ("{\"master\":{\"tasks\":[{\"id\":1,\"title\":\"Big\",\"details\":\"" + "x".repeat(SEVENTEEN_MIB)
                + "\"}]}}").getBytes(StandardCharsets.UTF_8);
        assertTooLarge(importTaskMaster(HttpRequest.BodyPublishers.ofByteArray(json)), 16 * 1024 * 1024);
        assertTooLarge(importTaskMaster(chunked(json)), 16 * 1024 * 1024);

        byte[] markdown = ("## Phase 1: Setup\n- [ ] T001 Big\n" + "Notes on the setup.\n".repeat(SEVENTEEN_MIB / 20))
                .getBytes(StandardCharsets.UTF_8);
        assertTooLarge(importSpecKit(HttpRequest.BodyPublishers.ofByteArray(markdown)), 16 * 1024 * 1024);
        assertTooLarge(importSpecKit(chunked(markdown)), 16 * 1024 * 1024);

        String twoMib = "{\"name\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}";
        assertTooLarge(post("/v1/projects", twoMib), 1024 * 1024);
        assertTooLarge(post("/v1/projects/" + project + "/tasks", "{\"title\":\"t\",\"description\":\""
                + "y".repeat(2 * 1024 * 1024) + "\"}"), 1024 * 1024);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_state WHERE project_id = ?", Integer.class,
                project)).isZero();
    }

    @Test
    void aChunkedImportWithAnIdempotencyKeyRunsOnceAndOneOver16MiBLeavesTheKeyFree() {
        String key = "import-" + System.nanoTime();
        Response first = send(request("/v1/projects/" + project + "/imports/task-master?tag=master")
                .header("Idempotency-Key", key).POST(chunked(FILE)));
        assertThat(first.status()).as(first.raw().body()).isEqualTo(200);

        Response replayed = send(request("/v1/projects/" + project + "/imports/task-master?tag=master")
                .header("Idempotency-Key", key).POST(chunked(FILE)));
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body()).isEqualTo(first.body());

        String tooLargeKey = "too-large-" + System.nanoTime();
        byte[] json = ("{\"tasks\":[{\"id\":1,\"title\":\"" + "z".repeat(SEVENTEEN_MIB) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertTooLarge(send(request("/v1/projects/" + project + "/imports/task-master")
                .header("Idempotency-Key", tooLargeKey).POST(chunked(json))), 16 * 1024 * 1024);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotency_record WHERE idempotency_key = ?",
                Integer.class, tooLargeKey)).isZero();
    }

    @Test
    void aMissingDependencyOrACycleInTheRealFileIsRefusedNamingThePlaceAndCreatesNothing() throws IOException {
        assertRefused(withDependency("master", 49, -1, 999), "master.tasks[49]",
                "master.tasks[49] depends on 999, which is not a task of the plan");
        assertRefused(withDependency("master", 4, 1, 999), "master.tasks[4].subtasks[1]",
                "master.tasks[4].subtasks[1] depends on 5.999, which is not a task of the plan");
        // 12 depends on 11, which depends on 10
        assertRefused(withDependency("master", 9, -1, 12), "master.tasks[9]",
                "master.tasks[9] closes a dependency cycle 10 → 12 → 11 → 10");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_state WHERE project_id = ?", Integer.class,
                project)).isZero();
    }

    /** The file with one more dependency on {@code tasks[task]} of a tag, or on its subtask when one is given. */
    private byte[] withDependency(String tag, int task, int subtask, int dependency) throws IOException {
        ObjectNode file = (ObjectNode) mapper.readTree(FILE);
        JsonNode target = file.get(tag).get("tasks").get(task);
        if (subtask >= 0) {
            target = target.get("subtasks").get(subtask);
        }
        ((ArrayNode) target.get("dependencies")).add(dependency);
        return mapper.writeValueAsBytes(file);
    }

    private void assertRefused(byte[] file, String field, String detail) {
        Response refused = importTaskMaster(HttpRequest.BodyPublishers.ofByteArray(file));
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(refused.body().get("detail").asText()).isEqualTo(detail);
        assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    private static void assertTooLarge(Response response, int limit) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(response.body().get("detail").asText()).isEqualTo("Request bodies are limited to " + limit
                + " bytes");
    }

    private Response importTaskMaster(HttpRequest.BodyPublisher body) {
        return send(request("/v1/projects/" + project + "/imports/task-master?tag=master").POST(body));
    }

    private Response importSpecKit(HttpRequest.BodyPublisher body) {
        return send(request("/v1/projects/" + project + "/imports/spec-kit")
                .setHeader("Content-Type", "text/markdown").POST(body));
    }

    /** A body sent without Content-Length (chunked). */
    private static HttpRequest.BodyPublisher chunked(byte[] bytes) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    private static List<String> warningFields(Response imported) {
        List<String> fields = new ArrayList<>();
        imported.body().get("warnings").forEach(warning -> fields.add(warning.get("field").asText()));
        return fields;
    }

    private static Map<String, String> ids(Response imported) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode task : imported.body().get("tasks")) {
            ids.put(task.get("externalRef").asText(), task.get("id").asText());
        }
        return ids;
    }

    private List<String> dependencies(String taskId) {
        return jdbc.queryForList("SELECT depends_on FROM task_dependency WHERE task_id = ?", String.class, taskId);
    }

    private String column(String expression, String externalRef) {
        List<String> values = jdbc.queryForList("SELECT " + expression + " FROM task_state WHERE project_id = ?"
                + " AND external_ref = ?", String.class, project, externalRef);
        assertThat(values).hasSize(1);
        return values.get(0);
    }
}
