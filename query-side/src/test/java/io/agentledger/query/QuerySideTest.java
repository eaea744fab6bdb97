package io.agentledger.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import io.agentledger.query.security.QuerySecurityConfiguration;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The query side as it is deployed, over HTTP, against a real PostgreSQL whose event store the command side's
 * migrations created. Events are appended to the store directly, as the command side would. Metrics are exported
 * as in production (Spring Boot tests leave them out unless asked).
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = {QuerySideApplication.class, QuerySideTest.CommandSideSchema.class, PoisonedHandler.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"agentledger.jwt-secret=" + QuerySideTest.JWT_SECRET,
                "axon.eventhandling.processors." + PoisonedHandler.GROUP + ".mode=pooled",
                "axon.eventhandling.processors." + PoisonedHandler.GROUP + ".dlq.enabled=true"})
public abstract class QuerySideTest {

    public static final String JWT_SECRET = "a-test-secret-that-is-longer-than-32-bytes";
    protected static final String ADMIN = UUID.nameUUIDFromBytes("query-test-admin".getBytes()).toString();

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

    /** A GET as an admin of tenant {@code default}. */
    protected Response get(String path) {
        return get(path, token("default", ADMIN, "admin"));
    }

    /** An access token as the command side would sign it. */
    protected static String token(String tenant, String principal, String role) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer("agentledger").audience(List.of("agentledger-api"))
                .subject(principal).issuedAt(now).expiresAt(now.plusSeconds(600)).id(UUID.randomUUID().toString())
                .claim("tenant", tenant).claim("role", role).claim("capabilities", List.of()).build();
        JwtEncoder encoder = new NimbusJwtEncoder(new ImmutableSecret<>(
                QuerySecurityConfiguration.signingKey(JWT_SECRET.getBytes(StandardCharsets.UTF_8))));
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }

    protected Response get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET(), token);
    }

    /** A POST without a body. */
    protected Response post(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    private Response send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode body = json && !response.body().isEmpty() ? mapper.readTree(response.body()) : mapper.nullNode();
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected record Response(int status, JsonNode body, HttpResponse<String> raw) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String code() {
            return body.path("code").asText(null);
        }
    }
}
