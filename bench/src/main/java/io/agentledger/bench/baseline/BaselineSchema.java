package io.agentledger.bench.baseline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** The baseline's own table (not part of AgentLedger's schema), created and filled by the benchmark over JDBC. */
public final class BaselineSchema {

    private BaselineSchema() {
    }

    public static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS baseline_task (
                        id               UUID PRIMARY KEY,
                        project_id       UUID        NOT NULL,
                        title            TEXT        NOT NULL,
                        status           TEXT        NOT NULL,
                        priority_rank    INT         NOT NULL,
                        created_at       TIMESTAMPTZ NOT NULL,
                        updated_at       TIMESTAMPTZ NOT NULL,
                        agent_id         TEXT,
                        lease_id         TEXT,
                        lease_expires_at TIMESTAMPTZ,
                        attempts         INT         NOT NULL DEFAULT 0,
                        result           TEXT,
                        version          BIGINT      NOT NULL DEFAULT 0)""");
            statement.execute("CREATE INDEX IF NOT EXISTS baseline_task_ready_idx ON baseline_task "
                    + "(project_id, priority_rank, created_at) WHERE status = 'READY'");
        }
    }

    /** {@code count} READY tasks in a project, in one statement. */
    public static void fill(Connection connection, String projectId, int count) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO baseline_task (id, project_id, title, status, priority_rank, created_at, updated_at)
                SELECT gen_random_uuid(), ?::uuid, 'task ' || n, 'READY', n % 4,
                       now() + n * interval '1 microsecond', now()
                FROM generate_series(1, ?) AS n""")) {
            insert.setString(1, projectId);
            insert.setInt(2, count);
            insert.executeUpdate();
        }
        try (Statement analyze = connection.createStatement()) {
            analyze.execute("ANALYZE baseline_task");
        }
    }
}
