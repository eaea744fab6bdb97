package io.agentledger.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The query side as it is deployed, over HTTP, against a real PostgreSQL whose event store the command side's
 * migrations created. Events are appended to the store directly, as the command side would.
 */
@SpringBootTest(classes = {QuerySideApplication.class, QuerySideTest.CommandSideSchema.class, PoisonedHandler.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class QuerySideTest {

    private static final TestDatabase DATABASE = TestDatabases.create();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected ObjectMapper mapper;
    @Autowired
    protected EventStore eventStore;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::user);
        registry.add("spring.datasource.password", DATABASE::password);
    }

    /** In production the command side migrates the event store before the query side reads it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CommandSideSchema {

        @Bean(initMethod = "migrate")
        Flyway commandSideFlyway(DataSource dataSource) {
            return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/command")
                    .table("flyway_command_history").baselineOnMigrate(true).baselineVersion("0").load();
        }
    }

    protected void append(String aggregateType, String aggregateId, long sequence, Object payload) {
        eventStore.publish(new GenericDomainEventMessage<>(aggregateType, aggregateId, sequence, payload));
    }

    protected Response get(String path) {
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? mapper.nullNode() : mapper.readTree(response.body());
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected record Response(int status, JsonNode body, HttpResponse<String> raw) {

        public String code() {
            return body.path("code").asText(null);
        }
    }
}
