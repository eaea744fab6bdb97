package io.agentledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The benchmark's view of AgentLedger: JSON over HTTP with a bearer token, as any client would use it. */
public final class ApiClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One connection pool for every simulated client, HTTP/1.1 as agents use it (no h2c upgrade attempts). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private volatile String token;

    private ApiClient(String baseUrl, String apiKey, String token) {
        this(baseUrl, apiKey, token, DEFAULT_TIMEOUT);
    }

    private ApiClient(String baseUrl, String apiKey, String token, Duration timeout) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.token = token;
        this.timeout = timeout;
    }

    /** Exchanges an API key for an access token (and again whenever the token has expired). */
    public static ApiClient login(String baseUrl, String apiKey) {
        return new ApiClient(baseUrl, apiKey, accessToken(baseUrl, apiKey));
    }

    /** A client that sends a fixed bearer value, for the baseline (which takes it as the agent's name). */
    public static ApiClient withBearer(String baseUrl, String bearer) {
        return new ApiClient(baseUrl, null, bearer);
    }

    /** The same principal (same key and token) talking to another node of the same AgentLedger. */
    public ApiClient at(String otherBaseUrl) {
        return new ApiClient(otherBaseUrl, apiKey, token, timeout);
    }

    /** The same principal with another request timeout (30 s by default), e.g. a prober's short one. */
    public ApiClient withTimeout(Duration requestTimeout) {
        return new ApiClient(baseUrl, apiKey, token, requestTimeout);
    }

    public String baseUrl() {
        return baseUrl;
    }

    private static String accessToken(String baseUrl, String apiKey) {
        Response tokens = new ApiClient(baseUrl, null, null).post("/v1/auth/token",
                "{\"grantType\":\"api_key\",\"apiKey\":\"" + apiKey + "\"}");
        if (tokens.status() != 200) {
            throw new IllegalStateException("login failed with " + tokens.status() + ": " + tokens.body());
        }
        return tokens.json().get("accessToken").asText();
    }

    public record Response(int status, String body, String contentType) {

        public Response(int status, String body) {
            this(status, body, "");
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response send(String method, String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.build();
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 && apiKey != null) {
                // access tokens live 15 minutes; a long run logs in again
                token = accessToken(baseUrl, apiKey);
                HttpRequest.Builder again = HttpRequest.newBuilder(built, (name, value) -> !name.equalsIgnoreCase(
                        "Authorization")).header("Authorization", "Bearer " + token);
                response = HTTP.send(again.build(), HttpResponse.BodyHandlers.ofString());
            }
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
