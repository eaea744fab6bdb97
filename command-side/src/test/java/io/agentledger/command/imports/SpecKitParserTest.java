package io.agentledger.command.imports;

import io.agentledger.api.project.PlanItem;
import io.agentledger.api.project.PlanPhase;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.DomainException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecKitParserTest {

    static String resource(String name) {
        try (InputStream in = SpecKitParserTest.class.getResourceAsStream("/imports/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, PlannedTask> byRef(ImportPlan plan) {
        return plan.tasks().stream().collect(Collectors.toMap(PlannedTask::externalRef, Function.identity()));
    }

    @Test
    void aMultiStoryPlanGetsThePhaseRulesDependenciesPrioritiesAndLabels() {
        ImportPlan plan = SpecKitParser.parse(resource("photo-albums-tasks.md"));
        Map<String, PlannedTask> tasks = byRef(plan);

        assertThat(plan.tasks()).extracting(PlannedTask::externalRef).containsExactly("T001", "T002", "T003", "T004",
                "T005", "T006", "T007", "T008", "T009", "T010", "T011", "T012", "T013", "T014", "T015", "T016");
        List<String> setup = List.of("T001", "T002", "T003");
        List<String> foundational = List.of("T004", "T005", "T006");
        assertThat(tasks.get("T001").dependsOn()).isEmpty();
        assertThat(tasks.get("T002").dependsOn()).containsExactly("T001");
        assertThat(tasks.get("T003").dependsOn()).as("[P] runs in parallel").isEmpty();
        assertThat(tasks.get("T004").dependsOn()).containsExactlyElementsOf(setup);
        assertThat(tasks.get("T005").dependsOn()).containsExactlyElementsOf(setup);
        assertThat(tasks.get("T006").dependsOn()).containsExactly("T001", "T002", "T003", "T005");
        assertThat(tasks.get("T007").dependsOn()).containsExactlyElementsOf(foundational);
        assertThat(tasks.get("T009").dependsOn()).containsExactlyElementsOf(foundational);
        assertThat(tasks.get("T010").dependsOn()).containsExactly("T004", "T005", "T006", "T009");
        assertThat(tasks.get("T011").dependsOn()).containsExactly("T004", "T005", "T006", "T010", "T007", "T008");
        assertThat(tasks.get("T012").dependsOn()).as("stories do not wait for each other")
                .containsExactlyElementsOf(foundational);
        assertThat(tasks.get("T014").dependsOn()).containsExactlyElementsOf(foundational);
        assertThat(tasks.get("T015").dependsOn())
                .containsExactly("T007", "T008", "T009", "T010", "T011", "T012", "T013", "T014");
        assertThat(tasks.get("T016").dependsOn()).contains("T014", "T015").hasSize(9);

        assertThat(tasks.get("T001").priority()).isEqualTo(TaskPriority.HIGH);
        assertThat(tasks.get("T004").priority()).isEqualTo(TaskPriority.HIGH);
        assertThat(tasks.get("T007").priority()).isEqualTo(TaskPriority.HIGH);
        assertThat(tasks.get("T012").priority()).isEqualTo(TaskPriority.MEDIUM);
        assertThat(tasks.get("T014").priority()).isEqualTo(TaskPriority.LOW);
        assertThat(tasks.get("T016").priority()).isEqualTo(TaskPriority.LOW);

        assertThat(tasks.get("T001").finalStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tasks.get("T002").finalStatus()).isNull();
        assertThat(tasks.get("T011").title()).isEqualTo("Implement drag and drop in src/components/AlbumGrid.tsx");
        assertThat(tasks.get("T011").labels()).containsExactly("US1", "User Story 1 - Organise photos in albums 🎯 MVP");
        assertThat(tasks.get("T003").labels()).containsExactly("Setup (Shared Infrastructure)");
        assertThat(tasks.get("T003").title()).isEqualTo("Configure linting and formatting tools in .eslintrc.json");
    }

    @Test
    void theLayoutKeepsHeadingsSectionsMarkersAndExplicitDependencies() {
        List<PlanPhase> layout = SpecKitParser.parse(resource("photo-albums-tasks.md")).layout();

        assertThat(layout).extracting(PlanPhase::heading).containsExactly("Phase 1: Setup (Shared Infrastructure)",
                "Phase 2: Foundational (Blocking Prerequisites)",
                "Phase 3: User Story 1 - Organise photos in albums (Priority: P1) 🎯 MVP",
                "Phase 4: User Story 2 - Browse photos as tiles (Priority: P2)",
                "Phase 5: User Story 3 - Share an album (Priority: P3)",
                "Phase 6: Polish & Cross-Cutting Concerns");
        List<PlanItem> story = layout.get(2).items();
        assertThat(story.get(0)).isEqualTo(new PlanItem(null, "T007", "Tests for User Story 1", true, "US1",
                List.of()));
        assertThat(story.get(4)).isEqualTo(new PlanItem(null, "T011", "Implementation for User Story 1", false, "US1",
                List.of("T007", "T008")));
    }

    @Test
    void theProjectsOwnTasksFileHasTheExpectedGraph() throws IOException {
        String file = Files.readString(Path.of("../.specify/tasks.md"));
        ImportPlan plan = SpecKitParser.parse(file);
        Map<String, PlannedTask> tasks = byRef(plan);

        long phases = file.lines().filter(line -> line.startsWith("## Phase ")).count();
        assertThat(phases).isGreaterThanOrEqualTo(11);
        assertThat(plan.layout()).hasSize((int) phases);
        assertThat(tasks.get("T001").dependsOn()).isEmpty();
        assertThat(tasks.get("T003").dependsOn()).as("[P]").isEmpty();
        assertThat(tasks.get("T007").dependsOn()).containsExactly("T006");
        List<String> setup = List.of("T001", "T002", "T003", "T004", "T005", "T006", "T007", "T008");
        assertThat(tasks.get("T009").dependsOn()).containsExactlyElementsOf(setup);
        assertThat(tasks.get("T063").dependsOn()).as("a story waits for Foundational and its explicit dependency")
                .contains("T009", "T041", "T103", "T062").doesNotContain("T001", "T042");
        assertThat(tasks.get("T064").dependsOn()).contains("T063").doesNotContain("T062");
        assertThat(tasks.get("T063").labels()).containsExactly("US4",
                "User Story 4 - Admin plans with spec-kit and Task Master");
        assertThat(tasks.get("T063").priority()).isEqualTo(TaskPriority.MEDIUM);
        assertThat(tasks.get("T063").title()).contains("(issue #7)").doesNotContain("depends on");
        assertThat(tasks.get("T095").dependsOn()).as("Polish waits for every story").contains("T042", "T063", "T094")
                .doesNotContain("T009");
        assertThat(tasks.get("T095").priority()).isEqualTo(TaskPriority.LOW);
        assertThat(tasks.get("T001").finalStatus()).isEqualTo(TaskStatus.COMPLETED);
        // the file is a living plan: a box is COMPLETED exactly when it is checked
        assertThat(plan.tasks()).allSatisfy(task -> assertThat(task.finalStatus()).as(task.externalRef())
                .isEqualTo(file.contains("- [X] " + task.externalRef() + " ") ? TaskStatus.COMPLETED : null));
        assertThat(plan.tasks()).allMatch(t -> t.title().length() <= 500);
        assertThat(plan.tasks()).filteredOn(t -> t.description() != null)
                .allMatch(t -> t.description().startsWith(t.title().substring(0, t.title().length() - 1)));
        assertThat(PlanValidator.creationOrder(plan.tasks())).hasSameSizeAs(plan.tasks());
    }

    @Test
    void aDocumentWithoutTaskLinesIsRefused() {
        assertRefused("# Tasks\n\n## Phase 1: Setup\n\nNothing yet.\n", "body has no task lines");
        assertRefused("", "body has no task lines");
    }

    @Test
    void malformedLinesAreRefusedNamingTheLine() {
        assertRefused("## Phase 1: Setup\n- [ ] T001 One\n- [ ] Two without an id\n",
                "line 3 has no task id like T001");
        assertRefused("## Phase 1: Setup\n- [ ] T001\n", "line 2 has no description after task id T001");
        assertRefused("- [ ] T001 Before any phase\n## Phase 1: Setup\n- [ ] T002 Two\n",
                "line 1 is a task line outside");
        assertRefused("## Phase 1: Setup\n- [ ] T001 " + "x".repeat(20_001) + "\n", "line 2 is longer than");
    }

    @Test
    void everyKindOfLineBreakEndsALineSoLinesAreNumberedAsAnEditorShowsThem() throws IOException {
        assertRefused("## Phase 1: Setup\r\n- [ ] T001 One\r- [ ] T002 Two\u2028\n- [ ] Three\n",
                "line 5 has no task id like T001");
        ImportPlan plan = SpecKitParser.parse(new StringReader("## Phase 1: Setup\r\n- [ ] T001 One\r- [X] T002 Two"));
        assertThat(plan.tasks()).extracting(PlannedTask::title).containsExactly("One", "Two");
        assertThat(plan.tasks().get(1).finalStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void duplicatesUnknownDependenciesAndCyclesAreRefusedNamingTheLine() {
        assertInvalidPlan("## Phase 1: Setup\n- [ ] T001 One\n- [ ] T002 Two\n- [ ] T001 Again\n",
                "line 4 repeats task id T001 of line 2");
        assertInvalidPlan("## Phase 1: Setup\n- [ ] T001 One\n- [ ] T002 Two (depends on T001, T042)\n",
                "line 3 depends on T042, which is not a task of the plan");
        assertInvalidPlan("## Phase 1: Setup\n- [ ] T001 One (depends on T003)\n- [ ] T002 Two\n- [ ] T003 Three\n",
                "line 2 closes a dependency cycle T001 → T003 → T002 → T001");
        assertInvalidPlan("## Phase 1: Setup\n- [ ] T001 [P] Itself (depends on T001)\n",
                "line 2 closes a dependency cycle T001 → T001");
    }

    @Test
    void anExplicitDependencyOnALaterTaskOrdersCreation() {
        ImportPlan plan = SpecKitParser.parse("## Phase 1: Setup\n- [ ] T001 [P] One (depends on T002)\n"
                + "- [ ] T002 [P] Two\n");
        assertThat(PlanValidator.creationOrder(plan.tasks())).extracting(PlannedTask::externalRef)
                .containsExactly("T002", "T001");
    }

    @Test
    void aVeryLongLineBecomesAShortTitleAndAFullDescription() {
        String text = "word ".repeat(150).strip();
        PlannedTask task = SpecKitParser.parse("## Phase 1: Setup\n- [X] T001 " + text + "\n").tasks().get(0);
        assertThat(task.title()).hasSizeLessThanOrEqualTo(500).endsWith("…");
        assertThat(task.description()).isEqualTo(text);
        assertThat(task.finalStatus()).isEqualTo(TaskStatus.COMPLETED);
    }

    private static void assertRefused(String markdown, String detail) {
        assertThatThrownBy(() -> SpecKitParser.parse(markdown)).isInstanceOf(DomainException.class)
                .hasMessageStartingWith(detail);
    }

    private static void assertInvalidPlan(String markdown, String detail) {
        assertThatThrownBy(() -> PlanValidator.creationOrder(SpecKitParser.parse(markdown).tasks()))
                .isInstanceOf(DomainException.class).hasMessageStartingWith(detail);
    }
}
