package io.agentledger.command.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.command.DomainException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import static io.agentledger.command.imports.SpecKitParserTest.byRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskMasterParserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void subtasksThatRepeatAnIdAreRenumberedByPositionWithAWarningEach() {
        ImportPlan plan = parse("{\"master\":{\"tasks\":[{\"id\":1,\"title\":\"One\"},{\"id\":4,\"title\":\"Four\","
                + "\"subtasks\":[" + subtasks(8, position -> "1") + "]}]}}");

        assertThat(plan.tasks()).extracting(PlannedTask::externalRef)
                .containsExactly("1", "4", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8");
        assertThat(plan.tasks()).extracting(PlannedTask::title).endsWith("Sub 1", "Sub 2", "Sub 3", "Sub 4",
                "Sub 5", "Sub 6", "Sub 7", "Sub 8");
        assertThat(plan.warnings()).extracting(ImportWarning::field).containsExactly(
                "master.tasks[1].subtasks[1].id", "master.tasks[1].subtasks[2].id", "master.tasks[1].subtasks[3].id",
                "master.tasks[1].subtasks[4].id", "master.tasks[1].subtasks[5].id", "master.tasks[1].subtasks[6].id",
                "master.tasks[1].subtasks[7].id");
        assertThat(plan.warnings().get(4).message()).isEqualTo("master.tasks[1].subtasks[5].id repeats id 1 of "
                + "master.tasks[1].subtasks[0]; renumbered to 6 (task 4.6)");
        assertThat(PlanValidator.creationOrder(plan.tasks())).hasSize(10);
    }

    @Test
    void aRenumberedSubtaskNeverTakesAnIdAnotherSubtaskOfTheTaskHas() {
        // ids 3, 3, 2, 3, 6: the second 3 (position 2) skips the taken 2 and 3 to 4; the third (position 4) gets 5
        ImportPlan plan = parse("{\"tasks\":[{\"id\":7,\"title\":\"Seven\",\"subtasks\":["
                + subtasks(5, position -> List.of("3", "3", "2", "3", "6").get(position - 1)) + "]}]}");

        assertThat(plan.tasks()).extracting(PlannedTask::externalRef)
                .containsExactly("7", "7.3", "7.4", "7.2", "7.5", "7.6");
        assertThat(plan.warnings()).extracting(ImportWarning::field)
                .containsExactly("tasks[0].subtasks[1].id", "tasks[0].subtasks[3].id");
    }

    @Test
    void theRepairDependsOnTheDocumentAloneAndAFileWithoutRepeatsHasNoWarnings() {
        byte[] file = TaskMasterFiles.realSized();
        ImportPlan first = TaskMasterParser.parse(read(file), "master");
        ImportPlan again = TaskMasterParser.parse(read(file), "master");

        assertThat(again).isEqualTo(first);
        assertThat(first.warnings()).extracting(ImportWarning::field).containsExactly(
                "master.tasks[36].subtasks[1].id", "master.tasks[36].subtasks[2].id",
                "master.tasks[36].subtasks[3].id", "master.tasks[36].subtasks[4].id",
                "master.tasks[36].subtasks[5].id", "master.tasks[36].subtasks[6].id",
                "master.tasks[36].subtasks[7].id");
        assertThat(byRef(first)).containsKeys("37.1", "37.2", "37.8").doesNotContainKey("37.9");
        assertThat(PlanValidator.creationOrder(first.tasks())).hasSameSizeAs(first.tasks());

        assertThat(TaskMasterParser.parse(read(file), "feature-auth").warnings()).isEmpty();
    }

    @Test
    void theGeneratedFileHasTheSizeAndShapeOfTheRealOne() throws IOException {
        byte[] file = TaskMasterFiles.realSized();
        JsonNode tags = read(file);
        byte[] master = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tags.get("master"));

        assertThat(tags.size()).isEqualTo(9);
        assertThat(file.length).as("whole file").isBetween(1_450_000, 1_600_000);
        assertThat(master.length).as("master tag").isBetween(900_000, 1_000_000);
        assertThat(tags.get("master").get("tasks")).hasSize(TaskMasterFiles.MASTER_TASKS);
        assertThat(tags.get("master").get("tasks").get(36).get("subtasks")).hasSize(8)
                .allMatch(subtask -> subtask.get("id").asInt() == 1);
    }

    @Test
    void subtaskDependenciesNameSiblingsByIdOtherSubtasksAsParentDotIdAndElseTasks() {
        ImportPlan plan = parse("{\"tasks\":["
                + "{\"id\":1,\"title\":\"One\",\"subtasks\":[{\"id\":1,\"title\":\"1.1\"},{\"id\":2,\"title\":\"1.2\"}]},"
                + "{\"id\":2,\"title\":\"Two\",\"dependencies\":[\"1.2\"],\"subtasks\":["
                + "{\"id\":1,\"title\":\"2.1\",\"dependencies\":[\"1.1\"]},"
                + "{\"id\":1,\"title\":\"2.2\",\"dependencies\":[1]},"
                + "{\"id\":3,\"title\":\"2.3\",\"dependencies\":[\"2\", 1, \"2.1\"]}]},"
                + "{\"id\":3,\"title\":\"Three\",\"subtasks\":[{\"id\":1,\"title\":\"3.1\",\"dependencies\":[2]}]}]}");
        Map<String, PlannedTask> tasks = byRef(plan);

        assertThat(tasks.get("2").dependsOn()).containsExactly("1.2");
        assertThat(tasks.get("2.1").dependsOn()).as("another task's subtask").containsExactly("1.1");
        assertThat(tasks.get("2.2").title()).as("the repeated id 1, renumbered by position").isEqualTo("2.2");
        assertThat(tasks.get("2.2").dependsOn()).as("id 1 is the subtask that kept it").containsExactly("2.1");
        assertThat(tasks.get("2.3").dependsOn()).as("2 is the renumbered sibling; repeats count once")
                .containsExactly("2.2", "2.1");
        assertThat(tasks.get("3.1").dependsOn()).as("no sibling 2: task 2").containsExactly("2");
        assertThat(PlanValidator.creationOrder(plan.tasks())).extracting(PlannedTask::externalRef)
                .containsExactly("1", "1.1", "1.2", "2", "2.1", "2.2", "2.3", "3", "3.1");
    }

    @Test
    void subtaskDependenciesOnNothingOrInACycleAreRefusedNamingTheSubtask() {
        assertInvalidPlan("{\"tasks\":[{\"id\":4,\"title\":\"Four\",\"subtasks\":[{\"id\":1,\"title\":\"A\"},"
                + "{\"id\":2,\"title\":\"B\",\"dependencies\":[9]}]}]}",
                "tasks[0].subtasks[1]", "tasks[0].subtasks[1] depends on 4.9, which is not a task of the plan");
        assertInvalidPlan("{\"tasks\":[{\"id\":4,\"title\":\"Four\",\"subtasks\":[{\"id\":1,\"title\":\"A\"},"
                + "{\"id\":2,\"title\":\"B\",\"dependencies\":[\"5.1\"]}]}]}",
                "tasks[0].subtasks[1]", "tasks[0].subtasks[1] depends on 5.1, which is not a task of the plan");
        assertInvalidPlan("{\"tasks\":[{\"id\":4,\"title\":\"Four\",\"subtasks\":[{\"id\":1,\"title\":\"A\","
                + "\"dependencies\":[2]},{\"id\":2,\"title\":\"B\",\"dependencies\":[1]}]}]}",
                "tasks[0].subtasks[0]", "tasks[0].subtasks[0] closes a dependency cycle 4.1 → 4.2 → 4.1");
        assertInvalidPlan("{\"tasks\":[{\"id\":4,\"title\":\"Four\",\"dependencies\":[\"4.1\"],\"subtasks\":["
                + "{\"id\":1,\"title\":\"A\",\"dependencies\":[4]}]}]}",
                "tasks[0]", "tasks[0] closes a dependency cycle 4 → 4.1 → 4");
        assertThatThrownBy(() -> parse("{\"tasks\":[{\"id\":4,\"title\":\"Four\",\"subtasks\":[{\"id\":1,"
                + "\"title\":\"A\",\"dependencies\":{\"id\":2}}]}]}")).isInstanceOf(DomainException.class)
                .hasMessage("tasks[0].subtasks[0].dependencies must be a list of task ids");
    }

    @Test
    void repeatedTaskIdsAreStillRefused() {
        assertInvalidPlan("{\"tasks\":[{\"id\":1,\"title\":\"A\"},{\"id\":1,\"title\":\"B\"}]}", "tasks[1]",
                "tasks[1] repeats task id 1 of tasks[0]");
    }

    private static void assertInvalidPlan(String json, String field, String detail) {
        assertThatThrownBy(() -> PlanValidator.creationOrder(parse(json).tasks())).isInstanceOf(DomainException.class)
                .hasMessage(detail)
                .satisfies(e -> assertThat(((DomainException) e).field()).isEqualTo(field));
    }

    private static String subtasks(int count, java.util.function.IntFunction<String> id) {
        StringBuilder json = new StringBuilder();
        for (int position = 1; position <= count; position++) {
            json.append(position == 1 ? "" : ",").append("{\"id\":").append(id.apply(position))
                    .append(",\"title\":\"Sub ").append(position).append("\"}");
        }
        return json.toString();
    }

    private static ImportPlan parse(String json) {
        return TaskMasterParser.parse(read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
    }

    private static JsonNode read(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
