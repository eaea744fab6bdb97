package io.agentledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * What one system spends on the claim load, read around each of its rounds: CPU seconds of its server JVM and of the
 * PostgreSQL server (postmaster, its live backends and the backends that have exited, from {@code /proc}), and the
 * commits and rows written in its database (from {@code pg_stat_database}). The rounds alternate, so the PostgreSQL
 * CPU read during a system's round is that system's. Divided by the cycles done, these are the cost of one
 * claim-next → complete, which says more than throughput on a shared machine: outside load slows a system down but
 * hardly changes what a cycle costs it.
 */
final class CostMeter {

    /** A reading; subtract two to get what was spent between them. */
    record Reading(double serverCpuSeconds, double postgresCpuSeconds, long commits, long rowsWritten) {

        Reading minus(Reading earlier) {
            return new Reading(serverCpuSeconds - earlier.serverCpuSeconds,
                    postgresCpuSeconds - earlier.postgresCpuSeconds, commits - earlier.commits,
                    rowsWritten - earlier.rowsWritten);
        }

        Reading plus(Reading other) {
            return new Reading(serverCpuSeconds + other.serverCpuSeconds,
                    postgresCpuSeconds + other.postgresCpuSeconds, commits + other.commits,
                    rowsWritten + other.rowsWritten);
        }

        static Reading zero() {
            return new Reading(0, 0, 0, 0);
        }

        /** "JVM 4.1 ms + PostgreSQL 1.2 ms CPU, 6.0 commits, 9.5 rows written" per cycle. */
        String perCycle(long cycles) {
            double n = Math.max(1, cycles);
            return String.format(Locale.ROOT, "server JVM %.2f ms + PostgreSQL %.2f ms CPU, %.1f commits, %.1f rows "
                            + "written", serverCpuSeconds * 1000 / n, postgresCpuSeconds * 1000 / n, commits / n,
                    rowsWritten / n);
        }
    }

    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux everywhere

    private final Database database;
    private final long postmasterPid;

    private CostMeter(Database database, long postmasterPid) {
        this.database = database;
        this.postmasterPid = postmasterPid;
    }

    /** A meter for a PostgreSQL server on this machine (the embedded one, or a local {@code --pg-url}). */
    static CostMeter of(Database database, String anyDatabaseUrl) throws SQLException {
        try (Connection connection = database.connect(anyDatabaseUrl); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long backend = rs.getLong(1);
            long postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                    .orElse(-1L);
            return new CostMeter(database, postmaster);
        }
    }

    Reading read(long serverPid, String databaseUrl) throws SQLException {
        double postgres = postmasterPid < 0 ? 0 : cpuSeconds(postmasterPid, true)
                + ProcessHandle.of(postmasterPid).stream().flatMap(ProcessHandle::children)
                .mapToDouble(child -> cpuSeconds(child.pid(), false)).sum();
        try (Connection connection = database.connect(databaseUrl); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT xact_commit, tup_inserted + tup_updated + tup_deleted "
                     + "FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return new Reading(cpuSeconds(serverPid, false), postgres, rs.getLong(1), rs.getLong(2));
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
