package io.agentledger.bench;

import io.agentledger.embedded.EmbeddedPostgresServer;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one PostgreSQL server both systems under test use: an embedded one in the run's work directory, or the server
 * of {@code --pg-url}. Each system gets a database of its own on it.
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
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(work.resolve("postgres"),
                options.flag("durable", true));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        return new Database(server, server.jdbcUrl("postgres"), server.user(), "");
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
