package io.agentledger.command.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Duration;
import java.time.Instant;

/**
 * Remembers tokens already decoded and validated, until they expire: an agent sends the same access token with
 * every request for its 15 minutes, and checking its signature and claims again each time is a measurable share of a
 * claim cycle. Bounded in size; a token that failed is never kept (it is decoded, and refused, every time).
 * Revocation is checked per request elsewhere, on the decoded token, so a cached token of a revoked principal is
 * still refused.
 */
final class CachingJwtDecoder implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Cache<String, Jwt> decoded;

    CachingJwtDecoder(JwtDecoder delegate, long maximumSize) {
        this.delegate = delegate;
        this.decoded = Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new UntilTheTokenExpires()).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = decoded.getIfPresent(token);
        if (jwt != null && jwt.getExpiresAt() != null && jwt.getExpiresAt().isAfter(Instant.now())) {
            return jwt;
        }
        jwt = delegate.decode(token);
        if (jwt.getExpiresAt() != null) {
            decoded.put(token, jwt);
        }
        return jwt;
    }

    private static final class UntilTheTokenExpires implements Expiry<String, Jwt> {

        @Override
        public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            return Math.max(0, Duration.between(Instant.now(), jwt.getExpiresAt()).toNanos());
        }

        @Override
        public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
            return expireAfterCreate(token, jwt, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
