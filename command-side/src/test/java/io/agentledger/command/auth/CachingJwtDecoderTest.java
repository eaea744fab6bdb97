package io.agentledger.command.auth;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTest {

    private final AtomicInteger decodes = new AtomicInteger();

    @Test
    void aValidTokenIsDecodedOnceUntilItExpires() {
        JwtDecoder decoder = new CachingJwtDecoder(counting(Instant.now().plusSeconds(900)), 10);
        Jwt first = decoder.decode("token-a");
        Jwt second = decoder.decode("token-a");
        assertThat(second).isSameAs(first);
        assertThat(decodes).hasValue(1);
        decoder.decode("token-b");
        assertThat(decodes).hasValue(2);
    }

    @Test
    void anExpiredTokenIsDecodedAgainSoThatTheDelegateRefusesIt() {
        JwtDecoder decoder = new CachingJwtDecoder(counting(Instant.now().minusSeconds(1)), 10);
        decoder.decode("stale");
        decoder.decode("stale");
        assertThat(decodes).hasValue(2);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        JwtDecoder decoder = new CachingJwtDecoder(token -> {
            decodes.incrementAndGet();
            throw new BadJwtException("bad signature");
        }, 10);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(decodes).hasValue(2);
    }

    private JwtDecoder counting(Instant expiresAt) {
        return token -> {
            decodes.incrementAndGet();
            return new Jwt(token, expiresAt.minusSeconds(60), expiresAt, Map.of("alg", "HS256"),
                    Map.of("sub", "principal"));
        };
    }
}
