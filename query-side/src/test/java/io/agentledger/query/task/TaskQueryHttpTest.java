package io.agentledger.query.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskCancelledEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskDependencySatisfiedEvent;
import io.agentledger.api.task.TaskEditedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskLeaseExtendedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskUnblockedEvent;
import io.agentledger.query.QuerySideTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.agentledger.query.task.TaskEvents.claimed;
import static io.agentledger.query.task.TaskEvents.created;
import static org.assertj.core.api.Assertions.assertThat;

class TaskQueryHttpTest extends QuerySideTest {

    private final String project = UUID.randomUUID().toString();
    private final String agent = UUID.randomUUID().toString();

    @Test
    void aTaskIsReadBackThroughItsLifecycle() {
        String id = UUID.randomUUID().toString();
        append("Task", id, 0, created("default", project, id, "Write the parser", TaskPriority.HIGH,
                List.of("backend", "parser")));

        JsonNode task = task(id, 0);
        assertThat(task.get("id").asText()).isEqualTo(id);
        assertThat(task.get("projectId").asText()).isEqualTo(project);
        assertThat(task.get("title").asText()).isEqualTo("Write the parser");
        assertThat(task.get("description").asText()).isEqualTo("about Write the parser");
        assertThat(task.get("status").asText()).isEqualTo("READY");
        assertThat(task.get("priority").asText()).isEqualTo("HIGH");
        assertThat(texts(task.get("labels"))).containsExactly("backend", "parser");
        assertThat(texts(task.get("requiredCapabilities"))).containsExactly("java");
        assertThat(task.get("dependsOn").isArray()).isTrue();
        assertThat(task.get("externalRef").asText()).isEqualTo("ext-" + id);
        assertThat(task.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(task.get("attempts").asInt()).isZero();
        assertThat(task.get("leaseSeconds").asInt()).isEqualTo(900);
        assertThat(task.get("claim").isNull()).isTrue();
        assertThat(task.get("result").isNull()).isTrue();
        assertThat(task.get("failureReason").isNull()).isTrue();
        assertThat(task.get("createdAt").asText()).isEqualTo(task.get("updatedAt").asText());

        append("Task", id, 1, claimed(project, id, agent, 1));
        task = task(id, 1);
        assertThat(task.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(task.get("attempts").asInt()).isEqualTo(1);
        JsonNode claim = task.get("claim");
        assertThat(claim.get("agentId").asText()).isEqualTo(agent);
        assertThat(claim.get("leaseId").asText()).isEqualTo("lease-1");
        assertThat(Instant.parse(claim.get("leaseExpiresAt").asText()))
                .isEqualTo(Instant.parse("2030-01-01T00:00:01Z"));
        assertThat(claim.get("attempt").asInt()).isEqualTo(1);

        Instant extended = Instant.parse("2030-01-02T00:00:00Z");
        append("Task", id, 2, new TaskLeaseExtendedEvent(id, "default", project, "lease-1", extended));
        task = task(id, 2);
        assertThat(Instant.parse(task.get("claim").get("leaseExpiresAt").asText())).isEqualTo(extended);

        append("Task", id, 3, new TaskCompletedEvent(id, "default", project, agent, "lease-1", "merged", List.of()));
        task = task(id, 3);
        assertThat(task.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(task.get("claim").isNull()).isTrue();
        assertThat(task.get("result").asText()).isEqualTo("merged");
        assertThat(task.get("attempts").asInt()).isEqualTo(1);
        assertThat(task.get("version").asLong()).isEqualTo(3);
        assertThat(Instant.parse(task.get("updatedAt").asText()))
                .isAfter(Instant.parse(task.get("createdAt").asText()));
    }

    @Test
    void expiredLeasesCountReleasesDoNotAndFailuresEndTheTask() {
        String id = UUID.randomUUID().toString();
        append("Task", id, 0, created(project, id, "Flaky"));
        append("Task", id, 1, claimed(project, id, agent, 1));
        append("Task", id, 2, new TaskLeaseExpiredEvent(id, "default", project, agent, "lease-1", 1, true));
        JsonNode task = task(id, 2);
        assertThat(task.get("status").asText()).isEqualTo("READY");
        assertThat(task.get("failureReason").asText()).isEqualTo("LEASE_EXPIRED");
        assertThat(task.get("attempts").asInt()).isEqualTo(1);
        assertThat(task.get("claim").isNull()).isTrue();

        append("Task", id, 3, claimed(project, id, agent, 2));
        append("Task", id, 4, new TaskReleasedEvent(id, "default", project, agent, "lease-2", agent));
        task = task(id, 4);
        assertThat(task.get("status").asText()).isEqualTo("READY");
        assertThat(task.get("attempts").asInt()).isEqualTo(1);
        assertThat(task.get("claim").isNull()).isTrue();

        append("Task", id, 5, claimed(project, id, agent, 2));
        append("Task", id, 6, new TaskAttemptFailedEvent(id, "default", project, agent, "lease-2", 2, "flaky",
                true));
        task = task(id, 6);
        assertThat(task.get("status").asText()).isEqualTo("READY");
        assertThat(task.get("failureReason").asText()).isEqualTo("flaky");
        assertThat(task.get("attempts").asInt()).isEqualTo(2);

        append("Task", id, 7, claimed(project, id, agent, 3));
        append("Task", id, 8, new TaskAttemptFailedEvent(id, "default", project, agent, "lease-3", 3, "broken",
                false));
        task = task(id, 8);
        assertThat(task.get("status").asText()).isEqualTo("FAILED");
        assertThat(task.get("failureReason").asText()).isEqualTo("broken");
        assertThat(task.get("attempts").asInt()).isEqualTo(3);

        String expiring = UUID.randomUUID().toString();
        append("Task", expiring, 0, created(project, expiring, "Slow"));
        append("Task", expiring, 1, claimed(project, expiring, agent, 1));
        append("Task", expiring, 2, new TaskLeaseExpiredEvent(expiring, "default", project, agent, "lease-1", 1,
                false));
        task = task(expiring, 2);
        assertThat(task.get("status").asText()).isEqualTo("FAILED");
        assertThat(task.get("failureReason").asText()).isEqualTo("LEASE_EXPIRED");
    }

    @Test
    void blockedTasksAreUnblockedEditedAndCancelled() {
        String dependency = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        append("Task", id, 0, new TaskCreatedEvent(id, "default", project, "Waits", null, TaskPriority.LOW,
                List.of(), List.of(), List.of(dependency, other), List.of(dependency, other), null, 3, 60,
                TaskStatus.BLOCKED));
        JsonNode task = task(id, 0);
        assertThat(task.get("status").asText()).isEqualTo("BLOCKED");
        assertThat(texts(task.get("dependsOn"))).containsExactly(dependency, other);
        assertThat(task.get("description").isNull()).isTrue();
        assertThat(task.get("externalRef").isNull()).isTrue();

        append("Task", id, 1, new TaskDependencySatisfiedEvent(id, "default", project, dependency));
        task = task(id, 1);
        assertThat(task.get("status").asText()).isEqualTo("BLOCKED");
        assertThat(task.get("version").asLong()).isEqualTo(1);

        append("Task", id, 2, new TaskUnblockedEvent(id, "default", project));
        assertThat(task(id, 2).get("status").asText()).isEqualTo("READY");

        append("Task", id, 3, new TaskEditedEvent(id, "default", project, "Waited", "now ready",
                TaskPriority.CRITICAL, List.of("urgent")));
        task = task(id, 3);
        assertThat(task.get("title").asText()).isEqualTo("Waited");
        assertThat(task.get("description").asText()).isEqualTo("now ready");
        assertThat(task.get("priority").asText()).isEqualTo("CRITICAL");
        assertThat(texts(task.get("labels"))).containsExactly("urgent");
        assertThat(task.get("status").asText()).isEqualTo("READY");

        append("Task", id, 4, new TaskCancelledEvent(id, "default", project, "not needed"));
        task = task(id, 4);
        assertThat(task.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(task.get("failureReason").isNull()).isTrue();
        assertThat(task.get("claim").isNull()).isTrue();
    }

    @Test
    void everyFilterSelects() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        String d = UUID.randomUUID().toString();
        append("Task", a, 0, created("default", project, a, "Parse the Config", TaskPriority.HIGH,
                List.of("backend", "parser")));
        append("Task", b, 0, created("default", project, b, "Draw the chart", TaskPriority.LOW, List.of("frontend")));
        append("Task", c, 0, created("default", project, c, "Config screen", TaskPriority.HIGH,
                List.of("frontend")));
        append("Task", d, 0, created("default", project, d, "100% done_ish", TaskPriority.MEDIUM, List.of()));
        append("Task", a, 1, claimed(project, a, agent, 1));
        append("Task", c, 1, claimed(project, c, "someone-else", 1));
        append("Task", c, 2, new TaskCompletedEvent(c, "default", project, "someone-else", "lease-1", null,
                List.of()));
        task(a, 1);
        task(b, 0);
        task(c, 2);
        task(d, 0);

        assertThat(list("")).containsExactlyInAnyOrder(a, b, c, d);
        assertThat(list("&status=READY")).containsExactlyInAnyOrder(b, d);
        assertThat(list("&status=in_progress&status=COMPLETED")).containsExactlyInAnyOrder(a, c);
        assertThat(list("&status=READY,COMPLETED")).containsExactlyInAnyOrder(b, c, d);
        assertThat(list("&label=frontend")).containsExactlyInAnyOrder(b, c);
        assertThat(list("&label=parser")).containsExactly(a);
        assertThat(list("&label=nothing")).isEmpty();
        assertThat(list("&priority=high")).containsExactlyInAnyOrder(a, c);
        assertThat(list("&priority=LOW")).containsExactly(b);
        assertThat(list("&assignee=" + agent)).containsExactly(a);
        assertThat(list("&assignee=someone-else")).isEmpty();
        assertThat(list("&q=config")).containsExactlyInAnyOrder(a, c);
        assertThat(list("&q=CHART")).containsExactly(b);
        assertThat(list("&q=%25")).containsExactly(d);
        assertThat(list("&q=_")).containsExactly(d);
        assertThat(list("&q=config&priority=HIGH&status=READY&status=IN_PROGRESS")).containsExactly(a);
        assertThat(list("&q=&label=&priority=")).hasSize(4);
    }

    @Test
    void bothSortsOrderTheTasks() {
        String low = UUID.randomUUID().toString();
        String critical = UUID.randomUUID().toString();
        String mediumOld = UUID.randomUUID().toString();
        String mediumNew = UUID.randomUUID().toString();
        append("Task", low, 0, created("default", project, low, "low", TaskPriority.LOW, List.of()));
        append("Task", mediumOld, 0, created("default", project, mediumOld, "old", TaskPriority.MEDIUM, List.of()));
        append("Task", critical, 0, created("default", project, critical, "now", TaskPriority.CRITICAL,
                List.of()));
        task(critical, 0);
        append("Task", mediumNew, 0, created("default", project, mediumNew, "new", TaskPriority.MEDIUM, List.of()));
        task(mediumNew, 0);
        append("Task", low, 1, claimed(project, low, agent, 1));
        task(low, 1);

        assertThat(list("")).containsExactly(critical, mediumOld, mediumNew, low);
        assertThat(list("&sort=priority")).containsExactly(critical, mediumOld, mediumNew, low);
        assertThat(list("&sort=-updatedAt")).containsExactly(low, mediumNew, critical, mediumOld);
    }

    @Test
    void keysetPagesVisitEveryTaskOnceEvenWithInsertsBetweenPages() {
        List<String> ids = new ArrayList<>();
        TaskPriority[] priorities = TaskPriority.values();
        for (int i = 0; i < 7; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            append("Task", id, 0, created("default", project, id, "Paged " + i, priorities[i % priorities.length],
                    List.of()));
        }
        ids.forEach(id -> task(id, 0));

        for (String sort : List.of("priority", "-updatedAt")) {
            List<String> expected = new ArrayList<>(ids);
            List<String> seen = new ArrayList<>();
            List<Integer> ranks = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Response page = get("/v1/projects/" + project + "/tasks?limit=2&sort=" + sort
                        + (cursor == null ? "" : "&cursor=" + cursor));
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
                page.body().get("items").forEach(item -> {
                    seen.add(item.get("id").asText());
                    ranks.add(TaskPriority.valueOf(item.get("priority").asText()).rank());
                });
                cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
                if (pages++ == 0) {
                    String inserted = UUID.randomUUID().toString();
                    append("Task", inserted, 0, created("default", project, inserted, "Late", TaskPriority.LOW,
                            List.of()));
                    task(inserted, 0);
                    ids.add(inserted);
                    if (sort.equals("priority")) {
                        expected.add(inserted);
                    }
                }
            } while (cursor != null);

            assertThat(seen).as(sort).doesNotHaveDuplicates().containsAll(expected);
            if (sort.equals("priority")) {
                assertThat(ranks).as(sort).isSorted();
            }
        }
    }

    @Test
    void theProjectCountsItsTasksByStatus() {
        append("Project", project, 0, new ProjectCreatedEvent(project, "default", "Counted", null));
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        append("Task", first, 0, created(project, first, "one"));
        append("Task", second, 0, created(project, second, "two"));
        task(first, 0);
        task(second, 0);
        assertThat(counts()).containsEntry("READY", 2L).containsEntry("IN_PROGRESS", 0L);

        append("Task", first, 1, claimed(project, first, agent, 1));
        task(first, 1);
        assertThat(counts()).containsEntry("READY", 1L).containsEntry("IN_PROGRESS", 1L)
                .containsEntry("COMPLETED", 0L);

        append("Task", first, 2, new TaskCompletedEvent(first, "default", project, agent, "lease-1", "ok",
                List.of()));
        append("Task", second, 1, new TaskCancelledEvent(second, "default", project, null));
        task(first, 2);
        task(second, 1);
        assertThat(counts()).containsEntry("READY", 0L).containsEntry("IN_PROGRESS", 0L)
                .containsEntry("COMPLETED", 1L).containsEntry("CANCELLED", 1L).containsEntry("BLOCKED", 0L)
                .containsEntry("FAILED", 0L);
    }

    @Test
    void anotherTenantSeesNoneOfTheTasks() {
        String id = UUID.randomUUID().toString();
        append("Task", id, 0, created(project, id, "Default's"));
        task(id, 0);

        String other = token("tenant-b", UUID.randomUUID().toString(), "admin");
        Response read = get("/v1/tasks/" + id, other);
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.code()).isEqualTo("NOT_FOUND");
        Response list = get("/v1/projects/" + project + "/tasks", other);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("items")).isEmpty();
        assertThat(list.body().get("nextCursor").isNull()).isTrue();
        assertThat(get("/v1/projects/" + project + "/tasks", token("default", agent, "agent")).body()
                .get("items").get(0).get("id").asText()).isEqualTo(id);
        assertThat(get("/v1/tasks/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(get("/v1/tasks/" + id, null).status()).isEqualTo(401);
    }

    @Test
    void badParametersAreValidationProblems() {
        String tasks = "/v1/projects/" + project + "/tasks?";
        for (String query : List.of("status=DONE", "status=READY&status=nope", "priority=urgent", "sort=updatedAt",
                "sort=title", "limit=0", "limit=201", "limit=abc", "cursor=%25%25", "cursor=bm90LWEtY3Vyc29y")) {
            Response response = get(tasks + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.code()).as(query).isIn("VALIDATION_FAILED", "MALFORMED_REQUEST");
        }
        assertThat(field(get(tasks + "status=DONE"))).isEqualTo("status");
        assertThat(field(get(tasks + "priority=urgent"))).isEqualTo("priority");
        assertThat(field(get(tasks + "sort=title"))).isEqualTo("sort");
        assertThat(field(get(tasks + "limit=500"))).isEqualTo("limit");

        for (int i = 0; i < 2; i++) {
            String id = UUID.randomUUID().toString();
            append("Task", id, 0, created(project, id, "Task " + i));
            task(id, 0);
        }
        String byPriority = get(tasks + "limit=1").body().get("nextCursor").asText();
        String byUpdate = get(tasks + "limit=1&sort=-updatedAt").body().get("nextCursor").asText();
        assertThat(field(get(tasks + "sort=-updatedAt&cursor=" + byPriority))).isEqualTo("cursor");
        assertThat(field(get(tasks + "cursor=" + byUpdate))).isEqualTo("cursor");
        assertThat(get("/v1/tasks/x?minVersion=abc").status()).isEqualTo(400);
    }

    private JsonNode task(String id, long minVersion) {
        Response response = get("/v1/tasks/" + id + "?minVersion=" + minVersion);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.body().get("version").asLong()).isEqualTo(minVersion);
        return response.body();
    }

    private List<String> list(String filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/v1/projects/" + project + "/tasks?limit=200" + filter
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            page.body().get("items").forEach(item -> ids.add(item.get("id").asText()));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    private Map<String, Long> counts() {
        Response response = get("/v1/projects/" + project + "?minVersion=0");
        assertThat(response.status()).isEqualTo(200);
        Map<String, Long> counts = new LinkedHashMap<>();
        response.body().get("taskCounts").fields()
                .forEachRemaining(count -> counts.put(count.getKey(), count.getValue().asLong()));
        return counts;
    }

    private static String field(Response response) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
        return response.body().get("errors").get(0).get("field").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
