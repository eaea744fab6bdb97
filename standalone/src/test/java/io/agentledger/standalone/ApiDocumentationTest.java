package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document of the whole service names every path of the contract and the bearer scheme. */
class ApiDocumentationTest {

    private static final Pattern CONTRACT_ROW = Pattern.compile("^\\| (GET|POST|PATCH|PUT|DELETE) (/v1\\S*)",
            Pattern.MULTILINE);

    private static ConfigurableApplicationContext application;
    private static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        TestDatabase database = TestDatabases.create();
        application = StandaloneApplication.application().run("--server.port=0",
                "--agentledger.db.url=" + database.jdbcUrl(), "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--agentledger.data-dir=" + Files.createTempDirectory("agentledger-api-docs"),
                "--agentledger.jwt-secret=a-test-secret-that-is-longer-than-32-bytes");
        String port = application.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        document = new ObjectMapper().readTree(response.body());
    }

    @AfterAll
    static void stop() {
        application.close();
    }

    @Test
    void everyPathOfTheContractIsDocumented() throws IOException {
        List<String> documented = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(operation(method, path.getKey()))));

        List<String> pending = lines("/api-contract-pending.txt").stream().map(ApiDocumentationTest::operation)
                .toList();
        List<String> contract = contractPaths().stream().map(ApiDocumentationTest::operation)
                .filter(operation -> !pending.contains(operation)).toList();
        assertThat(contract).hasSizeGreaterThanOrEqualTo(38);
        assertThat(documented).containsAll(contract);
        assertThat(documented).as("a path that is built leaves the pending list").doesNotContainAnyElementsOf(pending);
    }

    @Test
    void everyOperationTakesABearerToken() {
        JsonNode scheme = document.at("/components/securitySchemes/bearerAuth");
        assertThat(scheme.get("type").asText()).isEqualTo("http");
        assertThat(scheme.get("scheme").asText()).isEqualTo("bearer");
        assertThat(scheme.get("bearerFormat").asText()).isEqualTo("JWT");
        assertThat(document.get("security").get(0).has("bearerAuth")).isTrue();
    }

    /** The list kept with the tests matches the contract, wherever the contract is checked out beside this repo. */
    @Test
    void theKeptListIsTheContractsList() throws IOException {
        Path contract = Path.of("..", "..", "shared", "spec", "api.md");
        List<String> kept = contractPaths();
        if (Files.exists(contract)) {
            List<String> rows = new ArrayList<>();
            Matcher row = CONTRACT_ROW.matcher(Files.readString(contract));
            while (row.find()) {
                rows.add(row.group(1) + " " + row.group(2));
            }
            assertThat(kept).isEqualTo(rows);
        }
        assertThat(kept).allMatch(line -> line.matches("(GET|POST|PATCH|PUT|DELETE) /v1/\\S+"));
    }

    private static List<String> contractPaths() throws IOException {
        return lines("/api-contract-paths.txt");
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = ApiDocumentationTest.class.getResourceAsStream(resource)) {
            assertThat(in).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        }
    }

    /** "GET /v1/projects/{}" of a "METHOD /path [note]" line. */
    private static String operation(String line) {
        String[] parts = line.split(" ");
        return operation(parts[0], parts[1]);
    }

    /** "GET /v1/projects/{}": path variables compare whatever their names. */
    private static String operation(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}]*}", "{}");
    }
}
