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

            database.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(base + "/actuator/health/readiness") == 503);
            assertThat(status(base + "/actuator/health/liveness")).isEqualTo(200);
            long started = System.nanoTime();
            HttpResponse<String> refused = post(base + "/v1/auth/token",
                    "{\"grantType\":\"api_key\",\"apiKey\":\"" + adminKey + "\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(MAPPER.readTree(refused.body()).get("code").asText()).isEqualTo("UNAVAILABLE");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));

            restarted = EmbeddedPostgresServer.start(pgData, false, port);
            await().atMost(Duration.ofSeconds(90)).until(() -> status(base + "/actuator/health/readiness") == 200);
            HttpResponse<String> token = post(base + "/v1/auth/token",
                    "{\"grantType\":\"api_key\",\"apiKey\":\"" + adminKey + "\"}");
            assertThat(token.statusCode()).isEqualTo(200);
            JsonNode readiness = MAPPER.readTree(get(base + "/actuator/health/readiness").body());
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
        return get(url).statusCode();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
