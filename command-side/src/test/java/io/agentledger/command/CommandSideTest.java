package io.agentledger.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The command side as it is deployed, over HTTP, against a real PostgreSQL of its own. */
@SpringBootTest(classes = CommandSideApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"agentledger.bootstrap.admin-key=" + CommandSideTest.ADMIN_KEY,
                "agentledger.bootstrap.operator-key=" + CommandSideTest.OPERATOR_KEY,
                "agentledger.jwt-secret=" + CommandSideTest.JWT_SECRET,
                "logging.level.io.agentledger.command.web.CommandSender=debug"})
public abstract class CommandSideTest {

    public static final String ADMIN_KEY = "alk_test-admin-key-0123456789abcdefghijklmnop";
    public static final String OPERATOR_KEY = "alk_test-operator-key-0123456789abcdefghijklm";
    public static final String JWT_SECRET = "a-test-secret-that-is-longer-than-32-bytes";
    private static final TestDatabase DATABASE = TestDatabases.create();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Map<String, String> ACCESS_TOKENS = new ConcurrentHashMap<>();

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected ObjectMapper mapper;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::user);
        registry.add("spring.datasource.password", DATABASE::password);
    }

    /** A request as the bootstrap admin of tenant {@code default}. */
    protected HttpRequest.Builder request(String path) {
        return anonymous(path).header("Authorization", "Bearer " + accessToken(ADMIN_KEY));
    }

    protected HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json");
    }

    /** An access token for an API key, exchanged once per key. */
    protected String accessToken(String apiKey) {
        return ACCESS_TOKENS.computeIfAbsent(apiKey, key -> exchange(key).body().get("accessToken").asText());
    }

    protected Response exchange(String apiKey) {
        Response response = send(anonymous("/v1/auth/token").POST(HttpRequest.BodyPublishers.ofString(
                "{\"grantType\":\"api_key\",\"apiKey\":\"" + apiKey + "\"}")));
        if (response.status() != 200) {
            throw new IllegalStateException("token exchange failed: " + response.raw().body());
        }
        return response;
    }

    protected Response postAs(String apiKey, String path, String json) {
        return send(anonymous(path).header("Authorization", "Bearer " + accessToken(apiKey))
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Registers a principal of the admin's tenant and answers its API key. */
    protected String registerPrincipal(String adminKey, String role, String... capabilities) {
        String json = "{\"name\":\"" + role + " " + System.nanoTime() + "\",\"role\":\"" + role
                + "\",\"capabilities\":" + toJsonArray(capabilities) + "}";
        Response created = postAs(adminKey, "/v1/principals", json);
        if (created.status() != 201) {
            throw new IllegalStateException("registration failed: " + created.raw().body());
        }
        return created.body().get("apiKey").asText();
    }

    private String toJsonArray(String... values) {
        try {
            return mapper.writeValueAsString(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected Response post(String path, String json) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    protected Response patch(String path, String json) {
        return send(request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    protected Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
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

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        public String code() {
            return body.path("code").asText(null);
        }
    }
}
