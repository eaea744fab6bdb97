package io.agentledger.query.analytics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** The columns of an {@code analytics_tasks} row that the totals count it by. */
record TaskFigures(String status, OffsetDateTime createdAt, OffsetDateTime completedAt, OffsetDateTime terminalAt,
                   OffsetDateTime firstClaimedAt, int attempts, Double leadTimeSeconds, Double cycleTimeSeconds) {

    /** The columns named {@code prefix} + the column's name. */
    static TaskFigures read(ResultSet rs, String prefix) throws SQLException {
        return new TaskFigures(rs.getString(prefix + "status"),
                rs.getObject(prefix + "created_at", OffsetDateTime.class),
                rs.getObject(prefix + "completed_at", OffsetDateTime.class),
                rs.getObject(prefix + "terminal_at", OffsetDateTime.class),
                rs.getObject(prefix + "first_claimed_at", OffsetDateTime.class),
                rs.getInt(prefix + "attempts"), (Double) rs.getObject(prefix + "lead_time_seconds"),
                (Double) rs.getObject(prefix + "cycle_time_seconds"));
    }
}
