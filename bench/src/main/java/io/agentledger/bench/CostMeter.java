package io.agentledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * What one system spends on a load, read around each of its rounds: CPU seconds of its server JVM and of the
 * PostgreSQL server (postmaster, its live backends and the backends that have exited, from {@code /proc}), the
 * commits and rows written in its database (from {@code pg_stat_database}) and the SQL statements run in it (from
 * {@code pg_stat_statements}, when the server has it loaded). The rounds alternate, so the PostgreSQL CPU read during a
 * system's round is that system's. Divided by the cycles done, these are the cost of one claim-next → complete, which
 * says more than throughput on a shared machine: outside load slows a system down but hardly changes what a cycle
 * costs it. The meter reads from the server's maintenance database, so its own queries are in neither system's figures.
 */
final class CostMeter {

    /**
     * The statements counted: every top-level statement PostgreSQL ran in the database ({@code calls} of
     * {@code pg_stat_statements}), without transaction control — BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE — since
     * the commits are counted apart.
     */
    static final String STATEMENTS = "SELECT coalesce(sum(calls), 0), (SELECT dealloc FROM pg_stat_statements_info) "
            + "FROM pg_stat_statements WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = ?) "
            + "AND query !~* '^\\s*(begin|start\\s+transaction|commit|end|rollback|abort|savepoint|release)\\M'";

    /**
     * A reading; subtract two to get what was spent between them. {@code statements} is -1 when they are not counted;
     * {@code evictions} counts entries {@code pg_stat_statements} dropped (their calls are lost, so the count is then a
     * lower bound).
     */
    record Reading(double serverCpuSeconds, double postgresCpuSeconds, long commits, long rowsWritten, long statements,
                   long evictions) {

        Reading minus(Reading earlier) {
            return new Reading(serverCpuSeconds - earlier.serverCpuSeconds,
                    postgresCpuSeconds - earlier.postgresCpuSeconds, commits - earlier.commits,
                    rowsWritten - earlier.rowsWritten, statements < 0 || earlier.statements < 0 ? -1
                    : statements - earlier.statements, evictions - earlier.evictions);
        }

        Reading plus(Reading other) {
            return new Reading(serverCpuSeconds + other.serverCpuSeconds,
                    postgresCpuSeconds + other.postgresCpuSeconds, commits + other.commits,
                    rowsWritten + other.rowsWritten, statements < 0 || other.statements < 0 ? -1
                    : statements + other.statements, evictions + other.evictions);
        }

        static Reading zero() {
            return new Reading(0, 0, 0, 0, 0, 0);
        }

        /**
         * "server JVM 4.10 ms + PostgreSQL 1.20 ms CPU, 6.0 commits, 9.5 rows written, 12.0 SQL statements" per
         * cycle; without the statements when they were not counted.
         */
        String perCycle(long cycles) {
            double n = Math.max(1, cycles);
            String cost = String.format(Locale.ROOT, "server JVM %.2f ms + PostgreSQL %.2f ms CPU, %.1f commits, %.1f "
                            + "rows written", serverCpuSeconds * 1000 / n, postgresCpuSeconds * 1000 / n, commits / n,
                    rowsWritten / n);
            if (statements >= 0) {
                cost += String.format(Locale.ROOT, ", %s%.1f SQL statements", evictions > 0 ? "at least " : "",
                        statements / n);
            }
            return cost;
        }
    }

    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux everywhere

    private final Database database;
    private final long postmasterPid;
    /** Why statements are not counted, or null when they are. */
    private final String statementsMissing;

    private CostMeter(Database database, long postmasterPid, String statementsMissing) {
        this.database = database;
        this.postmasterPid = postmasterPid;
        this.statementsMissing = statementsMissing;
    }

    /** A meter for a PostgreSQL server on this machine (the embedded one, or a local {@code --pg-url}). */
    static CostMeter of(Database database, String anyDatabaseUrl) throws SQLException {
        long postmaster;
        try (Connection connection = database.connect(anyDatabaseUrl); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long backend = rs.getLong(1);
            postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        }
        return new CostMeter(database, postmaster, statementsMissing(database));
    }

    /** Null when {@code pg_stat_statements} answers on this server, else why not. */
    private static String statementsMissing(Database database) {
        try (Connection connection = database.connectAdmin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            try (PreparedStatement probe = connection.prepareStatement(STATEMENTS)) {
                probe.setString(1, "postgres");
                probe.executeQuery().close();
            }
            return null;
        } catch (SQLException e) {
            return e.getMessage().lines().findFirst().orElse(e.toString());
        }
    }

    /** Null when statements are counted; else a note saying why they are not. */
    String statementsNote() {
        return statementsMissing == null ? null : "SQL statements per cycle not counted: pg_stat_statements is not "
                + "available on this PostgreSQL server (" + statementsMissing + ")";
    }

    Reading read(long serverPid, String databaseUrl) throws SQLException {
        double postgres = postmasterPid < 0 ? 0 : cpuSeconds(postmasterPid, true)
                + ProcessHandle.of(postmasterPid).stream().flatMap(ProcessHandle::children)
                .mapToDouble(child -> cpuSeconds(child.pid(), false)).sum();
        String name = Database.name(databaseUrl);
        try (Connection connection = database.connectAdmin();
             PreparedStatement activity = connection.prepareStatement("SELECT xact_commit, "
                     + "tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = ?")) {
            activity.setString(1, name);
            long commits;
            long rows;
            try (ResultSet rs = activity.executeQuery()) {
                rs.next();
                commits = rs.getLong(1);
                rows = rs.getLong(2);
            }
            long statements = -1;
            long evictions = 0;
            if (statementsMissing == null) {
                try (PreparedStatement count = connection.prepareStatement(STATEMENTS)) {
                    count.setString(1, name);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        statements = rs.getLong(1);
                        evictions = rs.getLong(2);
                    }
                }
            }
            return new Reading(cpuSeconds(serverPid, false), postgres, commits, rows, statements, evictions);
        }
    }

    /** User + system CPU of a process, and with {@code withReaped} that of its children it has waited for. */
    private static double cpuSeconds(long pid, boolean withReaped) {
        Optional<String> stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat.isEmpty()) {
            return 0;
        }
        // fields after the command name, which is in parentheses and may hold spaces: state is field 3
        String[] fields = stat.get().substring(stat.get().lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withReaped) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static Optional<String> read(Path path) {
        try {
            return Optional.of(Files.readString(path));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }
}
