package io.agentledger.command.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TaskHttpTest extends CommandSideTest {

    private String project;
    private String agent;

    @BeforeEach
    void project() {
        project = post("/v1/projects", "{\"name\":\"Tasks " + System.nanoTime() + "\"}").body().get("id").asText();
        agent = registerPrincipal(ADMIN_KEY, "agent", "java");
    }

    @Test
    void aTaskIsCreatedClaimedHeartbeatAndCompleted() {
        Response created = createTask("{\"title\":\"Write it\",\"priority\":\"HIGH\",\"labels\":[\"Backend\"],"
                + "\"requiredCapabilities\":[\"java\"],\"externalRef\":\"T001\",\"leaseSeconds\":120}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode task = created.body();
        String id = task.get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/v1/tasks/" + id);
        assertThat(task.get("status").asText()).isEqualTo("READY");
        assertThat(task.get("priority").asText()).isEqualTo("HIGH");
        assertThat(task.get("labels").toString()).isEqualTo("[\"backend\"]");
        assertThat(task.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(task.get("claim").isNull()).isTrue();

        JsonNode claimed = postAs(agent, "/v1/tasks/" + id + "/claim", "{}").body();
        assertThat(claimed.get("status").asText()).isEqualTo("IN_PROGRESS");
        String lease = claimed.get("claim").get("leaseId").asText();
        Instant expires = Instant.parse(claimed.get("claim").get("leaseExpiresAt").asText());
        assertThat(expires).isAfter(Instant.now().plusSeconds(100));
        assertThat(claimed.get("attempts").asInt()).isEqualTo(1);
        assertThat(registeredLease(id)).isEqualTo(new RegisteredLease(lease, expires));
        assertThat(jdbc.queryForList("SELECT task_name FROM scheduled_tasks", String.class))
                .as("a claim schedules nothing of its own").containsExactly("lease-sweep");

        Response heartbeat = postAs(agent, "/v1/tasks/" + id + "/heartbeat", "{\"leaseId\":\"" + lease + "\"}");
        assertThat(heartbeat.status()).isEqualTo(200);
        Instant extended = Instant.parse(heartbeat.body().get("claim").get("leaseExpiresAt").asText());
        assertThat(extended).isAfterOrEqualTo(expires);
        assertThat(registeredLease(id)).isEqualTo(new RegisteredLease(lease, extended));

        Response completed = postAs(agent, "/v1/tasks/" + id + "/complete", "{\"leaseId\":\"" + lease
                + "\",\"result\":\"merged\",\"learnings\":[{\"title\":\"Tip\",\"body\":\"Cache\",\"tags\":[\"perf\"]}]}");
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.body().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(completed.body().get("result").asText()).isEqualTo("merged");
        assertThat(completed.body().get("version").asLong()).isEqualTo(3);
        assertThat(registeredLease(id)).isEqualTo(new RegisteredLease(null, null));
        assertThat(jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number = 3", String.class, id)).contains("\"Tip\"");
    }

    @Test
    void sixtyFourAgentsRaceForOneTaskAndExactlyOneWins() throws Exception {
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            agents.add(registerPrincipal(ADMIN_KEY, "agent", "java"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            for (int round = 0; round < 3; round++) {
                String id = createTask("{\"title\":\"Contended " + round + "\"}").body().get("id").asText();
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<Response>> claims = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    String key = agents.get(i % agents.size());
                    String token = accessToken(key);
                    claims.add(() -> {
                        start.await();
                        return send(anonymous("/v1/tasks/" + id + "/claim").header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString("{}")));
                    });
                }
                List<Future<Response>> futures = new ArrayList<>();
                claims.forEach(c -> futures.add(pool.submit(c)));
                start.countDown();
                int won = 0;
                int lost = 0;
                for (Future<Response> future : futures) {
                    Response response = future.get(60, TimeUnit.SECONDS);
                    if (response.status() == 200) {
                        won++;
                    } else {
                        assertThat(response.status()).as(response.raw().body()).isEqualTo(409);
                        assertThat(response.code()).isIn("TASK_NOT_CLAIMABLE", "CONCURRENT_MODIFICATION");
                        lost++;
                    }
                }
                assertThat(won).isEqualTo(1);
                assertThat(lost).isEqualTo(63);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?"
                        + " AND payload_type LIKE '%TaskClaimedEvent'", Long.class, id)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thirtyTwoAgentsCompleteEveryTaskExactlyOnce() throws Exception {
        int tasks = 500;
        for (int i = 0; i < tasks; i++) {
            createTask("{\"title\":\"Bulk " + i + "\",\"priority\":\"" + (i % 2 == 0 ? "LOW" : "HIGH") + "\"}");
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            tokens.add(accessToken(registerPrincipal(ADMIN_KEY, "agent")));
        }
        Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
        List<Integer> unexpected = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Callable<Void>> agents = new ArrayList<>();
            for (String token : tokens) {
                agents.add(() -> {
                    while (true) {
                        Response next = send(anonymous("/v1/projects/" + project + "/tasks/claim-next")
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString("{}")));
                        if (next.status() == 204) {
                            return null;
                        }
                        if (next.status() != 200) {
                            unexpected.add(next.status());
                            return null;
                        }
                        String id = next.body().get("id").asText();
                        String lease = next.body().get("claim").get("leaseId").asText();
                        Response done = send(anonymous("/v1/tasks/" + id + "/complete")
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"leaseId\":\"" + lease + "\"}")));
                        if (done.status() == 200) {
                            completions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                        } else {
                            unexpected.add(done.status());
                        }
                    }
                });
            }
            for (Future<Void> future : pool.invokeAll(agents, 5, TimeUnit.MINUTES)) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).isEmpty();
        assertThat(completions).hasSize(tasks);
        assertThat(completions.values()).allMatch(count -> count.get() == 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_state WHERE project_id = ? AND status = 'COMPLETED'",
                Long.class, project)).isEqualTo(tasks);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry e JOIN task_state t"
                + " ON t.task_id = e.aggregate_identifier WHERE t.project_id = ?"
                + " AND e.payload_type LIKE '%TaskCompletedEvent'", Long.class, project)).isEqualTo(tasks);
    }

    @Test
    void claimNextTakesPriorityFirstThenOldest() {
        String low = createTask("{\"title\":\"low\",\"priority\":\"LOW\"}").body().get("id").asText();
        String high = createTask("{\"title\":\"high\",\"priority\":\"HIGH\"}").body().get("id").asText();
        String critical = createTask("{\"title\":\"critical\",\"priority\":\"CRITICAL\"}").body().get("id").asText();
        String high2 = createTask("{\"title\":\"high 2\",\"priority\":\"HIGH\"}").body().get("id").asText();

        assertThat(claimNext(agent, "{}").body().get("id").asText()).isEqualTo(critical);
        assertThat(claimNext(agent, "{}").body().get("id").asText()).isEqualTo(high);
        assertThat(claimNext(agent, "{}").body().get("id").asText()).isEqualTo(high2);
        assertThat(claimNext(agent, "{}").body().get("id").asText()).isEqualTo(low);
        assertThat(claimNext(agent, "{}").status()).isEqualTo(204);
    }

    @Test
    void aDependencyChainBecomesClaimableStrictlyInOrder() {
        String a = createTask("{\"title\":\"A\"}").body().get("id").asText();
        Response b = createTask("{\"title\":\"B\",\"dependsOn\":[\"" + a + "\"]}");
        assertThat(b.body().get("status").asText()).isEqualTo("BLOCKED");
        String bId = b.body().get("id").asText();
        String c = createTask("{\"title\":\"C\",\"dependsOn\":[\"" + bId + "\"]}").body().get("id").asText();

        assertThat(postAs(agent, "/v1/tasks/" + bId + "/claim", "{}").code()).isEqualTo("TASK_NOT_CLAIMABLE");
        completeNext(a);
        assertThat(claimNext(agent, "{}").status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(bId).equals("READY"));
        assertThat(status(c)).isEqualTo("BLOCKED");
        completeNext(bId);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(c).equals("READY"));
        completeNext(c);
    }

    @Test
    void aDependencyThatIsAlreadyCompleteDoesNotBlock() {
        String a = createTask("{\"title\":\"A\"}").body().get("id").asText();
        completeNext(a);
        Response b = createTask("{\"title\":\"B\",\"dependsOn\":[\"" + a + "\"]}");
        assertThat(b.body().get("status").asText()).isEqualTo("READY");
    }

    @Test
    void setBasedRulesUseTheCommandSidesOwnData() {
        Response unknown = createTask("{\"title\":\"X\",\"dependsOn\":[\"" + java.util.UUID.randomUUID() + "\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo("UNKNOWN_DEPENDENCY");

        String otherProject = post("/v1/projects", "{\"name\":\"Other\"}").body().get("id").asText();
        String foreign = post("/v1/projects/" + otherProject + "/tasks", "{\"title\":\"There\"}").body().get("id").asText();
        assertThat(createTask("{\"title\":\"X\",\"dependsOn\":[\"" + foreign + "\"]}").code())
                .isEqualTo("UNKNOWN_DEPENDENCY");

        String id = createTask("{\"title\":\"Before archive\"}").body().get("id").asText();
        post("/v1/projects/" + project + "/archive", "");
        assertThat(createTask("{\"title\":\"After archive\"}").code()).isEqualTo("PROJECT_ARCHIVED");
        assertThat(claimNext(agent, "{}").code()).isEqualTo("PROJECT_ARCHIVED");
        assertThat(postAs(agent, "/v1/tasks/" + id + "/claim", "{}").code()).isEqualTo("PROJECT_ARCHIVED");
        assertThat(post("/v1/projects/" + java.util.UUID.randomUUID() + "/tasks", "{\"title\":\"x\"}").code())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void capabilitiesDecideWhoMayClaim() {
        String gpu = createTask("{\"title\":\"Train\",\"requiredCapabilities\":[\"GPU\"]}").body().get("id").asText();
        assertThat(claimNext(agent, "{}").status()).isEqualTo(204);
        Response direct = postAs(agent, "/v1/tasks/" + gpu + "/claim", "{}");
        assertThat(direct.status()).isEqualTo(409);
        assertThat(direct.code()).isEqualTo("CAPABILITY_MISMATCH");

        String gpuAgent = registerPrincipal(ADMIN_KEY, "agent", "gpu", "java");
        assertThat(claimNext(gpuAgent, "{}").body().get("id").asText()).isEqualTo(gpu);
    }

    @Test
    void labelsFilterClaimNext() {
        createTask("{\"title\":\"Docs\",\"labels\":[\"docs\"]}");
        String backend = createTask("{\"title\":\"API\",\"labels\":[\"backend\",\"api\"]}").body().get("id").asText();
        assertThat(claimNext(agent, "{\"labels\":[\"Backend\"]}").body().get("id").asText()).isEqualTo(backend);
        assertThat(claimNext(agent, "{\"labels\":[\"backend\"]}").status()).isEqualTo(204);
    }

    @Test
    void aLeaseExpiresWithinSecondsOfItsEndAsAHeartbeatMovedItAndFencesTheLateClaimant() {
        String id = createTask("{\"title\":\"Slow\",\"leaseSeconds\":10}").body().get("id").asText();
        JsonNode claimed = postAs(agent, "/v1/tasks/" + id + "/claim", "{}").body();
        String lease = claimed.get("claim").get("leaseId").asText();
        Instant claimedUntil = Instant.parse(claimed.get("claim").get("leaseExpiresAt").asText());

        // a heartbeat 6 s in moves the end 6 s on
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(claimedUntil.minusSeconds(4)));
        Response heartbeat = postAs(agent, "/v1/tasks/" + id + "/heartbeat", "{\"leaseId\":\"" + lease + "\"}");
        assertThat(heartbeat.status()).isEqualTo(200);
        Instant extendedUntil = Instant.parse(heartbeat.body().get("claim").get("leaseExpiresAt").asText());
        assertThat(extendedUntil).isAfter(claimedUntil.plusSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(claimedUntil.plusSeconds(2)));
        assertThat(status(id)).as("held past the claim's end").isEqualTo("IN_PROGRESS");

        await().atMost(Duration.between(Instant.now(), extendedUntil.plusSeconds(5)))
                .pollInterval(Duration.ofMillis(100)).until(() -> status(id).equals("READY"));
        assertThat(Instant.now()).isAfterOrEqualTo(extendedUntil);
        assertThat(registeredLease(id)).isEqualTo(new RegisteredLease(null, null));
        Response late = postAs(agent, "/v1/tasks/" + id + "/complete", "{\"leaseId\":\"" + lease + "\"}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.code()).isEqualTo("LEASE_NOT_HELD");
        Map<String, Object> expiry = jdbc.queryForMap("SELECT convert_from(payload, 'UTF8') AS payload,"
                + " convert_from(meta_data, 'UTF8')::jsonb AS meta FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND payload_type LIKE '%TaskLeaseExpiredEvent'", id);
        assertThat(expiry.get("payload").toString()).contains("\"attempt\":1").contains("\"retrying\":true")
                .contains("\"leaseId\":\"" + lease + "\"");
        JsonNode meta = read(expiry.get("meta").toString());
        assertThat(meta.get("tenantId").asText()).isEqualTo("default");
        assertThat(meta.get("principalId").asText()).isEqualTo("system");
        JsonNode again = postAs(agent, "/v1/tasks/" + id + "/claim", "{}").body();
        assertThat(again.get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void aLongPollReturnsSoonAfterATaskBecomesReady() throws Exception {
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(
                () -> claimNext(agent, "{\"waitSeconds\":20}"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        long created = System.nanoTime();
        String id = createTask("{\"title\":\"Wake up\"}").body().get("id").asText();
        Response claimed = waiting.get(20, TimeUnit.SECONDS);
        long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created);
        assertThat(claimed.status()).isEqualTo(200);
        assertThat(claimed.body().get("id").asText()).isEqualTo(id);
        assertThat(latencyMillis).isLessThan(1000);

        Response nothing = claimNext(agent, "{\"waitSeconds\":1}");
        assertThat(nothing.status()).isEqualTo(204);
    }

    @Test
    void failReleaseCancelAndEditFollowTheContract() {
        String id = createTask("{\"title\":\"Shaky\",\"maxAttempts\":2}").body().get("id").asText();
        String lease = postAs(agent, "/v1/tasks/" + id + "/claim", "{}").body().get("claim").get("leaseId").asText();
        Response failed = postAs(agent, "/v1/tasks/" + id + "/fail", "{\"leaseId\":\"" + lease + "\",\"reason\":\"flaky\"}");
        assertThat(failed.body().get("status").asText()).isEqualTo("READY");
        assertThat(failed.body().get("failureReason").asText()).isEqualTo("flaky");

        lease = postAs(agent, "/v1/tasks/" + id + "/claim", "{}").body().get("claim").get("leaseId").asText();
        Response released = postAs(agent, "/v1/tasks/" + id + "/release", "{\"leaseId\":\"" + lease + "\"}");
        assertThat(released.body().get("status").asText()).isEqualTo("READY");
        assertThat(released.body().get("attempts").asInt()).isEqualTo(1);

        lease = postAs(agent, "/v1/tasks/" + id + "/claim", "{}").body().get("claim").get("leaseId").asText();
        assertThat(post("/v1/tasks/" + id + "/release", "{}").body().get("status").asText()).isEqualTo("READY");
        assertThat(postAs(agent, "/v1/tasks/" + id + "/heartbeat", "{\"leaseId\":\"" + lease + "\"}").code())
                .isEqualTo("LEASE_NOT_HELD");

        lease = postAs(agent, "/v1/tasks/" + id + "/claim", "{}").body().get("claim").get("leaseId").asText();
        Response exhausted = postAs(agent, "/v1/tasks/" + id + "/fail", "{\"leaseId\":\"" + lease
                + "\",\"reason\":\"again\"}");
        assertThat(exhausted.body().get("status").asText()).isEqualTo("FAILED");

        String other = createTask("{\"title\":\"Editable\"}").body().get("id").asText();
        Response edited = send(request("/v1/tasks/" + other).method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"title\":\"Edited\",\"priority\":\"CRITICAL\"}")));
        assertThat(edited.body().get("title").asText()).isEqualTo("Edited");
        assertThat(edited.body().get("priority").asText()).isEqualTo("CRITICAL");
        assertThat(post("/v1/tasks/" + other + "/cancel", "{\"reason\":\"dup\"}").body().get("status").asText())
                .isEqualTo("CANCELLED");
        Response afterCancel = send(request("/v1/tasks/" + other).method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"title\":\"Too late\"}")));
        assertThat(afterCancel.code()).isEqualTo("TASK_TERMINAL");
    }

    @Test
    void rolesGuardTaskCommands() {
        String id = createTask("{\"title\":\"Guarded\"}").body().get("id").asText();
        assertThat(post("/v1/tasks/" + id + "/claim", "{}").status()).isEqualTo(403);
        String analyst = registerPrincipal(ADMIN_KEY, "analyst");
        assertThat(postAs(analyst, "/v1/projects/" + project + "/tasks", "{\"title\":\"x\"}").status()).isEqualTo(403);
        assertThat(postAs(agent, "/v1/tasks/" + id + "/cancel", "{}").status()).isEqualTo(403);
        assertThat(postAs(agent, "/v1/projects/" + project + "/tasks", "{\"title\":\"by an agent\"}").status())
                .isEqualTo(201);
        Response badRequest = postAs(agent, "/v1/projects/" + project + "/tasks/claim-next", "{\"waitSeconds\":31}");
        assertThat(badRequest.code()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void heartbeatsAreSnapshotted() {
        String id = createTask("{\"title\":\"Long runner\"}").body().get("id").asText();
        String lease = postAs(agent, "/v1/tasks/" + id + "/claim", "{}").body().get("claim").get("leaseId").asText();
        for (int i = 0; i < 60; i++) {
            assertThat(postAs(agent, "/v1/tasks/" + id + "/heartbeat", "{\"leaseId\":\"" + lease + "\"}").status())
                    .isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?", Long.class, id) > 0);
        Response done = postAs(agent, "/v1/tasks/" + id + "/complete", "{\"leaseId\":\"" + lease + "\"}");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body().get("version").asLong()).isEqualTo(62);
        assertThat(done.body().get("title").asText()).isEqualTo("Long runner");
    }

    private void completeNext(String expected) {
        Response claimed = claimNext(agent, "{}");
        assertThat(claimed.body().get("id").asText()).isEqualTo(expected);
        String lease = claimed.body().get("claim").get("leaseId").asText();
        assertThat(postAs(agent, "/v1/tasks/" + expected + "/complete", "{\"leaseId\":\"" + lease + "\"}").status())
                .isEqualTo(200);
    }

    private record RegisteredLease(String leaseId, Instant expiresAt) {
    }

    /** The lease the command side's registry holds for the task, which the lease sweep reads. */
    private RegisteredLease registeredLease(String taskId) {
        return jdbc.queryForObject("SELECT lease_id, lease_expires_at FROM task_state WHERE task_id = ?",
                (rs, row) -> {
                    OffsetDateTime expiresAt = rs.getObject(2, OffsetDateTime.class);
                    return new RegisteredLease(rs.getString(1), expiresAt == null ? null : expiresAt.toInstant());
                }, taskId);
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String status(String taskId) {
        return jdbc.queryForObject("SELECT status FROM task_state WHERE task_id = ?", String.class, taskId);
    }

    private Response createTask(String json) {
        return post("/v1/projects/" + project + "/tasks", json);
    }

    private Response claimNext(String agentKey, String json) {
        return postAs(agentKey, "/v1/projects/" + project + "/tasks/claim-next", json);
    }
}
