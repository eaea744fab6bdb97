package io.agentledger.query.projection;

/**
 * One event processor as operators see it. {@code position} is the lowest global index its segments have
 * processed, {@code lag} how far that is behind the newest event of the store, {@code replayProgress} the share of
 * the replay done (0..1) while it replays and null otherwise, {@code deadLetters} the caller's tenant's parked
 * sequences.
 */
public record ProjectionStatus(String name,
                               String state,
                               long position,
                               long headPosition,
                               long lag,
                               Double replayProgress,
                               long deadLetters) {
}
