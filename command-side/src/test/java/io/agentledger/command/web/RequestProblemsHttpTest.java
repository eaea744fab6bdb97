package io.agentledger.command.web;

import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.concurrent.Flow;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input of every kind gets a 4xx problem+json with a stable code, never a 5xx. */
class RequestProblemsHttpTest extends CommandSideTest {

    @Test
    void unreadableJsonIsMalformed() {
        assertProblem(post("/v1/projects", "{\"name\": "), 400, "MALFORMED_REQUEST");
        assertProblem(post("/v1/projects", "[1,2]"), 400, "MALFORMED_REQUEST");
        assertProblem(post("/v1/projects", "{\"name\": {\"nested\": true}}"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void invalidFieldsAreNamed() {
        Response missingName = post("/v1/projects", "{\"description\":\"no name\"}");
        assertProblem(missingName, 400, "VALIDATION_FAILED");
        assertThat(missingName.body().get("errors").get(0).get("field").asText()).isEqualTo("name");

        Response badId = post("/v1/projects", "{\"id\":\"not-a-uuid\",\"name\":\"x\"}");
        assertProblem(badId, 400, "VALIDATION_FAILED");
        assertThat(badId.body().get("errors").get(0).get("field").asText()).isEqualTo("id");

        assertProblem(post("/v1/projects", "{\"name\":\"" + "n".repeat(201) + "\"}"), 400, "VALIDATION_FAILED");
        assertProblem(post("/v1/projects", "{\"name\":\"   \"}"), 400, "VALIDATION_FAILED");
    }

    @Test
    void bodiesOverOneMebibyteAreRefusedWhetherOrNotTheirLengthIsDeclared() {
        String huge = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(post("/v1/projects", huge), 413, "PAYLOAD_TOO_LARGE");

        byte[] bytes = huge.getBytes();
        Response chunked = send(request("/v1/projects").POST(new UnsizedPublisher(bytes)));
        assertProblem(chunked, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void wrongMethodsMediaTypesAndPathsAreProblemsToo() {
        assertProblem(send(request("/v1/projects").DELETE()), 405, "METHOD_NOT_ALLOWED");
        assertProblem(send(request("/v1/projects").setHeader("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=x"))), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(post("/v1/no-such-thing", "{}"), 404, "NOT_FOUND");
    }

    @Test
    void injectionTextIsJustAName() {
        Response created = post("/v1/projects", "{\"name\":\"'; DROP TABLE domain_event_entry; --<script>\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("name").asText()).isEqualTo("'; DROP TABLE domain_event_entry; --<script>");
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().has("title")).isTrue();
        assertThat(response.body().has("type")).isTrue();
        assertThat(response.raw().body()).doesNotContain("Exception").doesNotContain("at io.");
    }

    /** A body sent without Content-Length (chunked). */
    private record UnsizedPublisher(byte[] bytes) implements HttpRequest.BodyPublisher {

        @Override
        public long contentLength() {
            return -1;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(
                    Arrays.asList(bytes))).subscribe(subscriber);
        }
    }
}
