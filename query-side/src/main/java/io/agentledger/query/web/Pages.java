package io.agentledger.query.web;

import io.agentledger.api.common.PageRequest;

/** Checks list parameters at the edge, so query handlers only ever see a valid page request. */
public final class Pages {

    private Pages() {
    }

    public static PageRequest request(int limit, String cursor) {
        if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
        }
        if (cursor != null) {
            Cursor.decode(cursor);
        }
        return new PageRequest(limit, cursor);
    }
}
