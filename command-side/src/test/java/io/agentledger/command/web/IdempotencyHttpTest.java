package io.agentledger.command.web;

import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * The client gives up (its timeout) while the request is still finishing after its command ran: the command
     * commits with the stored answer, and the retry waits for that commit and gets the first answer, not a second
     * project. The slowness is forced by a trigger on the answer's write, after the command and before the commit.
     */
    @Test
    void aRetryAfterATimeoutWhoseCommandCommittedGetsTheFirstAnswer() throws Exception {
        String key = "slow-" + UUID.randomUUID();
        String body = "{\"name\":\"Timed out " + key + "\"}";
        jdbc.execute("CREATE OR REPLACE FUNCTION slow_answer() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN IF NEW.idempotency_key LIKE 'slow-%' AND NEW.status IS NOT NULL THEN"
                + " PERFORM pg_sleep(2); END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER slow_answer BEFORE UPDATE ON idempotency_record"
                + " FOR EACH ROW EXECUTE FUNCTION slow_answer()");
        try {
            HttpRequest first = request("/v1/projects").header(IdempotencyFilter.HEADER, key)
                    .timeout(Duration.ofMillis(500)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(first, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);

            Response retry = postWithKey(key, body);

            assertThat(retry.status()).isEqualTo(201);
            assertThat(retry.header(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
            assertThat(projectsCreatedWithName("Timed out " + key)).isEqualTo(1);
        } finally {
            jdbc.execute("DROP TRIGGER slow_answer ON idempotency_record");
        }
    }

    /**
     * A server fault after the command ran (here: storing the answer fails) takes the command's events with it, so
     * the key is free and a retry executes the command once, as if the first attempt had never happened.
     */
    @Test
    void aServerFaultAfterTheCommandLeavesNeitherEventsNorKeyAndTheRetryExecutesOnce() {
        String key = "fault-" + UUID.randomUUID();
        String body = "{\"name\":\"Faulted " + key + "\"}";
        jdbc.execute("CREATE OR REPLACE FUNCTION failing_answer() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN IF NEW.idempotency_key LIKE 'fault-%' AND NEW.status IS NOT NULL THEN"
                + " RAISE EXCEPTION 'answer not stored'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER failing_answer BEFORE UPDATE ON idempotency_record"
                + " FOR EACH ROW EXECUTE FUNCTION failing_answer()");
        Response first;
        try {
            first = postWithKey(key, body);
        } finally {
            jdbc.execute("DROP TRIGGER failing_answer ON idempotency_record");
        }
        assertThat(first.status()).isGreaterThanOrEqualTo(500);
        assertThat(projectsCreatedWithName("Faulted " + key)).isZero();

        Response retry = postWithKey(key, body);

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header(IdempotencyFilter.REPLAYED_HEADER)).isNull();
        assertThat(postWithKey(key, body).raw().body()).isEqualTo(retry.raw().body());
        assertThat(projectsCreatedWithName("Faulted " + key)).isEqualTo(1);
    }

    /** An earlier release stored the reservation apart from the answer; one left behind does not block its key. */
    @Test
    void aReservationLeftWithoutAnAnswerDoesNotBlockTheKey() {
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"Abandoned " + key + "\"}";
        String earlierKey = UUID.randomUUID().toString();
        postWithKey(earlierKey, "{\"name\":\"Earlier " + key + "\"}");
        String principal = jdbc.queryForObject("SELECT principal_id FROM idempotency_record WHERE idempotency_key = ?",
                String.class, earlierKey);
        jdbc.update("INSERT INTO idempotency_record (principal_id, idempotency_key, request_hash, created_at)"
                + " VALUES (?, ?, 'left-by-a-crash', now())", principal, key);

        Response response = postWithKey(key, body);

        assertThat(response.status()).isEqualTo(201);
        assertThat(projectsCreatedWithName("Abandoned " + key)).isEqualTo(1);
        assertThat(postWithKey(key, body).header(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
    }

    private long projectsCreatedWithName(String name) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE"
                + " '%ProjectCreatedEvent' AND convert_from(payload, 'UTF8') LIKE ?", Long.class,
                "%\"" + name + "\"%");
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
