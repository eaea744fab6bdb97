package io.agentledger.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the complete-with-next loop reads its answers, and how it copes with a server that predates {@code next}. */
class CompleteWithNextLoadTest {

    private static final String TASK = "{\"id\":\"t1\",\"projectId\":\"p\",\"status\":\"COMPLETED\",\"claim\":"
            + "{\"agentId\":\"a\",\"leaseId\":\"l1\"},\"version\":3}";
    private static final String CLAIMED = "{\"id\":\"t2\",\"projectId\":\"p\",\"status\":\"IN_PROGRESS\",\"claim\":"
            + "{\"agentId\":\"a\",\"leaseId\":\"l2\"},\"version\":2}";

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theBodyAsksForTheNextTaskWithoutWaiting() {
        assertThat(new ApiClient.Response(200, CompleteWithNextLoad.body("l1")).json().toString())
                .isEqualTo("{\"leaseId\":\"l1\",\"result\":\"done\",\"next\":{\"waitSeconds\":0}}");
    }

    @Test
    void readsTheCompletedTaskAndTheNextOne() {
        CompleteWithNextLoad.Answer answer = CompleteWithNextLoad.parse(
                new ApiClient.Response(200, "{\"completed\":" + TASK + ",\"next\":" + CLAIMED + "}"));
        assertThat(answer.shape()).isEqualTo(CompleteWithNextLoad.Shape.COMPLETED_WITH_NEXT);
        assertThat(answer.completed().get("id").asText()).isEqualTo("t1");
        assertThat(answer.next().get("claim").get("leaseId").asText()).isEqualTo("l2");
        assertThat(CompleteWithNextLoad.unsupportedReason(answer)).isNull();
    }

    @Test
    void aNullOrMissingNextMeansNoTaskWasReady() {
        for (String body : List.of("{\"completed\":" + TASK + ",\"next\":null}", "{\"completed\":" + TASK + "}")) {
            CompleteWithNextLoad.Answer answer = CompleteWithNextLoad.parse(new ApiClient.Response(200, body));
            assertThat(answer.shape()).as(body).isEqualTo(CompleteWithNextLoad.Shape.COMPLETED_WITH_NEXT);
            assertThat(answer.next()).as(body).isNull();
        }
    }

    @Test
    void aPlainTaskIsTheOldShape() {
        CompleteWithNextLoad.Answer answer = CompleteWithNextLoad.parse(new ApiClient.Response(200, TASK));
        assertThat(answer.shape()).isEqualTo(CompleteWithNextLoad.Shape.PLAIN_TASK);
        assertThat(CompleteWithNextLoad.unsupportedReason(answer)).isEqualTo(CompleteWithNextLoad.PLAIN_TASK_ANSWER);
    }

    @Test
    void errorsAndMalformedAnswersAreFailures() {
        for (ApiClient.Response response : List.of(new ApiClient.Response(409, "{\"code\":\"LEASE_NOT_HELD\"}"),
                new ApiClient.Response(200, "not json"), new ApiClient.Response(200, "[]"),
                new ApiClient.Response(200, "{\"something\":1}"),
                new ApiClient.Response(200, "{\"completed\":\"yes\"}"),
                new ApiClient.Response(200, "{\"completed\":" + TASK + ",\"next\":{\"id\":\"t2\"}}"))) {
            assertThat(CompleteWithNextLoad.parse(response).shape()).as(response.body())
                    .isEqualTo(CompleteWithNextLoad.Shape.FAILED);
        }
    }

    @Test
    void aRefusedRequestMeansNotSupportedButAServerErrorIsNoVerdict() {
        assertThat(CompleteWithNextLoad.unsupportedReason(CompleteWithNextLoad.parse(
                new ApiClient.Response(400, "{\"detail\":\"unknown field next\"}"))))
                .startsWith("complete with \"next\" answered 400");
        assertThatThrownBy(() -> CompleteWithNextLoad.unsupportedReason(CompleteWithNextLoad.parse(
                new ApiClient.Response(500, "boom")))).hasMessageContaining("answered 500");
    }

    @Test
    void aServerWithoutNextIsReportedAsNotSupportedInsteadOfFailing() throws Exception {
        AtomicInteger left = new AtomicInteger(50);
        AtomicInteger completions = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            if (path.endsWith("/claim-next")) {
                if (left.getAndDecrement() <= 0) {
                    answer(exchange, 204, null);
                } else {
                    answer(exchange, 200, "{\"id\":\"" + UUID.randomUUID() + "\",\"status\":\"IN_PROGRESS\","
                            + "\"claim\":{\"agentId\":\"a\",\"leaseId\":\"" + UUID.randomUUID() + "\"}}");
                }
            } else if (path.endsWith("/complete")) {
                completions.incrementAndGet();
                answer(exchange, 200, TASK); // the plain task: "next" ignored
            } else {
                answer(exchange, 404, "{}");
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        List<ApiClient> agents = List.of(ApiClient.withBearer(url, "a"), ApiClient.withBearer(url, "b"));

        assertThat(CompleteWithNextLoad.probe(agents.get(0), "p")).isEqualTo(CompleteWithNextLoad.PLAIN_TASK_ANSWER);
        CompleteWithNextLoad.Outcome outcome = CompleteWithNextLoad.run(agents, "p", Duration.ofSeconds(120),
                new ConcurrentHashMap<>());

        assertThat(outcome.unsupported()).isEqualTo(CompleteWithNextLoad.PLAIN_TASK_ANSWER);
        assertThat(outcome.cycles()).isZero();
        assertThat(outcome.errors()).isZero();
        assertThat(outcome.seconds()).isLessThan(60); // stopped at the first plain answer, did not run the time out
        assertThat(completions.get()).isBetween(2, 3);
        assertThat(CompleteWithNextLoad.sum(List.of(outcome, outcome)).unsupported()).isNotNull();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
