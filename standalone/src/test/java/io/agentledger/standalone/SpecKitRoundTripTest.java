package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static io.agentledger.standalone.StandaloneHttp.accessToken;
import static io.agentledger.standalone.StandaloneHttp.send;
import static io.agentledger.standalone.StandaloneLaunch.arguments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Import, export, import again: the project's own tasks.md is a fixed point through both sides. */
class SpecKitRoundTripTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigurableApplicationContext application;

    @AfterEach
    void stop() {
        if (application != null) {
            application.close();
        }
    }

    @Test
    void importExportImportOfTheProjectsOwnTasksFileChangesNothing() throws Exception {
        Path dataDir = Files.createTempDirectory("agentledger-spec-kit",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        application = StandaloneApplication.application().run(arguments(dataDir).toArray(String[]::new));
        String base = "http://localhost:" + application.getEnvironment().getProperty("local.server.port");
        String token = accessToken(base, Files.readString(dataDir.resolve("bootstrap-admin-key")).strip());
        String project = MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(base + "/v1/projects"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"AgentLedger\"}"))).body()).get("id").asText();

        String tasksMd = Files.readString(Path.of("../.specify/tasks.md"));
        JsonNode first = importSpecKit(base, token, project, tasksMd);
        int tasks = first.get("created").asInt();
        assertThat(tasks).isEqualTo((int) tasksMd.lines().filter(l -> l.matches("^- \\[[ xX]] T\\d+ .*")).count());

        await().atMost(Duration.ofSeconds(30)).until(() -> taskLines(export(base, token, project)) == tasks);
        String exported = export(base, token, project);
        assertThat(exported).contains("## Phase 5: User Story 4 - Admin plans with spec-kit and Task Master"
                        + " (Priority: P2)")
                .contains("### Event store and migrations (issue #2)")
                .contains("- [X] T001 Create the multi-module build")
                .contains("- [X] T003 [P] Create module shared-api");
        // every task line comes back as it was written, its box as checked as in the file
        assertThat(exported.lines().toList()).containsAll(
                tasksMd.lines().filter(l -> l.matches("^- \\[[ xX]] T\\d+ .*")).toList());

        JsonNode second = importSpecKit(base, token, project, exported);
        assertThat(second.get("created").asInt()).isZero();
        assertThat(second.get("updated").asInt()).isZero();
        assertThat(second.get("unchanged").asInt()).isEqualTo(tasks);
        assertThat(second.get("tasks")).isEqualTo(first.get("tasks"));
        assertThat(export(base, token, project)).isEqualTo(exported);
    }

    private static JsonNode importSpecKit(String base, String token, String project, String markdown)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/v1/projects/" + project
                        + "/imports/spec-kit")).header("Content-Type", "text/markdown")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(markdown)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private static String export(String base, String token, String project) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/v1/projects/" + project
                + "/exports/spec-kit")).header("Authorization", "Bearer " + token).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static long taskLines(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("- [")).count();
    }

}
