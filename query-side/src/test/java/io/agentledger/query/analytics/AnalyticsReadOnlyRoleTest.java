package io.agentledger.query.analytics;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQL of docs/analytics.md, "Read-only access for analysts", run as written: the roles read and only read. */
class AnalyticsReadOnlyRoleTest extends AnalyticsTestSupport {

    private static final Path DOC = Path.of("..", "docs", "analytics.md");

    @Test
    void theDocumentedRolesReadTheAnalyticsTablesAndNothingElse() throws Exception {
        Scenario scenario = scenario();
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String everyTenant = "analyst_" + suffix;
        String oneTenant = "tenant_analyst_" + suffix;
        String schema = "analytics_" + suffix;
        String database = jdbc.queryForObject("SELECT current_database()", String.class);
        List<String> blocks = sqlBlocks();
        try {
            run(blocks.get(0).replace("agentledger_analyst", everyTenant)
                    .replace("DATABASE agentledger", "DATABASE \"" + database + "\""));
            run(blocks.get(1).replace("acme_analyst", oneTenant).replace("analytics_acme", schema)
                    .replace("DATABASE agentledger", "DATABASE \"" + database + "\"")
                    .replace("<acme tenant id>", tenant));

            try (Connection analyst = connect(everyTenant)) {
                assertThat(count(analyst, "SELECT count(*) FROM analytics_tasks WHERE tenant_id = '" + tenant + "'"))
                        .isEqualTo(11);
                assertThat(count(analyst, "SELECT count(*) FROM analytics_claims WHERE tenant_id = '"
                        + scenario.otherTenant() + "'")).isEqualTo(1);
                assertDenied(analyst, "SELECT count(*) FROM domain_event_entry");
                assertDenied(analyst, "SELECT count(*) FROM tasks");
                assertDenied(analyst, "DELETE FROM analytics_tasks");
            }
            try (Connection analyst = connect(oneTenant)) {
                assertThat(count(analyst, "SELECT count(*) FROM " + schema + ".tasks")).isEqualTo(11);
                assertThat(count(analyst, "SELECT count(*) FROM " + schema + ".claims")).isEqualTo(10);
                assertDenied(analyst, "SELECT count(*) FROM analytics_tasks");
            }
        } finally {
            jdbc.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            for (String role : List.of(everyTenant, oneTenant)) {
                jdbc.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN"
                        + " EXECUTE 'DROP OWNED BY " + role + "'; EXECUTE 'DROP ROLE " + role + "'; END IF; END $$");
            }
        }
    }

    /** The ```sql blocks of the section, in order. */
    private static List<String> sqlBlocks() throws Exception {
        String doc = Files.readString(DOC);
        String section = doc.substring(doc.indexOf("## Read-only access for analysts"), doc.indexOf("## Rebuilding"));
        List<String> blocks = new ArrayList<>();
        for (int start = section.indexOf("```sql"); start >= 0; start = section.indexOf("```sql", start + 1)) {
            blocks.add(section.substring(start + "```sql".length(), section.indexOf("```", start + 6)));
        }
        assertThat(blocks).hasSize(2);
        return blocks;
    }

    private void run(String block) {
        StringBuilder sql = new StringBuilder();
        block.lines().filter(line -> !line.strip().startsWith("--")).forEach(line -> sql.append(line).append('\n'));
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                jdbc.execute(statement);
            }
        }
    }

    private Connection connect(String role) throws SQLException {
        String url;
        try (Connection own = jdbc.getDataSource().getConnection()) {
            url = own.getMetaData().getURL();
        }
        return DriverManager.getConnection(url, role, "change-me");
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertDenied(Connection connection, String sql) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).isInstanceOf(SQLException.class).satisfies(e -> assertThat(((SQLException) e).getSQLState())
                .isIn("42501", "25006"));
    }
}
