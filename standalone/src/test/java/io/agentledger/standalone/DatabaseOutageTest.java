package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away under a running service and comes back: readiness goes down (liveness stays up), requests
 * are answered 503 UNAVAILABLE promptly, and the service is ready again by itself once the database returns.
 */
class DatabaseOutageTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readinessFollowsTheDatabase() throws Exception {
        Path dataDir = Files.createTempDirectory("agentledger-outage",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path pgData = dataDir.resolve("outage-postgres");
        EmbeddedPostgresServer database = EmbeddedPostgresServer.start(pgData, false);
        int port = database.port();
        String url = database.jdbcUrl("postgres");
        ConfigurableApplicationContext application = StandaloneApplication.application().run("--server.port=0",
                "--agentledger.db.url=" + url, "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + database.user(), "--agentledger.data-dir=" + dataDir);
        EmbeddedPostgresServer restarted = null;
        try {
            String base = "http://localhost:" + application.getEnvironment().getProperty("local.server.port");
            String adminKey = Files.readString(dataDir.resolve("bootstrap-admin-key")).strip();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(base + "/actuator/health/readiness") == 200);
            String token = MAPPER.readTree(post(base + "/v1/auth/token",
                    "{\"grantType\":\"api_key\",\"apiKey\":\"" + adminKey + "\"}", null).body())
                    .get("accessToken").asText();

            database.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(base + "/actuator/health/readiness") == 503);
            assertThat(status(base + "/actuator/health/liveness")).isEqualTo(200);
            long started = System.nanoTime();
            HttpResponse<String> refused = post(base + "/v1/auth/token",
                    "{\"grantType\":\"api_key\",\"apiKey\":\"" + adminKey + "\"}", null);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(MAPPER.readTree(refused.body()).get("code").asText()).isEqualTo("UNAVAILABLE");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            // an authenticated request: its token's revocation check reads the database inside Spring Security's
            // chain, before Spring MVC's exception handling (this was a 500 from the servlet container)
            for (HttpResponse<String> authenticated : List.of(get(base + "/v1/projects", token),
                    post(base + "/v1/projects", "{\"name\":\"during the outage\"}", token))) {
                assertThat(authenticated.statusCode()).as(authenticated.body()).isEqualTo(503);
                assertThat(authenticated.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                        assertThat(type).startsWith("application/problem+json"));
                assertThat(MAPPER.readTree(authenticated.body()).get("code").asText()).isEqualTo("UNAVAILABLE");
            }

            restarted = EmbeddedPostgresServer.start(pgData, false, port);
            await().atMost(Duration.ofSeconds(90)).until(() -> status(base + "/actuator/health/readiness") == 200);
            HttpResponse<String> again = post(base + "/v1/auth/token",
                    "{\"grantType\":\"api_key\",\"apiKey\":\"" + adminKey + "\"}", null);
            assertThat(again.statusCode()).isEqualTo(200);
            JsonNode readiness = MAPPER.readTree(get(base + "/actuator/health/readiness", null).body());
            assertThat(readiness.get("status").asText()).isEqualTo("UP");
        } finally {
            application.close();
            if (restarted != null) {
                restarted.close();
            }
            database.close();
        }
    }

    private static int status(String url) throws Exception {
        return get(url, null).statusCode();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return CLIENT.send(request(url, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String json, String token) throws Exception {
        return CLIENT.send(request(url, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }
}
