package io.agentledger.command.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.agentledger.command.imports.SpecKitParserTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

class TaskMasterImportHttpTest extends CommandSideTest {

    private String project;

    @BeforeEach
    void project() {
        project = post("/v1/projects", "{\"name\":\"Task Master " + System.nanoTime() + "\"}").body().get("id")
                .asText();
    }

    @Test
    void aTaggedTasksFileBecomesTasksWithSubtasksStatusesPrioritiesAndDependencies() {
        Response imported = post("/v1/projects/" + project + "/imports/task-master",
                resource("task-master-tagged.json"));

        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(200);
        assertThat(imported.body().get("created").asInt()).isEqualTo(7);
        Map<String, String> ids = ids(imported);
        assertThat(ids.keySet()).containsExactly("1", "2", "2.1", "2.2", "3", "4", "5");

        assertThat(column("status", "1")).isEqualTo("COMPLETED");
        assertThat(column("status", "2")).as("in-progress is open; its dependency is done").isEqualTo("READY");
        assertThat(column("status", "2.1")).isEqualTo("COMPLETED");
        assertThat(column("status", "2.2")).as("its sibling 2.1 is done").isEqualTo("READY");
        assertThat(column("status", "3")).isEqualTo("BLOCKED");
        assertThat(column("status", "4")).isEqualTo("CANCELLED");
        assertThat(column("status", "5")).isEqualTo("BLOCKED");
        assertThat(column("priority_rank::text", "2")).isEqualTo("0");
        assertThat(column("priority_rank::text", "2.1")).as("a subtask without one has its parent's").isEqualTo("0");
        assertThat(column("priority_rank::text", "2.2")).isEqualTo("3");
        assertThat(column("priority_rank::text", "5")).as("medium by default").isEqualTo("2");
        assertThat(column("array_to_string(labels, ',')", "2.2")).isEqualTo("parent:2");
        assertThat(column("description", "1")).isEqualTo("Create the repository and the build\n\n"
                + "Use Gradle with the Kotlin DSL");
        assertThat(jdbc.queryForList("SELECT depends_on FROM task_dependency WHERE task_id = ?", String.class,
                ids.get("5"))).containsExactlyInAnyOrder(ids.get("3"), ids.get("4"));
        assertThat(jdbc.queryForList("SELECT depends_on FROM task_dependency WHERE task_id = ?", String.class,
                ids.get("2.2"))).as("a subtask's numeric dependency is its sibling").containsExactly(ids.get("2.1"));
        assertThat(imported.body().get("warnings")).as("nothing repaired").isEmpty();

        Response again = post("/v1/projects/" + project + "/imports/task-master",
                resource("task-master-tagged.json"));
        assertThat(again.body().get("unchanged").asInt()).isEqualTo(7);
        assertThat(ids(again)).isEqualTo(ids);
    }

    @Test
    void aPlainTasksFileImportsAndChangesUpdateTheTasks() {
        Response imported = post("/v1/projects/" + project + "/imports/task-master", resource("task-master-plain.json"));
        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(200);
        assertThat(imported.body().get("created").asInt()).isEqualTo(2);
        assertThat(column("status", "2")).as("review is open").isEqualTo("BLOCKED");

        Response changed = post("/v1/projects/" + project + "/imports/task-master", resource("task-master-plain.json")
                .replace("\"Write the output\", \"status\": \"review\"", "\"Write the report\", \"status\": \"done\""));
        assertThat(changed.body().get("updated").asInt()).isEqualTo(1);
        assertThat(changed.body().get("unchanged").asInt()).isEqualTo(1);
        assertThat(column("title", "2")).isEqualTo("Write the report");
        assertThat(column("status", "2")).isEqualTo("COMPLETED");
    }

    @Test
    void malformedTasksFilesAreRefusedNamingTheTaskAndCreateNothing() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"tasks\":[{\"id\":1,\"title\":\"A\",\"dependencies\":[7]}]}",
                "tasks[0] depends on 7, which is not a task of the plan");
        cases.put("{\"master\":{\"tasks\":[{\"id\":1,\"title\":\"A\"},{\"id\":1,\"title\":\"B\"}]}}",
                "master.tasks[1] repeats task id 1 of master.tasks[0]");
        cases.put("{\"tasks\":[{\"id\":1,\"title\":\"A\",\"dependencies\":[2]},{\"id\":2,\"title\":\"B\","
                + "\"dependencies\":[1]}]}", "tasks[0] closes a dependency cycle 1 → 2 → 1");
        cases.put("{\"tasks\":[{\"id\":1,\"title\":\"A\",\"priority\":\"urgent\"}]}",
                "tasks[0].priority must be low, medium, high or critical");
        cases.put("{\"tasks\":[{\"id\":1,\"title\":\" \"}]}", "tasks[0].title must be 1 to 500 characters");
        cases.put("{\"tasks\":[{\"title\":\"No id\"}]}", "tasks[0].id must be a number or a text");
        cases.put("{\"tasks\":[{\"id\":1,\"title\":\"A\",\"subtasks\":{\"id\":2},\"dependencies\":3}]}",
                "tasks[0].dependencies must be a list of task ids");
        cases.put("{\"tasks\":[{\"id\":1,\"title\":\"A\",\"dependencies\":[{}]}]}",
                "tasks[0].dependencies must be a list of task ids");
        cases.put("{\"feature\":{\"tasks\":[]},\"other\":{}}", "master.tasks must be a non-empty list of tasks");
        cases.forEach((json, detail) -> {
            Response refused = post("/v1/projects/" + project + "/imports/task-master", json);
            assertThat(refused.status()).as(detail).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
            assertThat(refused.body().get("detail").asText()).isEqualTo(detail);
        });
        assertThat(post("/v1/projects/" + project + "/imports/task-master", "{not json").code())
                .isEqualTo("MALFORMED_REQUEST");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_state WHERE project_id = ?", Long.class, project))
                .isZero();
    }

    @Test
    void theOnlyTagOfAFileOrTheOneAskedForIsImported() {
        String tagged = "{\"feature-x\":{\"tasks\":[{\"id\":1,\"title\":\"Only tag\"}]},";
        Response only = post("/v1/projects/" + project + "/imports/task-master",
                "{\"feature-x\":{\"tasks\":[{\"id\":1,\"title\":\"Only tag\"}]}}");
        assertThat(only.body().get("created").asInt()).isEqualTo(1);
        Response chosen = post("/v1/projects/" + project + "/imports/task-master?tag=b", tagged
                + "\"b\":{\"tasks\":[{\"id\":9,\"title\":\"Chosen\"}]}}");
        assertThat(chosen.body().get("tasks").get(0).get("externalRef").asText()).isEqualTo("9");
    }

    private static Map<String, String> ids(Response imported) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode task : imported.body().get("tasks")) {
            ids.put(task.get("externalRef").asText(), task.get("id").asText());
        }
        return ids;
    }

    private String column(String expression, String externalRef) {
        List<String> values = jdbc.queryForList("SELECT " + expression + " FROM task_state WHERE project_id = ?"
                + " AND external_ref = ?", String.class, project, externalRef);
        assertThat(values).hasSize(1);
        return values.get(0);
    }
}
