package io.agentledger.command.auth;

import io.agentledger.command.principal.Credentials;
import io.agentledger.command.principal.Credentials.Account;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Exchanges an API key or a refresh token for a 15-minute access token (JWT) and a 7-day refresh token. Refresh
 * tokens rotate on every use; presenting a used one revokes its whole family.
 */
@Service
public class TokenService {

    public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(15);
    public static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(7);
    static final String REFRESH_TOKEN_PREFIX = "alr_";

    private final Credentials credentials;
    private final Secrets secrets;
    private final JwtEncoder encoder;

    TokenService(Credentials credentials, Secrets secrets, JwtEncoder encoder) {
        this.credentials = credentials;
        this.secrets = secrets;
        this.encoder = encoder;
    }

    public record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    @Transactional
    public Optional<Tokens> exchangeApiKey(String apiKey) {
        return credentials.byApiKeyHash(secrets.hash(apiKey))
                .map(account -> issue(account, UUID.randomUUID().toString()));
    }

    /** A replayed token answers empty without an exception, so the revocation of its family commits. */
    @Transactional
    public Optional<Tokens> exchangeRefreshToken(String refreshToken) {
        return credentials.useRefreshToken(secrets.hash(refreshToken))
                .flatMap(used -> credentials.activeAccount(used.principalId())
                        .map(account -> issue(account, used.familyId())));
    }

    private Tokens issue(Account account, String familyId) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(SecurityConfiguration.ISSUER)
                .audience(List.of(SecurityConfiguration.AUDIENCE))
                .subject(account.principalId())
                .id(UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(ACCESS_TOKEN_LIFETIME))
                .claim(CallerAuthentication.TENANT, account.tenantId())
                .claim(CallerAuthentication.ROLE, account.role().json())
                .claim(CallerAuthentication.CAPABILITIES, account.capabilities())
                .build();
        String accessToken = encoder.encode(JwtEncoderParameters.from(
                JwsHeader.with(MacAlgorithm.HS256).type("JWT").build(), claims)).getTokenValue();
        String refreshToken = Secrets.newCredential(REFRESH_TOKEN_PREFIX);
        credentials.storeRefreshToken(secrets.hash(refreshToken), familyId, account.principalId(),
                REFRESH_TOKEN_LIFETIME);
        return new Tokens(accessToken, refreshToken, "Bearer", ACCESS_TOKEN_LIFETIME.toSeconds());
    }
}
