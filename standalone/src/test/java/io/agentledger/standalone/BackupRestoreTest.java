package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.agentledger.standalone.StandaloneHttp.accessToken;
import static io.agentledger.standalone.StandaloneHttp.getJson;
import static io.agentledger.standalone.StandaloneHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backup procedure of docs/operations.md: only the command side's tables (the event store and what the command
 * side keeps beside it) are restored into a fresh database; the query side then rebuilds every read model from the
 * events, equal row for row to the original.
 */
class BackupRestoreTest {

    private static final String SECRET = "--agentledger.jwt-secret=a-test-secret-that-is-longer-than-32-bytes";

    @Test
    void aRestoredEventStoreRebuildsEveryReadModel() throws Exception {
        TestDatabase original = TestDatabases.create();
        Path dataDir = Files.createTempDirectory("agentledger-backup");
        ConfigurableApplicationContext first = start(original, dataDir);
        try {
            recordSomeWork(first, dataDir);
        } finally {
            first.close();
        }

        TestDatabase restored = TestDatabases.create();
        Set<String> commandTables = migrateCommandSide(restored);
        restore(original, restored, commandTables);

        ConfigurableApplicationContext second = start(restored, dataDir);
        try {
            Set<String> readModels = readModelTables(original, commandTables);
            assertThat(readModels).contains("projects", "tasks", "knowledge_entries", "principals", "audit_log");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(rows(restored, readModels)).isEqualTo(rows(original, readModels)));
        } finally {
            second.close();
        }
    }

    private static void recordSomeWork(ConfigurableApplicationContext application, Path dataDir) throws Exception {
        String base = "http://localhost:" + application.getEnvironment().getProperty("local.server.port");
        String admin = accessToken(base, Files.readString(dataDir.resolve("bootstrap-admin-key")).strip());
        String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Backed up\"}").get("id").asText();
        JsonNode agentKey = postJson(base + "/v1/principals", admin,
                "{\"name\":\"worker\",\"role\":\"agent\",\"capabilities\":[\"java\"]}");
        String agent = accessToken(base, agentKey.get("apiKey").asText());
        String first = postJson(base + "/v1/projects/" + project + "/tasks", admin,
                "{\"title\":\"Schema\",\"priority\":\"HIGH\",\"labels\":[\"db\"]}").get("id").asText();
        postJson(base + "/v1/projects/" + project + "/tasks", admin,
                "{\"title\":\"Queries\",\"dependsOn\":[\"" + first + "\"]}");
        JsonNode claimed = postJson(base + "/v1/projects/" + project + "/tasks/claim-next", agent, "{}");
        postJson(base + "/v1/tasks/" + first + "/complete", agent, "{\"leaseId\":\""
                + claimed.get("claim").get("leaseId").asText() + "\",\"result\":\"done\",\"learnings\":[{\"title\":"
                + "\"Index the foreign keys\",\"body\":\"Joins were slow without them\",\"tags\":[\"db\"]}]}");
        postJson(base + "/v1/knowledge", agent, "{\"title\":\"Vacuum\",\"body\":\"Autovacuum keeps up\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> getJson(base + "/v1/knowledge/search?q=foreign", admin)
                .get("items").size() == 1);
        String operator = accessToken(base, Files.readString(dataDir.resolve("bootstrap-operator-key")).strip());
        await().atMost(Duration.ofSeconds(20)).until(() -> getJson(base + "/v1/admin/projections", operator)
                .findValues("lag").stream().allMatch(lag -> lag.asLong() == 0));
    }

    private static ConfigurableApplicationContext start(TestDatabase database, Path dataDir) {
        return StandaloneApplication.application().run("--server.port=0", "--agentledger.data-dir=" + dataDir,
                "--agentledger.db.url=" + database.jdbcUrl(), "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(), SECRET);
    }

    /** The command side's schema, as its Flyway creates it; returns the tables it owns. */
    private static Set<String> migrateCommandSide(TestDatabase database) throws SQLException {
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations("classpath:db/migration/command").table("flyway_command_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        return tables(database);
    }

    /** What pg_dump --data-only --table=… then pg_restore do, with PostgreSQL's COPY. */
    private static void restore(TestDatabase from, TestDatabase to, Set<String> tables) throws Exception {
        try (Connection source = connect(from); Connection target = connect(to)) {
            CopyManager out = source.unwrap(PGConnection.class).getCopyAPI();
            CopyManager in = target.unwrap(PGConnection.class).getCopyAPI();
            try (Statement statement = target.createStatement()) {
                statement.execute("TRUNCATE flyway_command_history");
                // foreign keys are checked by the original database already (pg_restore --disable-triggers)
                statement.execute("SET session_replication_role = replica");
            }
            for (String table : tables) {
                ByteArrayOutputStream dump = new ByteArrayOutputStream();
                out.copyOut("COPY " + table + " TO STDOUT (FORMAT binary)", dump);
                in.copyIn("COPY " + table + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(dump.toByteArray()));
            }
            try (Statement statement = target.createStatement()) {
                statement.execute("SET session_replication_role = DEFAULT");
                // the projections' positions belong to the read models, which are not restored
                statement.execute("DELETE FROM token_entry WHERE processor_name NOT IN "
                        + "('task-dependencies', 'task-learnings')");
                statement.execute("SELECT setval(pg_get_serial_sequence('domain_event_entry', 'global_index'), "
                        + "(SELECT MAX(global_index) FROM domain_event_entry))");
            }
        }
    }

    private static Set<String> readModelTables(TestDatabase database, Set<String> commandTables) throws SQLException {
        Set<String> tables = tables(database);
        tables.removeAll(commandTables);
        // not read models: the query side's own bookkeeping (migrations, parked events, live nodes)
        tables.removeAll(List.of("flyway_query_history", "dead_letter_entry", "projection_node"));
        return tables;
    }

    private static Map<String, List<String>> rows(TestDatabase database, Set<String> tables) throws SQLException {
        Map<String, List<String>> rows = new TreeMap<>();
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                List<String> texts = new ArrayList<>();
                try (ResultSet row = statement.executeQuery("SELECT t::text FROM " + table + " t ORDER BY 1")) {
                    while (row.next()) {
                        texts.add(row.getString(1));
                    }
                }
                rows.put(table, texts);
            }
        }
        return rows;
    }

    private static Set<String> tables(TestDatabase database) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Connection connection = connect(database); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
            while (row.next()) {
                tables.add(row.getString(1));
            }
        }
        return tables;
    }

    private static Connection connect(TestDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }
}
