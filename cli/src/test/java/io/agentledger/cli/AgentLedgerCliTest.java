package io.agentledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the CLI does without a server: usage errors, the config file, tables. */
class AgentLedgerCliTest {

    @TempDir
    Path home;

    @Test
    void aUsageErrorExitsTwoAndSaysWhatIsMissing() {
        Run run = run("claim-next");
        assertThat(run.exit()).isEqualTo(AgentLedgerCli.USAGE);
        assertThat(run.err()).contains("Missing required parameter: 'PROJECT'");
        assertThat(run("complete", "some-task").exit()).isEqualTo(AgentLedgerCli.USAGE);
        assertThat(run("no-such-command").exit()).isEqualTo(AgentLedgerCli.USAGE);
    }

    @Test
    void withoutTokensEveryCallAsksForALogin() {
        Run run = run("projects");
        assertThat(run.exit()).isEqualTo(AgentLedgerCli.API_ERROR);
        assertThat(run.err()).isEqualToIgnoringNewLines("error: UNAUTHENTICATED: Not logged in: run agentledger login");
    }

    @Test
    void anUnreachableServerIsAnApiErrorNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run("--url", "http://localhost:" + port, "login", "--api-key", "alk_x");
        assertThat(run.exit()).isEqualTo(AgentLedgerCli.API_ERROR);
        assertThat(run.err()).contains("UNREACHABLE").contains("localhost:" + port);
    }

    @Test
    void theConfigFileIsTheOwnersOnlyAndKeepsItsFields() throws Exception {
        Path file = home.resolve("nested/agentledger/config.json");
        ConfigStore store = new ConfigStore(file, new ObjectMapper());
        assertThat(store.read()).isEqualTo(ConfigStore.Config.EMPTY);
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        store.update(old -> new ConfigStore.Config("http://example", "access", "refresh", expires));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(store.read()).isEqualTo(new ConfigStore.Config("http://example", "access", "refresh", expires));

        Files.writeString(file, "not json");
        Run run = run("--config", file.toString(), "projects");
        assertThat(run.exit()).isEqualTo(AgentLedgerCli.API_ERROR);
        assertThat(run.err()).contains("CONFIG_UNREADABLE");
    }

    @Test
    void tablesAlignColumnsAndCutLongCells() {
        StringWriter out = new StringWriter();
        Tables.print(new PrintWriter(out), new String[] {"ID", "TITLE"},
                List.of(new String[] {"a", "x".repeat(80)}, new String[] {"bbb", "short"}));
        assertThat(out.toString().lines()).containsExactly("ID   TITLE", "a    " + "x".repeat(59) + "…",
                "bbb  short");
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = AgentLedgerCli.commandLine(Map.of("HOME", home.toString()));
        AgentLedgerCli.withOut(command, new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return new Run(command.execute(args), out.toString(), err.toString());
    }

    record Run(int exit, String out, String err) {
    }
}
