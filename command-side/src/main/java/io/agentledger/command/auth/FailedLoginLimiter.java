package io.agentledger.command.auth;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Limits failed token exchanges per client address (Bucket4j, on this node). Only failures spend the budget, so
 * many agents behind one address can still log in while a guesser is stopped.
 */
@Component
class FailedLoginLimiter {

    private final long failuresPerMinute;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    FailedLoginLimiter(@Value("${agentledger.rate-limit.failed-logins-per-minute:10}") long failuresPerMinute) {
        this.failuresPerMinute = failuresPerMinute;
    }

    /** Seconds the address must wait before it may try again, if it has spent its budget. */
    OptionalLong retryAfterSeconds(String address) {
        Bucket bucket = buckets.get(address);
        if (bucket == null) {
            return OptionalLong.empty();
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        if (probe.canBeConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1));
    }

    /** Tests start each case with a fresh budget. */
    void forgetAll() {
        buckets.clear();
    }

    void failed(String address) {
        buckets.computeIfAbsent(address, a -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(failuresPerMinute)
                        .refillGreedy(failuresPerMinute, Duration.ofMinutes(1)).build())
                .build()).tryConsume(1);
    }
}
