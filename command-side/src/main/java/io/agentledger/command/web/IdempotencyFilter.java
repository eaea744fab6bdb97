package io.agentledger.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code Idempotency-Key} on POST: the first response of a principal's key is stored and replayed for 24 hours;
 * the same key with another request is refused.
 * <p>
 * The reservation of the key, everything the request executes and its stored response are one transaction: the
 * commands a controller sends join it (Axon's unit of work nests in it, see {@code CommandTransactions}). So the
 * outcome is decided atomically with the events. A request that ends in a server fault, or a JVM that dies before
 * the commit, leaves neither events nor a key behind, and a retry executes afresh; once the events are committed,
 * so is the response, and any retry — after a timeout, a lost connection or a crash between the commit and the
 * answer — gets it again without executing. A second request with the same key waits on the first's uncommitted
 * reservation (PostgreSQL's unique index) and then replays its answer. A reservation without a response can only
 * be left by an earlier release, which stored them apart; it is abandoned and the request runs.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final Duration RETENTION = Duration.ofHours(24);
    private static final int MAX_KEY_LENGTH = 255;
    private static final String SECRET_FIELDS = IdempotencyFilter.class.getName() + ".secretFields";

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final TransactionTemplate transaction;

    public IdempotencyFilter(JdbcTemplate jdbc, ObjectMapper mapper, Clock clock,
                             PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            Problems.write(response, mapper, ErrorCode.VALIDATION_FAILED,
                    HEADER + " must be 1 to " + MAX_KEY_LENGTH + " characters");
            return;
        }
        Optional<String> caller = Callers.current().map(Caller::principalId);
        if (caller.isEmpty()) {
            // only token exchange takes unauthenticated POSTs, and its answers (tokens) must never be stored
            chain.doFilter(request, response);
            return;
        }
        String principal = caller.get();
        String hash = hash(request);
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        try {
            Optional<StoredResponse> earlier = transaction.execute(status -> {
                if (!reserve(principal, key, hash)) {
                    return Optional.of(stored(principal, key));
                }
                execute(request, captured, chain, principal, key);
                if (captured.getStatus() >= 500) {
                    // a server fault is not an answer worth repeating: nothing it did stays, the key included
                    status.setRollbackOnly();
                }
                return Optional.<StoredResponse>empty();
            });
            if (earlier.isPresent()) {
                replay(earlier.get(), hash, captured);
            }
        } catch (Chained failure) {
            throw failure.unwrap();
        }
        captured.copyBodyToResponse();
    }

    /**
     * Claims the key for this request in the current transaction, waiting while another request holds it: true when
     * this request is to run. An expired record, or one an earlier release left without a response, is replaced.
     */
    private boolean reserve(String principal, String key, String hash) {
        Instant now = clock.instant();
        if (jdbc.update("INSERT INTO idempotency_record (principal_id, idempotency_key, request_hash, created_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", principal, key, hash, Timestamp.from(now)) == 1) {
            return true;
        }
        return jdbc.update("UPDATE idempotency_record SET request_hash = ?, created_at = ?, status = NULL,"
                        + " content_type = NULL, location = NULL, body = NULL"
                        + " WHERE principal_id = ? AND idempotency_key = ? AND (created_at < ? OR status IS NULL)",
                hash, Timestamp.from(now), principal, key, Timestamp.from(now.minus(RETENTION))) == 1;
    }

    private StoredResponse stored(String principal, String key) {
        return jdbc.queryForObject(
                "SELECT request_hash, status, content_type, location, body FROM idempotency_record"
                        + " WHERE principal_id = ? AND idempotency_key = ?",
                (rs, row) -> new StoredResponse(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getBytes(5)),
                principal, key);
    }

    private void execute(HttpServletRequest request, ContentCachingResponseWrapper captured, FilterChain chain,
                         String principal, String key) {
        try {
            chain.doFilter(request, captured);
            if (captured.getStatus() < 500) {
                jdbc.update("UPDATE idempotency_record SET status = ?, content_type = ?, location = ?, body = ?"
                                + " WHERE principal_id = ? AND idempotency_key = ?",
                        captured.getStatus(), captured.getContentType(), captured.getHeader(HttpHeaders.LOCATION),
                        withoutSecrets(request, captured.getContentAsByteArray()), principal, key);
            }
        } catch (IOException | ServletException e) {
            throw new Chained(e);
        }
    }

    /**
     * Marks fields of this request's response that carry a secret shown once (a new API key): the stored copy
     * leaves them out, so a replay answers without the secret rather than keeping it readable in the database.
     */
    public static void secretFields(HttpServletRequest request, String... fields) {
        request.setAttribute(SECRET_FIELDS, List.of(fields));
    }

    private byte[] withoutSecrets(HttpServletRequest request, byte[] body) throws IOException {
        Object fields = request.getAttribute(SECRET_FIELDS);
        if (!(fields instanceof List<?> secret) || body.length == 0) {
            return body;
        }
        JsonNode json = mapper.readTree(body);
        if (json instanceof ObjectNode object) {
            secret.forEach(field -> object.remove(String.valueOf(field)));
        }
        return mapper.writeValueAsBytes(json);
    }

    private void replay(StoredResponse stored, String hash, HttpServletResponse response) throws IOException {
        if (!stored.requestHash().equals(hash)) {
            Problems.write(response, mapper, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This " + HEADER + " was already used for a different request");
            return;
        }
        response.setStatus(stored.status());
        response.setHeader(REPLAYED_HEADER, "true");
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        if (stored.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, stored.location());
        }
        if (stored.body() != null) {
            response.getOutputStream().write(stored.body());
        }
    }

    private static String hash(HttpServletRequest request) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String target = request.getMethod() + ' ' + request.getRequestURI() + '?' + request.getQueryString() + '\n';
            digest.update(target.getBytes(StandardCharsets.UTF_8));
            digest.update(RequestBodyFilter.bodyOf(request));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private record StoredResponse(String requestHash, int status, String contentType, String location,
                                  byte[] body) {
    }

    /** A checked failure of the filter chain, carried out of the transaction callback and thrown as it was. */
    private static final class Chained extends RuntimeException {

        Chained(Exception cause) {
            super(cause);
        }

        IOException unwrap() throws ServletException {
            if (getCause() instanceof ServletException servlet) {
                throw servlet;
            }
            return (IOException) getCause();
        }
    }
}
