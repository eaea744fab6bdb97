package io.agentledger.command.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.agentledger.command.imports.SpecKitParserTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

class SpecKitImportHttpTest extends CommandSideTest {

    private String project;

    @BeforeEach
    void project() {
        project = post("/v1/projects", "{\"name\":\"Plans " + System.nanoTime() + "\"}").body().get("id").asText();
    }

    @Test
    void aMultiStoryPlanBecomesTasksWithItsDependenciesPrioritiesLabelsAndDoneBoxes() {
        Response imported = importSpecKit(project, resource("photo-albums-tasks.md"));

        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(200);
        assertThat(imported.body().get("created").asInt()).isEqualTo(16);
        assertThat(imported.body().get("updated").asInt()).isZero();
        assertThat(imported.body().get("unchanged").asInt()).isZero();
        assertThat(imported.body().get("warnings")).as("nothing repaired").isEmpty();
        List<String> refs = new ArrayList<>();
        imported.body().get("tasks").forEach(t -> refs.add(t.get("externalRef").asText()));
        assertThat(refs).hasSize(16).startsWith("T001", "T002").endsWith("T016");
        Map<String, String> ids = ids(imported);

        assertThat(status("T001")).isEqualTo("COMPLETED");
        assertThat(status("T002")).as("its only dependency was done").isEqualTo("READY");
        assertThat(status("T003")).isEqualTo("READY");
        assertThat(status("T004")).isEqualTo("BLOCKED");
        assertThat(dependencies(ids.get("T011"))).containsExactlyInAnyOrder("T004", "T005", "T006", "T007", "T008",
                "T010");
        assertThat(dependencies(ids.get("T015"))).hasSize(8).doesNotContain("T004");
        assertThat(jdbc.queryForObject("SELECT priority_rank FROM task_state WHERE task_id = ?", Integer.class,
                ids.get("T012"))).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT array_to_string(labels, '|') FROM task_state WHERE task_id = ?",
                String.class, ids.get("T013"))).isEqualTo("us2|user story 2 - browse photos as tiles");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND payload_type LIKE '%ProjectPlanRecordedEvent'", Long.class, project)).isEqualTo(1);
    }

    @Test
    void aReImportChangesOnlyWhatChangedAndDeletesNothing() {
        String original = resource("photo-albums-tasks.md");
        Map<String, String> ids = ids(importSpecKit(project, original));
        long events = events();

        Response again = importSpecKit(project, original);
        assertThat(again.body().get("created").asInt()).isZero();
        assertThat(again.body().get("updated").asInt()).isZero();
        assertThat(again.body().get("unchanged").asInt()).isEqualTo(16);
        assertThat(ids(again)).isEqualTo(ids);
        assertThat(events()).as("an unchanged plan appends nothing").isEqualTo(events);

        String changed = original
                .replace("- [ ] T002 Initialize", "- [X] T002 Initialize")
                .replace("Render a tile preview", "Render a tile preview with lazy loading")
                .replace("- [ ] T014 [US3] Generate share links in src/services/share.ts\n", "")
                .replace("- [ ] T016 Performance", "- [ ] T017 [P] Accessibility review of the album grid\n"
                        + "- [ ] T016 Performance");
        Response reimported = importSpecKit(project, changed);
        assertThat(reimported.status()).as(reimported.raw().body()).isEqualTo(200);
        assertThat(reimported.body().get("created").asInt()).isEqualTo(1);
        assertThat(reimported.body().get("updated").asInt()).isEqualTo(2);
        assertThat(reimported.body().get("unchanged").asInt()).isEqualTo(13);
        assertThat(status("T002")).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("SELECT title FROM task_state WHERE task_id = ?", String.class,
                ids.get("T013"))).isEqualTo("Render a tile preview with lazy loading in src/components/Tiles.tsx");
        assertThat(status("T014")).as("a line removed from the plan keeps its task").isEqualTo("BLOCKED");
        assertThat(dependencies(ids(reimported).get("T017"))).contains("T013").doesNotContain("T015");
    }

    @Test
    void malformedPlansAreRefusedNamingTheLineAndCreateNothing() {
        String[][] cases = {
                {"# Tasks\n\nNo tasks yet.\n", "body has no task lines"},
                {"## Phase 1: Setup\n- [ ] T001 One\n- [ ] T001 Twice\n", "line 3 repeats task id T001 of line 2"},
                {"## Phase 1: Setup\n- [ ] T001 One\n- [ ] T002 Two (depends on T009)\n",
                        "line 3 depends on T009, which is not a task of the plan"},
                {"## Phase 1: Setup\n- [ ] T001 [P] One (depends on T002)\n- [ ] T002 [P] Two (depends on T001)\n",
                        "line 2 closes a dependency cycle T001 → T002 → T001"},
                {"## Phase 1: Setup\n- [ ] T001 One\n- [ ] without an id\n", "line 3 has no task id"},
        };
        for (String[] malformed : cases) {
            Response refused = importSpecKit(project, malformed[0]);
            assertThat(refused.status()).as(malformed[1]).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
            assertThat(refused.body().get("detail").asText()).startsWith(malformed[1]);
            String field = malformed[1].startsWith("line") ? malformed[1].split(" ")[0] + " "
                    + malformed[1].split(" ")[1] : "body";
            assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo(field);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_state WHERE project_id = ?", Long.class, project))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, project)).as("only the project's creation").isEqualTo(1);
    }

    @Test
    void theTextIsDecodedInTheCharsetItsContentTypeNamesAndUtf8Otherwise() {
        Response latin1 = send(request("/v1/projects/" + project + "/imports/spec-kit")
                .setHeader("Content-Type", "text/markdown; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("## Phase 1: Setup\n- [ ] T001 Café menu\n",
                        StandardCharsets.ISO_8859_1)));
        assertThat(latin1.status()).as(latin1.raw().body()).isEqualTo(200);
        Response utf8 = send(request("/v1/projects/" + project + "/imports/spec-kit")
                .setHeader("Content-Type", "text/markdown")
                .POST(HttpRequest.BodyPublishers.ofString("## Phase 1: Setup\n- [ ] T001 Café menu\n"
                        + "- [ ] T002 Crème → brûlée\n", StandardCharsets.UTF_8)));
        assertThat(utf8.status()).as(utf8.raw().body()).isEqualTo(200);
        assertThat(utf8.body().get("unchanged").asInt()).as("the same title both ways").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT title FROM task_state WHERE project_id = ? AND external_ref = 'T002'",
                String.class, project)).isEqualTo("Crème → brûlée");
    }

    @Test
    void onlyMarkdownOrTextFromAnAdminOfTheProjectsTenantIsImported() {
        String plan = "## Phase 1: Setup\n- [ ] T001 One\n";
        Response json = send(request("/v1/projects/" + project + "/imports/spec-kit")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tasks\":[]}")));
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");

        Response text = send(request("/v1/projects/" + project + "/imports/spec-kit")
                .setHeader("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(plan)));
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.body().get("created").asInt()).isEqualTo(1);

        String agent = registerPrincipal(ADMIN_KEY, "agent");
        Response byAgent = send(anonymous("/v1/projects/" + project + "/imports/spec-kit")
                .header("Authorization", "Bearer " + accessToken(agent)).setHeader("Content-Type", "text/markdown")
                .POST(HttpRequest.BodyPublishers.ofString(plan)));
        assertThat(byAgent.status()).isEqualTo(403);
        assertThat(byAgent.code()).isEqualTo("FORBIDDEN");

        String otherAdmin = postAs(OPERATOR_KEY, "/v1/tenants", "{\"name\":\"Other " + System.nanoTime() + "\"}")
                .body().get("adminApiKey").asText();
        Response otherTenant = send(anonymous("/v1/projects/" + project + "/imports/spec-kit")
                .header("Authorization", "Bearer " + accessToken(otherAdmin)).setHeader("Content-Type", "text/markdown")
                .POST(HttpRequest.BodyPublishers.ofString(plan)));
        assertThat(otherTenant.status()).isEqualTo(404);
        assertThat(otherTenant.code()).isEqualTo("NOT_FOUND");
        assertThat(importSpecKit("7f0c5a10-0000-4000-8000-000000000000", plan).status()).isEqualTo(404);

        post("/v1/projects/" + project + "/archive", "");
        assertThat(importSpecKit(project, plan).code()).isEqualTo("PROJECT_ARCHIVED");
    }

    @Test
    void theProjectsOwnTasksFileImportsWithItsDependencyGraph() throws IOException {
        String tasksMd = Files.readString(Path.of("../.specify/tasks.md"));
        Response imported = importSpecKit(project, tasksMd);

        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(200);
        int lines = (int) tasksMd.lines().filter(l -> l.matches("^- \\[[ xX]] T\\d+ .*")).count();
        assertThat(imported.body().get("created").asInt()).isEqualTo(lines);
        Map<String, String> ids = ids(imported);
        assertThat(dependencies(ids.get("T009"))).containsExactlyInAnyOrder("T001", "T002", "T003", "T004", "T005",
                "T006", "T007", "T008");
        assertThat(dependencies(ids.get("T002"))).containsExactly("T001");
        assertThat(dependencies(ids.get("T063"))).contains("T009", "T103", "T062").doesNotContain("T042");
        assertThat(dependencies(ids.get("T064"))).contains("T063");
        // the file is this project's living plan: whatever is checked in it, a checked task is COMPLETED, an open
        // one READY exactly when everything it depends on is checked, and BLOCKED otherwise
        Set<String> checked = tasksMd.lines().filter(l -> l.matches("^- \\[[xX]] T\\d+ .*"))
                .map(l -> l.split(" ")[2]).collect(Collectors.toSet());
        assertThat(checked).contains("T001");
        for (String ref : ids.keySet()) {
            String expected = checked.contains(ref) ? "COMPLETED"
                    : checked.containsAll(dependencies(ids.get(ref))) ? "READY" : "BLOCKED";
            assertThat(status(ref)).as(ref).isEqualTo(expected);
        }
        assertThat(jdbc.queryForObject("SELECT description FROM task_state WHERE task_id = ?", String.class,
                ids.get("T075"))).startsWith("Add `GET /v1/audit/aggregates/{aggregateId}/events`");

        Response again = importSpecKit(project, tasksMd);
        assertThat(again.body().get("unchanged").asInt()).isEqualTo(lines);
    }

    @Test
    void claimNextHandsOutImportedTasksOnlyOnceTheirDependenciesAreDone() {
        Map<String, String> ids = ids(importSpecKit(project, resource("photo-albums-tasks.md")));
        Map<String, String> refs = new LinkedHashMap<>();
        ids.forEach((ref, id) -> refs.put(id, ref));
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        SpecKitParser.parse(resource("photo-albums-tasks.md")).tasks()
                .forEach(t -> graph.put(t.externalRef(), new HashSet<>(t.dependsOn())));
        String agent = registerPrincipal(ADMIN_KEY, "agent");

        Set<String> done = new HashSet<>(Set.of("T001"));
        List<String> order = new ArrayList<>();
        while (true) {
            Response next = postAs(agent, "/v1/projects/" + project + "/tasks/claim-next", "{\"waitSeconds\":5}");
            if (next.status() == 204) {
                break;
            }
            assertThat(next.status()).as(next.raw().body()).isEqualTo(200);
            String ref = refs.get(next.body().get("id").asText());
            assertThat(done).as(ref + " is handed out after its dependencies").containsAll(graph.get(ref));
            order.add(ref);
            Response completed = postAs(agent, "/v1/tasks/" + next.body().get("id").asText() + "/complete",
                    "{\"leaseId\":\"" + next.body().get("claim").get("leaseId").asText() + "\"}");
            assertThat(completed.status()).isEqualTo(200);
            done.add(ref);
        }
        assertThat(order).hasSize(15).startsWith("T002").endsWith("T016");
        assertThat(order.indexOf("T007")).as("HIGH stories before MEDIUM ones").isLessThan(order.indexOf("T012"));
    }

    private Response importSpecKit(String projectId, String markdown) {
        return send(request("/v1/projects/" + projectId + "/imports/spec-kit")
                .setHeader("Content-Type", "text/markdown").POST(HttpRequest.BodyPublishers.ofString(markdown)));
    }

    private static Map<String, String> ids(Response imported) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode task : imported.body().get("tasks")) {
            ids.put(task.get("externalRef").asText(), task.get("id").asText());
        }
        return ids;
    }

    private String status(String externalRef) {
        return jdbc.queryForObject("SELECT status FROM task_state WHERE project_id = ? AND external_ref = ?",
                String.class, project, externalRef);
    }

    private List<String> dependencies(String taskId) {
        return jdbc.queryForList("SELECT s.external_ref FROM task_dependency d JOIN task_state s"
                + " ON s.task_id = d.depends_on WHERE d.task_id = ?", String.class, taskId);
    }

    private long events() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }
}
