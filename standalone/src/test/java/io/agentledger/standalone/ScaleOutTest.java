package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.command.CommandSideApplication;
import io.agentledger.command.task.LeaseSweep;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import io.agentledger.query.QuerySideApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static io.agentledger.standalone.StandaloneHttp.accessToken;
import static io.agentledger.standalone.StandaloneHttp.getJson;
import static io.agentledger.standalone.StandaloneHttp.postJson;
import static io.agentledger.standalone.StandaloneHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two command-side and two query-side nodes (separate Spring contexts with their own Axon configuration, connection
 * pool and node id) on one PostgreSQL, as `docker compose` runs them behind the gateway.
 */
class ScaleOutTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SECRET = "a-test-secret-that-is-longer-than-32-bytes";
    private static final String ADMIN_KEY = "al_scale_out_admin_key_0123456789abcdef";
    private static final List<String> PROJECTIONS = List.of("projects", "principals", "tasks", "knowledge",
            "audit-log", "analytics");
    private static final int TASKS = 1000;
    private static final int AGENTS = 32;

    private static TestDatabase database;
    private static JdbcTemplate jdbc;
    private static final List<ConfigurableApplicationContext> commandNodes = new ArrayList<>();
    private static final List<ConfigurableApplicationContext> queryNodes = new ArrayList<>();
    private static String admin;

    @BeforeAll
    static void startTwoNodesOfEachSide() throws Exception {
        database = TestDatabases.create();
        jdbc = new JdbcTemplate(new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password()));
        for (int node = 1; node <= 2; node++) {
            commandNodes.add(start(CommandSideApplication.class, "command-" + node));
        }
        for (int node = 1; node <= 2; node++) {
            queryNodes.add(start(QuerySideApplication.class, "query-" + node));
        }
        admin = accessToken(base(commandNodes.get(0)), ADMIN_KEY);
    }

    @AfterAll
    static void stopAll() {
        queryNodes.forEach(ConfigurableApplicationContext::close);
        commandNodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void thirtyTwoAgentsOnTwoCommandNodesCompleteEveryTaskExactlyOnceAndTwoQueryNodesShareTheProjections()
            throws Exception {
        String project = newProject();
        ExecutorService pool = Executors.newFixedThreadPool(AGENTS);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                String node = base(commandNodes.get(i % 2));
                String title = "task " + i;
                created.add(pool.submit(() -> postJson(node + "/v1/projects/" + project + "/tasks", admin,
                        "{\"title\":\"" + title + "\"}")));
            }
            for (Future<?> future : created) {
                future.get();
            }

            List<String> agents = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                String key = postJson(base(commandNodes.get(0)) + "/v1/principals", admin,
                        "{\"name\":\"agent-" + i + "\",\"role\":\"agent\"}").get("apiKey").asText();
                agents.add(accessToken(base(commandNodes.get(i % 2)), key));
            }

            Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
            Set<Integer> unexpected = ConcurrentHashMap.newKeySet();
            List<Future<?>> working = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                String node = base(commandNodes.get(i % 2));
                String agent = agents.get(i);
                working.add(pool.submit(() -> work(node, project, agent, completions, unexpected)));
            }
            for (Future<?> future : working) {
                future.get();
            }

            assertThat(unexpected).as("statuses other than 200/204").isEmpty();
            assertThat(completions.size()).isEqualTo(TASKS);
            assertThat(completions.values().stream().filter(count -> count.get() != 1)).isEmpty();
            String completedInProject = "FROM domain_event_entry WHERE payload_type = "
                    + "'io.agentledger.api.task.TaskCompletedEvent' "
                    + "AND convert_from(payload, 'UTF8')::jsonb ->> 'projectId' = ?";
            assertThat(jdbc.queryForObject("SELECT COUNT(*) " + completedInProject, Long.class, project))
                    .isEqualTo(TASKS);
            assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT aggregate_identifier) " + completedInProject,
                    Long.class, project)).isEqualTo(TASKS);
        } finally {
            pool.shutdownNow();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String projection : PROJECTIONS) {
                assertThat(owners(projection)).as(projection).containsExactlyInAnyOrder("query-1", "query-2");
            }
        });
        awaitCompleted(queryNodes.get(1), project);

        queryNodes.remove(1).close();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String projection : PROJECTIONS) {
                assertThat(owners(projection)).as(projection).containsExactly("query-1");
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM token_entry WHERE processor_name = ? "
                        + "AND owner IS NULL", Long.class, projection)).isZero();
            }
        });
        postJson(base(commandNodes.get(0)) + "/v1/projects/" + project + "/tasks", admin, "{\"title\":\"after\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> getJson(base(queryNodes.get(0)) + "/v1/projects/"
                + project, admin).get("taskCounts").get("READY").asLong() == 1);
        awaitCompleted(queryNodes.get(0), project);
    }

    @Test
    void commandsForOneTaskAtBothNodesAtOnceAreNeverLostNorAServerError() throws Exception {
        String project = newProject();
        String task = postJson(base(commandNodes.get(0)) + "/v1/projects/" + project + "/tasks", admin,
                "{\"title\":\"contended\"}").get("id").asText();
        int edits = 40;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < edits; i++) {
                String node = base(commandNodes.get(i % 2));
                String body = "{\"description\":\"edit " + i + "\"}";
                responses.add(pool.submit(() -> send(HttpRequest.newBuilder(URI.create(node + "/v1/tasks/" + task))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)))));
            }
            int accepted = 0;
            for (Future<HttpResponse<String>> future : responses) {
                HttpResponse<String> response = future.get();
                if (response.statusCode() == 200) {
                    accepted++;
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
                    assertThat(MAPPER.readTree(response.body()).get("code").asText())
                            .isEqualTo("CONCURRENT_MODIFICATION");
                }
            }
            assertThat(accepted).isPositive();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                    + "AND payload_type = 'io.agentledger.api.task.TaskEditedEvent'", Long.class, task))
                    .isEqualTo(accepted);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Each command node caches the tasks it handled. A node whose cached task another node has changed since must
     * neither refuse on that stale state (its refusal is re-checked on a fresh load) nor append on it (the append
     * collides on the store's key and is retried on a fresh load).
     */
    @Test
    void aNodeWithAStaleCachedTaskNeitherRefusesNorAcceptsOnItsStaleState() throws Exception {
        String one = base(commandNodes.get(0));
        String two = base(commandNodes.get(1));
        String project = postJson(one + "/v1/projects", admin, "{\"name\":\"Stale cache\"}").get("id").asText();
        String task = postJson(one + "/v1/projects/" + project + "/tasks", admin, "{\"title\":\"Cached\"}")
                .get("id").asText();
        String key = postJson(one + "/v1/principals", admin, "{\"name\":\"stale\",\"role\":\"agent\"}")
                .get("apiKey").asText();
        String agentAtOne = accessToken(one, key);
        String agentAtTwo = accessToken(two, key);

        String lease = postJson(one + "/v1/tasks/" + task + "/claim", agentAtOne, "{}").get("claim").get("leaseId")
                .asText();
        postJson(two + "/v1/tasks/" + task + "/release", agentAtTwo, "{\"leaseId\":\"" + lease + "\"}");

        // node one's cache still has the task IN_PROGRESS: its refusal (not claimable) is checked on a fresh load
        JsonNode reclaimed = postJson(one + "/v1/tasks/" + task + "/claim", agentAtOne, "{}");
        assertThat(reclaimed.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(reclaimed.get("attempts").asInt()).isEqualTo(1);

        // node two's cache has it READY (its release): a heartbeat there is not refused as "lease not held"
        String newLease = reclaimed.get("claim").get("leaseId").asText();
        JsonNode beat = postJson(two + "/v1/tasks/" + task + "/heartbeat", agentAtTwo,
                "{\"leaseId\":\"" + newLease + "\"}");
        assertThat(beat.get("claim").get("leaseId").asText()).isEqualTo(newLease);

        // node one accepts an edit on its stale copy: it collides on the key and is applied on a fresh load
        HttpResponse<String> edited = send(HttpRequest.newBuilder(URI.create(one + "/v1/tasks/" + task))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"Edited at one\"}")));
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(edited.body()).get("status").asText()).isEqualTo("IN_PROGRESS");
        List<Long> sequence = jdbc.queryForList("SELECT sequence_number FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? ORDER BY sequence_number", Long.class, task);
        assertThat(sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void expiredLeasesAreHandledExactlyOnceWithTwoCommandNodesSweeping() throws Exception {
        String project = newProject();
        String key = postJson(base(commandNodes.get(0)) + "/v1/principals", admin,
                "{\"name\":\"sleepy\",\"role\":\"agent\"}").get("apiKey").asText();
        List<String> agentTokens = List.of(accessToken(base(commandNodes.get(0)), key),
                accessToken(base(commandNodes.get(1)), key));
        int leases = 10;
        Instant lastEnd = Instant.MIN;
        for (int i = 0; i < leases; i++) {
            String task = postJson(base(commandNodes.get(i % 2)) + "/v1/projects/" + project + "/tasks", admin,
                    "{\"title\":\"lapses " + i + "\",\"leaseSeconds\":10}").get("id").asText();
            JsonNode claimed = postJson(base(commandNodes.get((i + 1) % 2)) + "/v1/tasks/" + task + "/claim",
                    agentTokens.get((i + 1) % 2), "{}");
            assertThat(claimed.get("status").asText()).isEqualTo("IN_PROGRESS");
            Instant end = Instant.parse(claimed.get("claim").get("leaseExpiresAt").asText());
            lastEnd = end.isAfter(lastEnd) ? end : lastEnd;
        }
        Instant allEnded = lastEnd;
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(allEnded));

        // beside the scheduled sweep, both nodes sweep at once: the tasks decide, each lease expires once
        ExecutorService sweepers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> sweeps = new ArrayList<>();
            for (ConfigurableApplicationContext node : commandNodes) {
                sweeps.add(sweepers.submit(() -> node.getBean(LeaseSweep.class).sweep()));
            }
            for (Future<Integer> sweep : sweeps) {
                sweep.get();
            }
        } finally {
            sweepers.shutdownNow();
        }
        String expiries = "FROM domain_event_entry WHERE payload_type = 'io.agentledger.api.task.TaskLeaseExpiredEvent'"
                + " AND convert_from(payload, 'UTF8')::jsonb ->> 'projectId' = ?";
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.queryForObject("SELECT COUNT(*) " + expiries, Long.class, project) == leases);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> jdbc.queryForObject("SELECT COUNT(*) " + expiries, Long.class, project) == leases);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT aggregate_identifier) " + expiries, Long.class, project))
                .isEqualTo(leases);
        assertThat(jdbc.queryForList("SELECT task_name FROM scheduled_tasks", String.class))
                .as("one row for the sweep, none per claim").containsExactly("lease-sweep");
    }

    private static String newProject() throws Exception {
        return postJson(base(commandNodes.get(1)) + "/v1/projects", admin, "{\"name\":\"Scaled\"}").get("id").asText();
    }

    private static void work(String node, String project, String agent, Map<String, AtomicInteger> completions,
                             Set<Integer> unexpected) {
        try {
            while (true) {
                HttpResponse<String> claim = send(HttpRequest.newBuilder(URI.create(node + "/v1/projects/" + project
                                + "/tasks/claim-next")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + agent)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":[]}")));
                if (claim.statusCode() == 204) {
                    return;
                }
                if (claim.statusCode() != 200) {
                    unexpected.add(claim.statusCode());
                    return;
                }
                JsonNode task = MAPPER.readTree(claim.body());
                String id = task.get("id").asText();
                HttpResponse<String> complete = send(HttpRequest.newBuilder(URI.create(node + "/v1/tasks/" + id
                                + "/complete")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + agent)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"leaseId\":\""
                                + task.get("claim").get("leaseId").asText() + "\"}")));
                if (complete.statusCode() != 200) {
                    unexpected.add(complete.statusCode());
                    return;
                }
                completions.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitCompleted(ConfigurableApplicationContext queryNode, String project) {
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson(base(queryNode) + "/v1/projects/" + project,
                admin).get("taskCounts").get("COMPLETED").asLong() == TASKS);
    }

    private static Set<String> owners(String projection) {
        return new HashSet<>(jdbc.queryForList("SELECT DISTINCT owner FROM token_entry WHERE processor_name = ? "
                + "AND owner IS NOT NULL", String.class, projection));
    }

    private static ConfigurableApplicationContext start(Class<?> application, String nodeId) throws Exception {
        // this module's classpath has both sides; a query node deployed alone has no db-scheduler
        String excluded = "org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration"
                + (application == QuerySideApplication.class
                ? ",com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration" : "");
        return new SpringApplicationBuilder(application).run("--server.port=0",
                "--spring.autoconfigure.exclude=" + excluded,
                "--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(), "--agentledger.jwt-secret=" + SECRET,
                "--agentledger.node-id=" + nodeId, "--agentledger.bootstrap.admin-key=" + ADMIN_KEY,
                "--agentledger.bootstrap.generate-keys=false",
                "--agentledger.data-dir=" + Files.createTempDirectory("agentledger-" + nodeId),
                "--agentledger.rate-limit.requests-per-second=100000", "--spring.application.name=" + nodeId);
    }

    private static String base(ConfigurableApplicationContext node) {
        return "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
    }
}
