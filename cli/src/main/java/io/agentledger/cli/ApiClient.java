package io.agentledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.cli.ConfigStore.Config;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The HTTP API as the CLI calls it: bearer tokens from the config file, refreshed before they expire (or once
 * after a 401), and every non-2xx answer turned into an {@link ApiException} with the problem's code.
 */
final class ApiClient {

    /** Refresh a token this long before it expires, so a request never leaves with a dying one. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private final String baseUrl;
    private final ConfigStore store;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ApiClient(String baseUrl, ConfigStore store, ObjectMapper mapper, Clock clock) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.store = store;
        this.mapper = mapper;
        this.clock = clock;
    }

    record Response(int status, String body) {
    }

    /** Exchanges an API key for tokens and keeps them, with the URL, in the config file. */
    Config login(String apiKey) {
        JsonNode tokens = exchange(Map.of("grantType", "api_key", "apiKey", apiKey));
        return store.update(old -> config(tokens));
    }

    Response get(String path) {
        return authorized("GET", path, null, null);
    }

    Response post(String path, Object json) {
        return authorized("POST", path, "application/json", write(json));
    }

    Response postText(String path, String contentType, String text) {
        return authorized("POST", path, contentType, text);
    }

    JsonNode json(Response response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw ApiException.local("MALFORMED_RESPONSE", "The server's answer is not JSON");
        }
    }

    private Response authorized(String method, String path, String contentType, String body) {
        String token = accessToken();
        Response response = send(method, path, contentType, body, token);
        if (response.status() == 401) {
            response = send(method, path, contentType, body, refreshedAfter(token));
        }
        if (response.status() >= 400) {
            throw problem(response);
        }
        return response;
    }

    /** An access token valid for at least another minute, refreshed if need be. */
    String accessToken() {
        Config config = store.read();
        if (config.accessToken() == null) {
            throw ApiException.local("UNAUTHENTICATED", "Not logged in: run agentledger login");
        }
        if (config.expiresAt() != null && clock.instant().plus(REFRESH_MARGIN).isBefore(config.expiresAt())) {
            return config.accessToken();
        }
        return refreshedAfter(config.accessToken());
    }

    /** A fresh access token, unless another command already replaced {@code stale} meanwhile. */
    private String refreshedAfter(String stale) {
        return store.update(config -> {
            if (config.accessToken() != null && !config.accessToken().equals(stale)) {
                return config;
            }
            if (config.refreshToken() == null) {
                throw ApiException.local("UNAUTHENTICATED", "Not logged in: run agentledger login");
            }
            JsonNode tokens = exchange(Map.of("grantType", "refresh_token", "refreshToken", config.refreshToken()));
            return config(tokens);
        }).accessToken();
    }

    private JsonNode exchange(Map<String, String> grant) {
        Response response = send("POST", "/v1/auth/token", "application/json", write(grant), null);
        if (response.status() != 200) {
            ApiException refused = problem(response);
            throw "UNAUTHENTICATED".equals(refused.code())
                    ? new ApiException(refused.code(), refused.status(),
                    refused.getMessage() + " (log in again: agentledger login)", refused.body())
                    : refused;
        }
        return json(response);
    }

    private Config config(JsonNode tokens) {
        return new Config(baseUrl, tokens.get("accessToken").asText(), tokens.get("refreshToken").asText(),
                clock.instant().plusSeconds(tokens.get("expiresIn").asLong()));
    }

    private Response send(String method, String path, String contentType, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (ConnectException e) {
            throw ApiException.local("UNREACHABLE", "Cannot reach " + baseUrl + " (set --url or AGENTLEDGER_URL)");
        } catch (HttpTimeoutException e) {
            throw ApiException.local("UNREACHABLE", baseUrl + " did not answer in time");
        } catch (IOException e) {
            throw ApiException.local("UNREACHABLE", "Cannot talk to " + baseUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.local("INTERRUPTED", "Interrupted");
        }
    }

    private ApiException problem(Response response) {
        String code = "HTTP_" + response.status();
        String detail = response.body();
        try {
            JsonNode problem = mapper.readTree(response.body());
            code = problem.path("code").asText(code);
            detail = problem.path("detail").asText(detail);
        } catch (IOException e) {
            // not a problem document: keep the status and the raw body
        }
        return new ApiException(code, response.status(), detail, response.body());
    }

    private String write(Object json) {
        try {
            return mapper.writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
