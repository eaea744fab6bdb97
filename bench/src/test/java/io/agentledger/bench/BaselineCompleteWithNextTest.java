package io.agentledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.bench.baseline.BaselineApplication;
import io.agentledger.bench.baseline.BaselineSchema;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The row-lock baseline's complete with {@code next}: the held task completed and the next one claimed with SKIP
 * LOCKED in one transaction, in AgentLedger's JSON; and the complete-with-next load driving it.
 */
class BaselineCompleteWithNextTest {

    private static TestDatabase database;
    private static ConfigurableApplicationContext baseline;
    private static String url;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabases.create();
        try (Connection connection = connect()) {
            BaselineSchema.create(connection);
        }
        baseline = SpringApplication.run(BaselineApplication.class, "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(), "--spring.main.banner-mode=off");
        url = "http://127.0.0.1:" + ((WebServerApplicationContext) baseline).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (baseline != null) {
            baseline.close();
        }
    }

    @Test
    void completesTheHeldTaskAndClaimsTheNextInOneRequest() throws SQLException {
        String project = project(3);
        ApiClient agent = ApiClient.withBearer(url, "agent-7");
        JsonNode held = agent.post("/v1/projects/" + project + "/tasks/claim-next", "{}").json();
        List<String> done = new ArrayList<>();
        while (held != null) {
            ApiClient.Response response = agent.post("/v1/tasks/" + held.get("id").asText() + "/complete",
                    CompleteWithNextLoad.body(held.get("claim").get("leaseId").asText()));
            assertThat(response.status()).isEqualTo(200);
            CompleteWithNextLoad.Answer answer = CompleteWithNextLoad.parse(response);
            assertThat(answer.shape()).isEqualTo(CompleteWithNextLoad.Shape.COMPLETED_WITH_NEXT);
            assertThat(answer.completed().get("id").asText()).isEqualTo(held.get("id").asText());
            assertThat(answer.completed().get("status").asText()).isEqualTo("COMPLETED");
            assertThat(answer.completed().get("result").asText()).isEqualTo("done");
            done.add(answer.completed().get("id").asText());
            held = answer.next();
            if (held != null) {
                assertThat(held.get("status").asText()).isEqualTo("IN_PROGRESS");
                assertThat(held.get("projectId").asText()).isEqualTo(project);
                assertThat(held.get("claim").get("agentId").asText()).isEqualTo("agent-7");
                assertThat(done).doesNotContain(held.get("id").asText());
            }
        }
        // the last answer said "next": null, and the project is empty
        assertThat(done).hasSize(3).doesNotHaveDuplicates();
        assertThat(agent.post("/v1/projects/" + project + "/tasks/claim-next", "{}").status()).isEqualTo(204);
        assertThat(count(project, "COMPLETED")).isEqualTo(3);
    }

    @Test
    void theLastCompletionAnswersANullNext() throws SQLException {
        String project = project(1);
        ApiClient agent = ApiClient.withBearer(url, "agent-1");
        JsonNode held = agent.post("/v1/projects/" + project + "/tasks/claim-next", "{}").json();
        ApiClient.Response response = agent.post("/v1/tasks/" + held.get("id").asText() + "/complete",
                CompleteWithNextLoad.body(held.get("claim").get("leaseId").asText()));
        assertThat(response.json().has("next")).isTrue();
        assertThat(response.json().get("next").isNull()).isTrue();
        assertThat(response.json().get("completed").get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void aLeaseNotHeldIsRefusedAndClaimsNothing() throws SQLException {
        String project = project(2);
        ApiClient agent = ApiClient.withBearer(url, "agent-2");
        JsonNode held = agent.post("/v1/projects/" + project + "/tasks/claim-next", "{}").json();
        ApiClient.Response refused = agent.post("/v1/tasks/" + held.get("id").asText() + "/complete",
                CompleteWithNextLoad.body("not-the-lease"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(count(project, "IN_PROGRESS")).isEqualTo(1);
        assertThat(count(project, "READY")).isEqualTo(1);
    }

    @Test
    void withoutNextTheCompletionStaysThePlainTask() throws SQLException {
        String project = project(2);
        ApiClient agent = ApiClient.withBearer(url, "agent-3");
        JsonNode held = agent.post("/v1/projects/" + project + "/tasks/claim-next", "{}").json();
        ApiClient.Response plain = agent.post("/v1/tasks/" + held.get("id").asText() + "/complete",
                "{\"leaseId\":\"" + held.get("claim").get("leaseId").asText() + "\",\"result\":\"done\"}");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(CompleteWithNextLoad.parse(plain).shape()).isEqualTo(CompleteWithNextLoad.Shape.PLAIN_TASK);
        assertThat(count(project, "READY")).isEqualTo(1);
    }

    @Test
    void theLoadCompletesEveryTaskOnceWithConcurrentAgents() throws Exception {
        String project = project(400);
        List<ApiClient> agents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            agents.add(ApiClient.withBearer(url, "agent-" + i));
        }
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        CompleteWithNextLoad.Outcome outcome = CompleteWithNextLoad.run(agents, project, Duration.ofSeconds(60),
                claimedBy);
        assertThat(outcome.unsupported()).isNull();
        assertThat(outcome.errors()).isZero();
        assertThat(outcome.doubleClaims()).isZero();
        assertThat(outcome.cycles()).isEqualTo(400);
        assertThat(outcome.micros().getTotalCount()).isEqualTo(400);
        assertThat(claimedBy).hasSize(400);
        assertThat(outcome.held()).isEmpty();
        assertThat(count(project, "COMPLETED")).isEqualTo(400);
    }

    @Test
    void tasksStillHeldWhenTheTimeIsUpAreCompletedAfterwards() throws Exception {
        String project = project(20_000);
        List<ApiClient> agents = List.of(ApiClient.withBearer(url, "agent-a"), ApiClient.withBearer(url, "agent-b"));
        CompleteWithNextLoad.Outcome outcome = CompleteWithNextLoad.run(agents, project, Duration.ofMillis(500),
                new ConcurrentHashMap<>());
        assertThat(outcome.errors()).isZero();
        assertThat(outcome.cycles()).isPositive();
        assertThat(outcome.held()).hasSize(2);
        assertThat(count(project, "IN_PROGRESS")).isEqualTo(2);
        CompleteWithNextLoad.completeHeld(outcome);
        assertThat(count(project, "IN_PROGRESS")).isZero();
        assertThat(count(project, "COMPLETED")).isEqualTo(outcome.cycles() + 2);
    }

    private static String project(int tasks) throws SQLException {
        String project = UUID.randomUUID().toString();
        try (Connection connection = connect()) {
            BaselineSchema.fill(connection, project, tasks);
        }
        return project;
    }

    private static long count(String project, String status) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM baseline_task WHERE project_id = '"
                     + project + "' AND status = '" + status + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }
}
