package io.agentledger.standalone;

import com.zaxxer.hikari.HikariDataSource;
import io.agentledger.embedded.EmbeddedPostgresServer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Without {@code AGENTLEDGER_DB_URL}, AgentLedger keeps its data in a PostgreSQL it runs itself under the data
 * directory. The data source depends on the server, so Spring closes every connection before stopping it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${agentledger.db.url:}'.isEmpty()")
public class EmbeddedDatabaseConfiguration {

    static final String DATABASE = "agentledger";

    @Bean(destroyMethod = "close")
    public EmbeddedPostgresServer embeddedPostgres(@Value("${agentledger.data-dir}") Path dataDirectory,
                                                   @Value("${agentledger.embedded.durable:true}") boolean durable)
            throws IOException, SQLException {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(
                dataDirectory.toAbsolutePath().resolve("postgres"), durable);
        try {
            createDatabaseIfMissing(server);
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(EmbeddedPostgresServer server) {
        return DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .driverClassName("org.postgresql.Driver")
                .url(server.jdbcUrl(DATABASE))
                .username(server.user())
                .password("")
                .build();
    }

    private static void createDatabaseIfMissing(EmbeddedPostgresServer server) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), "");
             Statement statement = connection.createStatement()) {
            boolean exists;
            try (var rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }
}
