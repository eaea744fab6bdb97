package io.agentledger.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * Hands out fresh, empty databases to tests: on the server named by {@code AGENTLEDGER_DB_URL} if set,
 * otherwise on one embedded server shared by the whole JVM.
 */
public final class TestDatabases {

    private static final Logger log = LoggerFactory.getLogger(TestDatabases.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    private static EmbeddedPostgresServer embedded;

    private TestDatabases() {
    }

    /** A new empty database for one test context; same server for the whole JVM. */
    public static TestDatabase create() {
        String name = "agentledger_test_" + HexFormat.of().formatHex(randomBytes());
        String externalUrl = System.getenv("AGENTLEDGER_DB_URL");
        TestDatabase admin;
        if (externalUrl != null && !externalUrl.isBlank()) {
            admin = new TestDatabase(externalUrl,
                    envOrDefault("AGENTLEDGER_DB_USER", "postgres"), envOrDefault("AGENTLEDGER_DB_PASSWORD", ""));
        } else {
            EmbeddedPostgresServer server = embeddedServer();
            admin = new TestDatabase(server.jdbcUrl("postgres"), server.user(), "");
        }
        try (Connection connection = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + " via " + admin.jdbcUrl(), e);
        }
        TestDatabase database = new TestDatabase(withDatabase(admin.jdbcUrl(), name), admin.user(), admin.password());
        log.info("Created test database {}", database.jdbcUrl());
        return database;
    }

    /** Replaces the database of a PostgreSQL JDBC URL, keeping hosts and query parameters. */
    static String withDatabase(String jdbcUrl, String database) {
        if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        int hostsEnd = jdbcUrl.indexOf('/', JDBC_PREFIX.length());
        int queryStart = jdbcUrl.indexOf('?', JDBC_PREFIX.length());
        if (hostsEnd < 0 || (queryStart >= 0 && queryStart < hostsEnd)) {
            hostsEnd = queryStart >= 0 ? queryStart : jdbcUrl.length();
        }
        String query = queryStart >= 0 ? jdbcUrl.substring(queryStart) : "";
        return jdbcUrl.substring(0, hostsEnd) + "/" + database + query;
    }

    private static synchronized EmbeddedPostgresServer embeddedServer() {
        if (embedded == null) {
            try {
                Path root = Files.createTempDirectory("agentledger-testdb-");
                // When we are root the server runs as another OS user, who must be able to enter this directory.
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
                EmbeddedPostgresServer server = EmbeddedPostgresServer.start(root.resolve("pgdata"), false);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    try {
                        PostgresBinaries.deleteRecursively(root);
                    } catch (IOException e) {
                        log.warn("Could not delete test database directory {}", root, e);
                    }
                }, "agentledger-test-postgres-shutdown"));
                embedded = server;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start embedded PostgreSQL for tests", e);
            }
        }
        return embedded;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String envOrDefault(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
