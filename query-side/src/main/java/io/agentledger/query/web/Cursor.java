package io.agentledger.query.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An opaque keyset position: the sort key (an instant) and the id of the last item of a page. Rows inserted later
 * never shift a page, unlike an offset.
 */
public record Cursor(Instant at, String id) {

    public String encode() {
        String raw = at.getEpochSecond() + "." + at.getNano() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidRequestException when the text is not a cursor this API gave out */
    public static Cursor decode(String encoded) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            int dot = raw.indexOf('.');
            if (bar < 0 || dot < 0 || dot > bar || bar == raw.length() - 1) {
                throw new IllegalArgumentException("not a cursor");
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(raw.substring(0, dot)),
                    Long.parseLong(raw.substring(dot + 1, bar)));
            return new Cursor(at, raw.substring(bar + 1));
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cursor", "is not a cursor returned by this API");
        }
    }
}
