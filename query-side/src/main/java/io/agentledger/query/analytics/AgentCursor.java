package io.agentledger.query.analytics;

import io.agentledger.query.web.InvalidRequestException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque keyset position of a page of agents: the id of the last agent of the previous page. */
final class AgentCursor {

    private static final String PREFIX = "agent:";

    private AgentCursor() {
    }

    static String encode(String agentId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + agentId).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidRequestException when the text is not a cursor this API gave out */
    static String decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith(PREFIX) && raw.length() > PREFIX.length()) {
                return raw.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // not Base64: answered below like any other text that is not a cursor
        }
        throw new InvalidRequestException("cursor", "is not a cursor returned by this API");
    }
}
