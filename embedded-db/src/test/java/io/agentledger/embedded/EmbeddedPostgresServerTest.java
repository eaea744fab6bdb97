package io.agentledger.embedded;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EmbeddedPostgresServerTest {

    @TempDir
    Path temp;

    Path dataDirectory;

    @BeforeEach
    void makeTempTraversable() throws IOException {
        // @TempDir is 0700; as root the server runs as another OS user that must reach the data directory.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        dataDirectory = temp.resolve("pgdata");
    }

    @Test
    void dataSurvivesRestartAndNoProcessRemainsAfterClose() throws Exception {
        long pid;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, true)) {
            execute(server, "CREATE TABLE entry (id int PRIMARY KEY, text varchar NOT NULL)");
            execute(server, "INSERT INTO entry VALUES (1, 'kept')");
            pid = EmbeddedPostgresServer.Postmaster.pid(dataDirectory);
            assertThat(pid).isPositive();
        }
        assertStopped(pid);

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, true)) {
            assertThat(query(server, "SELECT text FROM entry WHERE id = 1")).isEqualTo("kept");
            pid = EmbeddedPostgresServer.Postmaster.pid(dataDirectory);
        }
        assertStopped(pid);
    }

    @Test
    void takesOverDataDirectoryOfAbandonedServer() throws Exception {
        // Simulates a JVM killed while its server kept running: server A is never closed.
        EmbeddedPostgresServer abandoned = EmbeddedPostgresServer.start(dataDirectory, false);
        execute(abandoned, "CREATE TABLE entry (id int PRIMARY KEY)");
        execute(abandoned, "INSERT INTO entry VALUES (42)");
        long abandonedPid = EmbeddedPostgresServer.Postmaster.pid(dataDirectory);

        long pid;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, false)) {
            assertThat(EmbeddedPostgresServer.Postmaster.isRunningPostgres(abandonedPid)).isFalse();
            assertThat(query(server, "SELECT id FROM entry")).isEqualTo("42");
            pid = EmbeddedPostgresServer.Postmaster.pid(dataDirectory);
            assertThat(pid).isNotEqualTo(abandonedPid);
        }
        assertStopped(pid);
    }

    @Test
    void durableServerSyncsToDisk() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, true)) {
            assertThat(query(server, "SHOW fsync")).isEqualTo("on");
            assertThat(query(server, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(query(server, "SHOW full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    void nonDurableServerSkipsSyncing() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, false)) {
            assertThat(query(server, "SHOW fsync")).isEqualTo("off");
            assertThat(query(server, "SHOW synchronous_commit")).isEqualTo("off");
            assertThat(query(server, "SHOW full_page_writes")).isEqualTo("off");
        }
    }

    @Test
    void runsAsUnprivilegedUserWhenJvmIsRoot() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "only meaningful when the JVM runs as root");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, false)) {
            assertThat(query(server, "SELECT current_setting('data_directory')")).isEqualTo(dataDirectory.toString());
            assertThat(Files.getOwner(dataDirectory.resolve("postmaster.pid")).getName()).isNotEqualTo("root");
        }
    }

    @Test
    void closeIsIdempotentAndReportsPortAndUrl() throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, false);
        assertThat(server.user()).isEqualTo("postgres");
        assertThat(server.dataDirectory()).isEqualTo(dataDirectory);
        assertThat(server.jdbcUrl("app")).isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/app");
        server.close();
        server.close();
        assertThat(dataDirectory.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void refusesNonEmptyDirectoryThatIsNoCluster() throws Exception {
        Files.createDirectories(dataDirectory);
        Files.writeString(dataDirectory.resolve("unrelated.txt"), "not a database");
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDirectory, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("initdb failed");
    }

    @Test
    void namesDirectoryTheServerUserCannotEnter() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "only meaningful when the JVM runs as root");
        Path locked = temp.resolve("locked");
        Files.createDirectories(locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(locked.resolve("inner").resolve("pgdata"), false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot traverse directory " + locked + " ");
    }

    private static void assertStopped(long pid) {
        assertThat(pid).isPositive();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !EmbeddedPostgresServer.Postmaster.isRunningPostgres(pid));
    }

    static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String query(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }
}
