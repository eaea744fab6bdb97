package io.agentledger.command.web;

import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyHttpTest extends CommandSideTest {

    @Autowired
    IdempotencyRecordPurger purger;

    @Test
    void aRepeatReturnsTheFirstResponseWithoutExecutingAgain() {
        String key = UUID.randomUUID().toString();
        Response first = postWithKey(key, "{\"name\":\"Once\"}");
        Response repeat = postWithKey(key, "{\"name\":\"Once\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.raw().body()).isEqualTo(first.raw().body());
        assertThat(repeat.header("Location")).isEqualTo(first.header("Location"));
        assertThat(repeat.header(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        String id = first.body().get("id").asText();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, id)).isEqualTo(1);
    }

    @Test
    void errorResponsesAreReplayedToo() {
        String key = UUID.randomUUID().toString();
        Response first = postWithKey(key, "{\"description\":\"no name\"}");
        Response repeat = postWithKey(key, "{\"description\":\"no name\"}");
        assertThat(first.status()).isEqualTo(400);
        assertThat(repeat.status()).isEqualTo(400);
        assertThat(repeat.raw().body()).isEqualTo(first.raw().body());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        assertThat(postWithKey(key, "{\"name\":\"A\"}").status()).isEqualTo(201);
        Response reused = postWithKey(key, "{\"name\":\"B\"}");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void concurrentRepeatsExecuteOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> postWithKey(key, "{\"name\":\"Concurrent\"}"));
            }
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : pool.invokeAll(calls)) {
                responses.add(future.get());
            }
            assertThat(responses).allMatch(r -> r.status() == 201
                    || (r.status() == 409 && "CONCURRENT_MODIFICATION".equals(r.code())));
            assertThat(responses.stream().filter(r -> r.status() == 201)
                    .map(r -> r.body().get("id").asText()).distinct()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE"
                + " '%ProjectCreatedEvent' AND convert_from(payload, 'UTF8') LIKE '%\"Concurrent\"%'", Long.class))
                .isEqualTo(1);
    }

    @Test
    void anOverlongKeyIsInvalid() {
        Response response = postWithKey("k".repeat(256), "{\"name\":\"x\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void aKeyOlderThanADayIsForgotten() {
        String key = UUID.randomUUID().toString();
        String firstId = postWithKey(key, "{\"name\":\"Day one\"}").body().get("id").asText();
        ageRecord(key);

        Response nextDay = postWithKey(key, "{\"name\":\"Day one\"}");
        assertThat(nextDay.status()).isEqualTo(201);
        assertThat(nextDay.body().get("id").asText()).isNotEqualTo(firstId);

        ageRecord(key);
        assertThat(purger.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotency_record WHERE idempotency_key = ?",
                Long.class, key)).isZero();
    }

    private void ageRecord(String key) {
        jdbc.update("UPDATE idempotency_record SET created_at = ? WHERE idempotency_key = ?",
                Timestamp.from(Instant.now().minus(25, ChronoUnit.HOURS)), key);
    }

    private Response postWithKey(String key, String json) {
        return send(request("/v1/projects").header(IdempotencyFilter.HEADER, key)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }
}
