package io.agentledger.bench;

import io.agentledger.embedded.EmbeddedPostgresServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one PostgreSQL server both systems under test use: an embedded one in the run's work directory, or the server
 * of {@code --pg-url}. Each system gets a database of its own on it. The embedded server loads
 * {@code pg_stat_statements} (unless {@code --statements false}), so that {@link CostMeter} can count the SQL
 * statements of a cycle.
 */
public final class Database implements AutoCloseable {

    private final EmbeddedPostgresServer embedded;
    private final String adminUrl;
    private final String user;
    private final String password;

    private Database(EmbeddedPostgresServer embedded, String adminUrl, String user, String password) {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
    }

    public static Database start(Options options, Path work) throws IOException {
        if (options.has("pg-url")) {
            return new Database(null, options.get("pg-url"), options.get("pg-user", "postgres"),
                    options.get("pg-password", ""));
        }
        Path directory = work.resolve("postgres");
        boolean durable = options.flag("durable", true);
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory, durable);
        if (options.flag("statements", true)) {
            server = withStatementStatistics(server, directory, durable);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        return new Database(server, server.jdbcUrl("postgres"), server.user(), "");
    }

    /**
     * {@code pg_stat_statements} is only counted when the server preloads it ({@code shared_preload_libraries}, read
     * at start): set it with {@code ALTER SYSTEM} and restart the server on the same data directory. The embedded
     * binaries ship the extension; should the restart fail anyway, the setting is taken back and the server runs
     * without it (the cost note then says the statements were not counted).
     */
    private static EmbeddedPostgresServer withStatementStatistics(EmbeddedPostgresServer server, Path directory,
                                                                  boolean durable) throws IOException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), "");
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            // AgentLedger runs a few hundred distinct statements: no entry may be evicted during the rounds
            statement.execute("ALTER SYSTEM SET pg_stat_statements.max = 10000");
        } catch (SQLException e) {
            System.err.println("pg_stat_statements not enabled: " + e.getMessage());
            return server;
        }
        server.close();
        try {
            return EmbeddedPostgresServer.start(directory, durable);
        } catch (IOException e) {
            System.err.println("PostgreSQL did not start with pg_stat_statements, starting it without: " + e);
            Files.writeString(directory.resolve("postgresql.auto.conf"), "# reset by the benchmark\n");
            return EmbeddedPostgresServer.start(directory, durable);
        }
    }

    /** A new empty database; answers its JDBC URL. */
    public String create(String prefix) throws SQLException {
        String name = prefix + "_" + Long.toString(System.currentTimeMillis(), 36);
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    /** The database's name in a JDBC URL that {@link #create} answered. */
    static String name(String url) {
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return query < 0 ? url.substring(slash + 1) : url.substring(slash + 1, query);
    }

    /** A connection to the server's maintenance database (not one of the systems' own). */
    public Connection connectAdmin() throws SQLException {
        return admin();
    }

    public Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String version() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1) + (embedded == null ? "" : " (embedded"
                    + (embedded.dataDirectory() != null ? ", fsync " + (durable() ? "on" : "off") : "") + ")");
        }
    }

    private boolean durable() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW fsync")) {
            rs.next();
            return rs.getString(1).equals("on");
        }
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
