package io.agentledger.command.web;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/** Keeps the idempotency table to the 24 hours in which a stored response can still be replayed. */
@Component
@EnableScheduling
class IdempotencyRecordPurger {

    private final JdbcTemplate jdbc;

    IdempotencyRecordPurger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    int purgeExpired() {
        return jdbc.update("DELETE FROM idempotency_record WHERE created_at < ?",
                Timestamp.from(Instant.now().minus(IdempotencyFilter.RETENTION)));
    }
}
