package io.agentledger.query.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.project.ProjectArchivedEvent;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.ProjectDetailsChangedEvent;
import io.agentledger.query.QuerySideTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProjectQueryHttpTest extends QuerySideTest {

    private final String tenant = "tenant-" + UUID.randomUUID();

    @Test
    void aProjectIsReadBackWithMinVersionAndTaskCountsByStatus() {
        String id = UUID.randomUUID().toString();
        append("Project", id, 0, new ProjectCreatedEvent(id, "default", "Apollo", "moon"));
        append("Project", id, 1, new ProjectDetailsChangedEvent(id, "default", "Gemini", "orbit"));

        Response response = get("/v1/projects/" + id + "?minVersion=1");
        assertThat(response.status()).isEqualTo(200);
        JsonNode project = response.body();
        assertThat(project.get("name").asText()).isEqualTo("Gemini");
        assertThat(project.get("description").asText()).isEqualTo("orbit");
        assertThat(project.get("version").asLong()).isEqualTo(1);
        assertThat(project.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(project.get("taskCounts").fieldNames()).toIterable()
                .containsExactly("BLOCKED", "READY", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED");
        assertThat(project.get("taskCounts").get("READY").asLong()).isZero();
    }

    @Test
    void minVersionWaitsForAnEventThatArrivesWhileTheReaderWaits() {
        String id = UUID.randomUUID().toString();
        append("Project", id, 0, new ProjectCreatedEvent(id, "default", "Slow", null));
        Executor later = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS);
        CompletableFuture.runAsync(() -> append("Project", id, 1, new ProjectArchivedEvent(id, "default")), later);

        Response response = get("/v1/projects/" + id + "?minVersion=1");
        assertThat(response.body().get("version").asLong()).isEqualTo(1);
        assertThat(response.body().get("status").asText()).isEqualTo("ARCHIVED");
    }

    @Test
    void unknownProjectsAndOtherTenantsProjectsAreNotFound() {
        String foreign = UUID.randomUUID().toString();
        append("Project", foreign, 0, new ProjectCreatedEvent(foreign, tenant, "Theirs", null));
        awaitProjected(foreign);

        Response response = get("/v1/projects/" + foreign);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/projects/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(listAll("")).doesNotContain(foreign);
    }

    @Test
    void keysetPagesVisitEveryProjectOnceEvenWithInsertsBetweenPages() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            append("Project", id, 0, new ProjectCreatedEvent(id, "default", "Paged " + i, null));
        }
        ids.forEach(this::awaitVisible);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = get("/v1/projects?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.body().get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
            if (pages++ == 0) {
                String inserted = UUID.randomUUID().toString();
                append("Project", inserted, 0, new ProjectCreatedEvent(inserted, "default", "Late", null));
                awaitVisible(inserted);
                ids.add(inserted);
            }
        } while (cursor != null);

        assertThat(seen).doesNotHaveDuplicates().containsAll(ids);
    }

    @Test
    void theStatusFilterSelects() {
        String archived = UUID.randomUUID().toString();
        append("Project", archived, 0, new ProjectCreatedEvent(archived, "default", "Done", null));
        append("Project", archived, 1, new ProjectArchivedEvent(archived, "default"));
        get("/v1/projects/" + archived + "?minVersion=1");

        assertThat(listAll("&status=ARCHIVED")).contains(archived);
        assertThat(listAll("&status=active")).doesNotContain(archived);
    }

    @Test
    void badParametersAreValidationProblems() {
        for (String query : List.of("limit=0", "limit=201", "cursor=%25%25", "cursor=bm90LWEtY3Vyc29y",
                "status=DELETED", "limit=abc")) {
            Response response = get("/v1/projects?" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.code()).as(query).isIn("VALIDATION_FAILED", "MALFORMED_REQUEST");
        }
        assertThat(get("/v1/projects?limit=0").body().get("errors").get(0).get("field").asText()).isEqualTo("limit");
        assertThat(get("/v1/projects/x?minVersion=abc").status()).isEqualTo(400);
    }

    private void awaitVisible(String id) {
        assertThat(get("/v1/projects/" + id + "?minVersion=0").status()).isEqualTo(200);
    }

    private void awaitProjected(String id) {
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM projects WHERE id = ?", Long.class, id) == 1);
    }

    private List<String> listAll(String filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/v1/projects?limit=200" + filter + (cursor == null ? "" : "&cursor=" + cursor));
            page.body().get("items").forEach(item -> ids.add(item.get("id").asText()));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }
}
