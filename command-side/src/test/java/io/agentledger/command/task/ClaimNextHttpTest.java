package io.agentledger.command.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import io.agentledger.command.web.IdempotencyFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** claim-next long-polls that wait without a thread, and complete-and-claim-next (api.md v1.1). */
class ClaimNextHttpTest extends CommandSideTest {

    @Autowired
    ClaimDispenser dispenser;

    private String project;
    private String agent;

    @BeforeEach
    void project() {
        project = post("/v1/projects", "{\"name\":\"Next " + System.nanoTime() + "\"}").body().get("id").asText();
        agent = registerPrincipal(ADMIN_KEY, "agent", "java");
    }

    @Test
    void completeWithNextCompletesAndClaimsTheProjectsNextTaskInOneRequest() {
        String first = createTask("{\"title\":\"First\",\"priority\":\"HIGH\"}");
        String second = createTask("{\"title\":\"Second\"}");
        String lease = claimNext("{}").body().get("claim").get("leaseId").asText();

        Response response = postAs(agent, "/v1/tasks/" + first + "/complete",
                "{\"leaseId\":\"" + lease + "\",\"result\":\"done\",\"next\":{}}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("completed").get("id").asText()).isEqualTo(first);
        assertThat(response.body().get("completed").get("status").asText()).isEqualTo("COMPLETED");
        JsonNode next = response.body().get("next");
        assertThat(next.get("id").asText()).isEqualTo(second);
        assertThat(next.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(next.get("claim").get("leaseId").asText()).isNotEqualTo(lease);
        assertThat(next.has("relatedKnowledge")).isTrue();

        Response last = postAs(agent, "/v1/tasks/" + second + "/complete",
                "{\"leaseId\":\"" + next.get("claim").get("leaseId").asText() + "\",\"next\":{\"waitSeconds\":0}}");
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.body().get("completed").get("status").asText()).isEqualTo("COMPLETED");
        assertThat(last.body().get("next").isNull()).as("the completion stands without a next task").isTrue();
    }

    @Test
    void completeWithNextWaitsForATaskThatBecomesReady() throws Exception {
        String first = createTask("{\"title\":\"Only\"}");
        String lease = claimNext("{}").body().get("claim").get("leaseId").asText();
        CompletableFuture<Response> completing = CompletableFuture.supplyAsync(() -> postAs(agent,
                "/v1/tasks/" + first + "/complete", "{\"leaseId\":\"" + lease + "\",\"next\":{\"waitSeconds\":20}}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(status(first)));
        assertThat(completing).isNotDone();

        String later = createTask("{\"title\":\"Later\"}");

        Response response = completing.get(20, TimeUnit.SECONDS);
        assertThat(response.body().get("completed").get("id").asText()).isEqualTo(first);
        assertThat(response.body().get("next").get("id").asText()).isEqualTo(later);
    }

    /**
     * A thousand agents wait at once on one node whose HTTP pool has far fewer threads (32): the waits hold none,
     * or the tasks created meanwhile could not be created before the waits end. Every task made READY goes to
     * exactly one waiter, and every other waiter gets 204 at its deadline.
     */
    @Test
    void aThousandLongPollsEachGetATaskOrNothingAtTheirDeadline() throws Exception {
        int waiters = 1_000;
        int tasks = 100;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        // ten agents of a hundred requests each: one agent's burst would meet its rate limit (200/s)
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(accessToken(registerPrincipal(ADMIN_KEY, "agent", "java")));
        }
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            String token = tokens.get(i % tokens.size());
            polls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/projects/"
                            + project + "/tasks/claim-next"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"waitSeconds\":25}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(25)).until(() -> dispenser.waiting() == waiters);
        Set<String> created = new HashSet<>();
        for (int i = 0; i < tasks; i++) {
            created.add(createTask("{\"title\":\"Wanted " + i + "\"}"));
        }

        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<String> claimed = new ArrayList<>();
        int nothing = 0;
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            HttpResponse<String> response = poll.join();
            if (response.statusCode() == 200) {
                claimed.add(mapper.readTree(response.body()).get("id").asText());
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
                nothing++;
            }
        }
        assertThat(claimed).doesNotHaveDuplicates();
        assertThat(new HashSet<>(claimed)).isEqualTo(created);
        assertThat(nothing).isEqualTo(waiters - tasks);
        assertThat(dispenser.waiting()).isZero();
    }

    @Test
    void aLongPollThatFindsNothingAnswers204AtItsDeadline() {
        long started = System.nanoTime();
        Response nothing = claimNext("{\"waitSeconds\":2}");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(nothing.status()).isEqualTo(204);
        assertThat(waited).isBetween(1_900L, 6_000L);
    }

    /** With an Idempotency-Key the request waits and claims in its own thread, so its answer is stored with it. */
    @Test
    void anIdempotentLongPollClaimsOnceAndItsRepeatGetsTheSameTask() throws Exception {
        String key = UUID.randomUUID().toString();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> send(anonymous("/v1/projects/"
                + project + "/tasks/claim-next").header("Authorization", "Bearer " + accessToken(agent))
                .header(IdempotencyFilter.HEADER, key).POST(HttpRequest.BodyPublishers.ofString("{\"waitSeconds\":20}"))));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        String task = createTask("{\"title\":\"Keyed\"}");

        Response claimed = waiting.get(20, TimeUnit.SECONDS);
        assertThat(claimed.status()).isEqualTo(200);
        assertThat(claimed.body().get("id").asText()).isEqualTo(task);
        Response repeat = send(anonymous("/v1/projects/" + project + "/tasks/claim-next")
                .header("Authorization", "Bearer " + accessToken(agent)).header(IdempotencyFilter.HEADER, key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"waitSeconds\":20}")));
        assertThat(repeat.header(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(repeat.raw().body()).isEqualTo(claimed.raw().body());
    }

    @Test
    void aLongPollOnAnArchivedOrUnknownProjectIsRefused() {
        post("/v1/projects/" + project + "/archive", "{}");
        assertThat(claimNext("{\"waitSeconds\":5}").code()).isEqualTo("PROJECT_ARCHIVED");
        assertThat(postAs(agent, "/v1/projects/" + UUID.randomUUID() + "/tasks/claim-next", "{\"waitSeconds\":5}")
                .code()).isEqualTo("NOT_FOUND");
    }

    private String status(String taskId) {
        return jdbc.queryForObject("SELECT status FROM task_state WHERE task_id = ?", String.class, taskId);
    }

    private String createTask(String json) {
        Response created = post("/v1/projects/" + project + "/tasks", json);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    private Response claimNext(String json) {
        return postAs(agent, "/v1/projects/" + project + "/tasks/claim-next", json);
    }
}
