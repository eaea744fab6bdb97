package io.agentledger.query.task;

import io.agentledger.api.project.PlanItem;
import io.agentledger.api.project.PlanPhase;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.ProjectPlanRecordedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskEditedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.query.QuerySideTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SpecKitExportHttpTest extends QuerySideTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final String project = UUID.randomUUID().toString();

    @Test
    void thePlanIsWrittenBackWithItsPhasesOrderMarkersAndDoneBoxes() throws Exception {
        append("Project", project, 0, new ProjectCreatedEvent(project, "default", "Photo Albums", null));
        String setup = task("T001", "Create project structure", null);
        String lint = task("T002", "Configure linting", null);
        String model = task("T003", "Create the Album model", null);
        String longLine = "word ".repeat(120).strip();
        String grid = task("T004", longLine.substring(0, 400) + "…", longLine);
        append("Task", setup, 1, new TaskCompletedEvent(setup, "default", project, null, null, null, List.of()));
        append("Task", model, 1, new TaskEditedEvent(model, "default", project, "Create the Album model in\nsrc",
                null, TaskPriority.HIGH, List.of()));
        append("Project", project, 1, new ProjectPlanRecordedEvent(project, "default", List.of(
                new PlanPhase("Phase 1: Setup", List.of(
                        new PlanItem(setup, "T001", null, false, null, List.of()),
                        new PlanItem(lint, "T002", null, true, null, List.of()))),
                new PlanPhase("Phase 2: Foundational", List.of()),
                new PlanPhase("Phase 3: User Story 1 - Albums (Priority: P1)", List.of(
                        new PlanItem(model, "T003", "Tests", true, "US1", List.of()),
                        new PlanItem(grid, "T004", "Implementation", false, "US1", List.of("T001", "T002")))))));

        String expected = """
                # Tasks: Photo Albums

                ## Phase 1: Setup

                - [X] T001 Create project structure
                - [ ] T002 [P] Configure linting

                ---

                ## Phase 2: Foundational

                ---

                ## Phase 3: User Story 1 - Albums (Priority: P1)

                ### Tests

                - [ ] T003 [P] [US1] Create the Album model in src

                ### Implementation

                - [ ] T004 [US1] %s (depends on T001, T002)

                ---
                """.formatted(longLine);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(export(project, token("default",
                UUID.randomUUID().toString(), "agent")).body()).isEqualTo(expected));
        HttpResponse<String> response = export(project, token("default", ADMIN, "admin"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/markdown;charset=UTF-8");
        assertThat(get("/v1/projects/" + project).body().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void aProjectWithoutAPlanExportsAnEmptyOneAndAnotherTenantsProjectIsNotFound() throws Exception {
        append("Project", project, 0, new ProjectCreatedEvent(project, "default", "Empty", null));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                export(project, token("default", ADMIN, "admin")).body()).isEqualTo("# Tasks: Empty\n"));

        HttpResponse<String> otherTenant = export(project, token("other", ADMIN, "admin"));
        assertThat(otherTenant.statusCode()).isEqualTo(404);
        assertThat(mapper.readTree(otherTenant.body()).get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(export(UUID.randomUUID().toString(), token("default", ADMIN, "admin")).statusCode())
                .isEqualTo(404);
    }

    private String task(String ref, String title, String description) {
        String id = UUID.randomUUID().toString();
        append("Task", id, 0, new TaskCreatedEvent(id, "default", project, title, description, TaskPriority.HIGH,
                List.of(), List.of(), List.of(), List.of(), ref, 3, 900, TaskStatus.READY));
        return id;
    }

    private HttpResponse<String> export(String projectId, String token) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/projects/" + projectId
                        + "/exports/spec-kit")).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
