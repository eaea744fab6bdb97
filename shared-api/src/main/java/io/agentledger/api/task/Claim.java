package io.agentledger.api.task;

import java.time.Instant;

/** Who holds a task and until when; the lease id fences every later call of the claimant. */
public record Claim(String agentId, String leaseId, Instant leaseExpiresAt, int attempt) {
}
