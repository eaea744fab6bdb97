package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static io.agentledger.standalone.StandaloneHttp.accessToken;
import static io.agentledger.standalone.StandaloneHttp.getJson;
import static io.agentledger.standalone.StandaloneHttp.postJson;
import static io.agentledger.standalone.StandaloneHttp.send;
import static io.agentledger.standalone.StandaloneLaunch.arguments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The projections are shared by every tenant, so only the platform's operator runs them. Started without bootstrap
 * keys, the standalone application generates the operator's key beside the admin's: printed once, kept in the data
 * directory, and neither regenerated nor printed again on a restart, also for a data directory that a release
 * without the operator key made.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorKeyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String OWNER_ONLY = "rw-------";

    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void withoutBootstrapKeysAnOperatorKeyIsGeneratedThatAloneOperatesTheProjections(CapturedOutput output)
            throws Exception {
        Path dataDir = dataDirectory();
        List<String> args = arguments(dataDir);
        ConfigurableApplicationContext first = start(args);
        String base = baseUrl(first);

        String adminKey = key(dataDir, "bootstrap-admin-key");
        String operatorKey = key(dataDir, "bootstrap-operator-key");
        assertThat(operatorKey).startsWith("alk_").isNotEqualTo(adminKey);
        assertThat(printed(output, adminKey)).as("the admin key is printed once").isOne();
        assertThat(printed(output, operatorKey)).as("the operator key is printed once").isOne();

        String admin = accessToken(base, adminKey);
        String operator = accessToken(base, operatorKey);
        String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Rebuilt\"}").get("id").asText();
        String freshAdmin = accessToken(base, postJson(base + "/v1/tenants", operator,
                "{\"name\":\"Fresh " + UUID.randomUUID() + "\"}").get("adminApiKey").asText());
        for (String tenantAdmin : List.of(admin, freshAdmin)) {
            for (HttpResponse<String> refused : List.of(call("GET", base + "/v1/admin/projections", tenantAdmin),
                    call("POST", base + "/v1/admin/projections/projects/replay", tenantAdmin),
                    call("GET", base + "/v1/admin/projections/projects/dead-letters", tenantAdmin),
                    call("POST", base + "/v1/admin/projections/projects/dead-letters/retry", tenantAdmin))) {
                assertThat(refused.statusCode()).as(refused.uri().toString()).isEqualTo(403);
                assertThat(refused.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("application/problem+json");
                assertThat(MAPPER.readTree(refused.body()).get("code").asText()).isEqualTo("FORBIDDEN");
            }
        }

        HttpResponse<String> replay = call("POST", base + "/v1/admin/projections/projects/replay", operator);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(MAPPER.readTree(replay.body()).get("name").asText()).isEqualTo("projects");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode projects = projection(base, operator, "projects");
            assertThat(projects.get("state").asText()).isEqualTo("RUNNING");
            assertThat(projects.get("lag").asLong()).isZero();
            assertThat(getJson(base + "/v1/projects/" + project, admin).get("name").asText()).isEqualTo("Rebuilt");
        });
        assertThat(call("GET", base + "/v1/admin/projections/projects/dead-letters", operator).statusCode())
                .isEqualTo(200);
        assertThat(call("POST", base + "/v1/admin/projections/projects/dead-letters/retry", operator).statusCode())
                .isEqualTo(202);
        first.close();

        ConfigurableApplicationContext second = start(args);
        String restarted = baseUrl(second);
        assertThat(key(dataDir, "bootstrap-admin-key")).isEqualTo(adminKey);
        assertThat(key(dataDir, "bootstrap-operator-key")).isEqualTo(operatorKey);
        assertThat(printed(output, adminKey)).as("the admin key is not printed again").isOne();
        assertThat(printed(output, operatorKey)).as("the operator key is not printed again").isOne();
        assertThat(call("GET", restarted + "/v1/admin/projections", accessToken(restarted, operatorKey)).statusCode())
                .isEqualTo(200);
        assertThat(call("GET", restarted + "/v1/admin/projections", accessToken(restarted, adminKey)).statusCode())
                .isEqualTo(403);
    }

    /** A data directory as the release before the operator key left it: a generated admin key, no operator. */
    @Test
    void aDataDirectoryWithAnAdminKeyOnlyGetsItsOperatorKeyOnTheNextStart(CapturedOutput output) throws Exception {
        Path dataDir = dataDirectory();
        List<String> args = arguments(dataDir);
        String adminKey = "alk_earlier-release-admin-key-" + UUID.randomUUID().toString().replace("-", "");
        Path adminKeyFile = dataDir.resolve("bootstrap-admin-key");
        Files.writeString(adminKeyFile, adminKey + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(adminKeyFile, PosixFilePermissions.fromString(OWNER_ONLY));
        List<String> earlier = new ArrayList<>(args);
        earlier.add("--agentledger.bootstrap.admin-key=" + adminKey);
        ConfigurableApplicationContext release = start(earlier);
        assertThat(dataDir.resolve("bootstrap-operator-key")).doesNotExist();
        release.close();

        ConfigurableApplicationContext upgraded = start(args);
        String base = baseUrl(upgraded);
        String operatorKey = key(dataDir, "bootstrap-operator-key");
        assertThat(printed(output, operatorKey)).as("the new operator key is printed once").isOne();
        assertThat(printed(output, adminKey)).as("the admin key is not printed").isZero();
        assertThat(key(dataDir, "bootstrap-admin-key")).isEqualTo(adminKey);
        assertThat(call("GET", base + "/v1/admin/projections", accessToken(base, operatorKey)).statusCode())
                .isEqualTo(200);
        assertThat(call("GET", base + "/v1/admin/projections", accessToken(base, adminKey)).statusCode())
                .isEqualTo(403);
        upgraded.close();

        ConfigurableApplicationContext again = start(args);
        assertThat(key(dataDir, "bootstrap-operator-key")).isEqualTo(operatorKey);
        assertThat(printed(output, operatorKey)).as("the operator key is not printed again").isOne();
        assertThat(accessToken(baseUrl(again), operatorKey)).isNotBlank();
    }

    private ConfigurableApplicationContext start(List<String> args) {
        ConfigurableApplicationContext context = StandaloneApplication.application().run(args.toArray(String[]::new));
        running.add(context);
        return context;
    }

    private static Path dataDirectory() throws Exception {
        return Files.createTempDirectory("agentledger-operator",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    private static String baseUrl(ConfigurableApplicationContext application) {
        return "http://localhost:" + application.getEnvironment().getProperty("local.server.port");
    }

    /** The key kept in the data directory, which only its owner may read. */
    private static String key(Path dataDir, String file) throws Exception {
        Path path = dataDir.resolve(file);
        assertThat(path).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as(file).isEqualTo(OWNER_ONLY);
        return Files.readString(path, StandardCharsets.UTF_8).strip();
    }

    private static int printed(CapturedOutput output, String key) {
        return output.getOut().split(Pattern.quote(key), -1).length - 1;
    }

    private static JsonNode projection(String base, String token, String name) throws Exception {
        for (JsonNode item : getJson(base + "/v1/admin/projections", token).get("items")) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private static HttpResponse<String> call(String method, String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }
}
