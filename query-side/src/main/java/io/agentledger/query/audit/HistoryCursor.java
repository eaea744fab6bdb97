package io.agentledger.query.audit;

import io.agentledger.query.web.Cursor;
import io.agentledger.query.web.InvalidRequestException;

import java.time.Instant;

/**
 * The position in an aggregate's history: the next version to read. It is carried by a {@link Cursor} (so
 * {@code Pages.request} accepts it like any other; its instant is unused) whose id is {@code h<version>:<aggregate>}:
 * a cursor of another aggregate's history, or of another list, is refused.
 */
final class HistoryCursor {

    private HistoryCursor() {
    }

    static String encode(String aggregateId, long nextVersion) {
        return new Cursor(Instant.EPOCH, "h" + nextVersion + ":" + aggregateId).encode();
    }

    /** @throws InvalidRequestException when the text is not a cursor of this aggregate's history */
    static long decode(String encoded, String aggregateId) {
        String key = Cursor.decode(encoded).id();
        int colon = key.indexOf(':');
        if (colon > 1 && key.startsWith("h") && key.substring(colon + 1).equals(aggregateId)) {
            String version = key.substring(1, colon);
            if (version.matches("\\d{1,18}")) {
                return Long.parseLong(version);
            }
        }
        throw new InvalidRequestException("cursor", "is not a cursor of this aggregate's history");
    }
}
