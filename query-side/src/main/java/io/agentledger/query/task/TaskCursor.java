package io.agentledger.query.task;

import io.agentledger.api.task.FindTasksQuery;
import io.agentledger.query.web.Cursor;
import io.agentledger.query.web.InvalidRequestException;

import java.time.Instant;

/**
 * The keyset position in a task list: the last item's sort key and id. It is carried by a {@link Cursor} (so
 * {@code Pages.request} accepts it like any other) whose id is prefixed with the sort it belongs to and, for the
 * priority sort, the priority rank: {@code p<rank>:<id>} with the creation instant, {@code u:<id>} with the update
 * instant. A cursor of another list or sort is refused.
 */
record TaskCursor(int rank, Instant at, String id) {

    static String priority(int rank, Instant createdAt, String id) {
        return new Cursor(createdAt, "p" + rank + ":" + id).encode();
    }

    static String recentlyUpdated(Instant updatedAt, String id) {
        return new Cursor(updatedAt, "u:" + id).encode();
    }

    /** @throws InvalidRequestException when the text is not a cursor of a task list in that sort */
    static TaskCursor decode(String encoded, String sort) {
        Cursor cursor = Cursor.decode(encoded);
        String key = cursor.id();
        int colon = key.indexOf(':');
        if (colon > 0 && colon < key.length() - 1) {
            String prefix = key.substring(0, colon);
            String id = key.substring(colon + 1);
            if (FindTasksQuery.SORT_RECENTLY_UPDATED.equals(sort) && prefix.equals("u")) {
                return new TaskCursor(0, cursor.at(), id);
            }
            if (FindTasksQuery.SORT_PRIORITY.equals(sort) && prefix.matches("p\\d{1,2}")) {
                return new TaskCursor(Integer.parseInt(prefix.substring(1)), cursor.at(), id);
            }
        }
        throw new InvalidRequestException("cursor", "is not a cursor returned by this list in this sort");
    }
}
