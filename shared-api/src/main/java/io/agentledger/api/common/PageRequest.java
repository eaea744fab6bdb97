package io.agentledger.api.common;

/** A keyset page request: at most {@code limit} items after the opaque {@code cursor} (null for the first page). */
public record PageRequest(int limit, String cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
}
