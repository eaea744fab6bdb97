package io.agentledger.query.projection;

/** What a retry of a projection's dead letters did: sequences tried, processed, and still parked afterwards. */
public record RetryOutcome(String name, int attempted, int succeeded, long remaining) {
}
