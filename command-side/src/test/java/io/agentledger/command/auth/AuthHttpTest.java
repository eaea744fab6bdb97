package io.agentledger.command.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AuthHttpTest extends CommandSideTest {

    @Autowired
    Secrets secrets;
    @Autowired
    FailedLoginLimiter limiter;
    @Autowired
    Bootstrap bootstrap;

    @BeforeEach
    void freshLoginBudget() {
        limiter.forgetAll();
    }

    @Test
    void anApiKeyBuysAFifteenMinuteJwtWithTheCallersClaimsAndARefreshToken() throws Exception {
        JsonNode tokens = exchange(ADMIN_KEY).body();
        assertThat(tokens.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expiresIn").asLong()).isEqualTo(900);
        assertThat(tokens.get("refreshToken").asText()).startsWith("alr_");

        JsonNode claims = claimsOf(tokens.get("accessToken").asText());
        assertThat(claims.get("sub").asText()).isEqualTo(Bootstrap.ADMIN_ID);
        assertThat(claims.get("tenant").asText()).isEqualTo("default");
        assertThat(claims.get("role").asText()).isEqualTo("admin");
        assertThat(claims.get("capabilities").isArray()).isTrue();
        assertThat(claims.get("iss").asText()).isEqualTo(SecurityConfiguration.ISSUER);
        assertThat(claims.get("aud").toString()).contains(SecurityConfiguration.AUDIENCE);
        assertThat(claims.get("jti").asText()).isNotBlank();
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(900);
    }

    @Test
    void aWrongKeyOrMissingGrantIsUnauthenticatedOrInvalid() {
        Response wrong = send(anonymous("/v1/auth/token").POST(HttpRequest.BodyPublishers.ofString(
                "{\"grantType\":\"api_key\",\"apiKey\":\"alk_nope\"}")));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("UNAUTHENTICATED");
        Response grant = send(anonymous("/v1/auth/token").POST(HttpRequest.BodyPublishers.ofString(
                "{\"grantType\":\"password\",\"apiKey\":\"x\"}")));
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.code()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void everyEndpointButTokenHealthAndDocsNeedsAToken() {
        Response missing = send(anonymous("/v1/projects").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(send(anonymous("/actuator/health")).status()).isEqualTo(200);
        assertThat(send(anonymous("/actuator/health/readiness")).status()).isEqualTo(200);
        assertThat(send(anonymous("/v3/api-docs")).status()).isEqualTo(200);
        assertThat(send(anonymous("/actuator/prometheus")).status()).isEqualTo(401);
    }

    @Test
    void forgedTamperedAndStaleTokensAreRefused() throws Exception {
        SecretKey key = secrets.signingKey();
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = validClaims(now);

        assertThat(statusWith(unsigned(claims))).isEqualTo(401);
        assertThat(statusWith(sign(claims, new SecretKeySpec(
                "someone-elses-secret-of-enough-length!!".getBytes(), "HmacSHA256")))).isEqualTo(401);
        assertThat(statusWith(sign(with(claims, "exp", now - 60), key))).isEqualTo(401);
        assertThat(statusWith(sign(with(claims, "iss", "evil"), key))).isEqualTo(401);
        assertThat(statusWith(sign(with(claims, "aud", List.of("other-api")), key))).isEqualTo(401);
        assertThat(statusWith(sign(with(claims, "role", "overlord"), key))).isEqualTo(401);

        String agentToken = accessToken(registerPrincipal(ADMIN_KEY, "agent"));
        String[] parts = agentToken.split("\\.");
        JsonNode agentClaims = claimsOf(agentToken);
        String escalated = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"role\":\"agent\"", "\"role\":\"admin\"");
        assertThat(escalated).contains("\"role\":\"admin\"");
        String tampered = parts[0] + "." + b64(escalated.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(agentClaims.get("role").asText()).isEqualTo("agent");
        assertThat(statusWith(tampered)).isEqualTo(401);

        assertThat(statusWith(sign(claims, key))).isEqualTo(201);
    }

    @Test
    void rolesAreEnforced() {
        String agent = registerPrincipal(ADMIN_KEY, "agent", "java");
        String analyst = registerPrincipal(ADMIN_KEY, "analyst");
        String auditor = registerPrincipal(ADMIN_KEY, "auditor");
        String project = post("/v1/projects", "{\"name\":\"Guarded\"}").body().get("id").asText();

        assertForbidden(postAs(agent, "/v1/projects", "{\"name\":\"Mine\"}"));
        assertForbidden(postAs(agent, "/v1/principals", "{\"name\":\"x\",\"role\":\"admin\"}"));
        assertForbidden(postAs(analyst, "/v1/projects/" + project + "/archive", ""));
        assertForbidden(send(anonymous("/v1/projects/" + project).header("Authorization", "Bearer "
                + accessToken(auditor)).method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"y\"}"))));
        assertForbidden(post("/v1/tenants", "{\"name\":\"Not for admins\"}"));
    }

    @Test
    void theOperatorCreatesTenantsWhoseAdminsSeeNothingOfOtherTenants() throws Exception {
        Response tenant = postAs(OPERATOR_KEY, "/v1/tenants", "{\"name\":\"Tenant " + UUID.randomUUID() + "\"}");
        assertThat(tenant.status()).isEqualTo(201);
        String otherAdmin = tenant.body().get("adminApiKey").asText();
        assertThat(claimsOf(accessToken(otherAdmin)).get("tenant").asText()).isEqualTo(tenant.body().get("id").asText());

        String project = post("/v1/projects", "{\"name\":\"Tenant A's\"}").body().get("id").asText();
        Response rename = send(anonymous("/v1/projects/" + project).header("Authorization", "Bearer "
                + accessToken(otherAdmin)).method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"Mine\"}")));
        assertThat(rename.status()).isEqualTo(404);
        assertThat(rename.code()).isEqualTo("NOT_FOUND");
        assertThat(postAs(otherAdmin, "/v1/projects/" + project + "/archive", "").status()).isEqualTo(404);
        String principal = registerPrincipalId(ADMIN_KEY);
        assertThat(postAs(otherAdmin, "/v1/principals/" + principal + "/revoke", "").status()).isEqualTo(404);

        Response duplicate = postAs(OPERATOR_KEY, "/v1/tenants",
                "{\"name\":\"" + tenant.body().get("name").asText() + "\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("ALREADY_EXISTS");
    }

    @Test
    void refreshTokensRotateAndAReusedOneRevokesItsFamily() {
        String first = exchange(ADMIN_KEY).body().get("refreshToken").asText();
        Response rotated = refresh(first);
        assertThat(rotated.status()).isEqualTo(200);
        String second = rotated.body().get("refreshToken").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(send(anonymous("/v1/projects").header("Authorization", "Bearer "
                + rotated.body().get("accessToken").asText())
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Refreshed\"}"))).status()).isEqualTo(201);

        Response replayed = refresh(first);
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(refresh(second).status()).isEqualTo(401);
    }

    @Test
    void failedExchangesFromOneAddressAreRateLimitedButSuccessesAreNot() {
        for (int i = 0; i < 15; i++) {
            assertThat(send(anonymous("/v1/auth/token").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"grantType\":\"api_key\",\"apiKey\":\"" + ADMIN_KEY + "\"}"))).status()).isEqualTo(200);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(refresh("alr_guess-" + i).status()).isEqualTo(401);
        }
        Response limited = refresh("alr_guess-11");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    }

    @Test
    void aRevokedPrincipalLosesKeysTokensAndRefreshTokensAtOnce() {
        Response created = postAs(ADMIN_KEY, "/v1/principals", "{\"name\":\"Leaver\",\"role\":\"admin\"}");
        String key = created.body().get("apiKey").asText();
        String id = created.body().get("id").asText();
        JsonNode tokens = exchange(key).body();
        String access = tokens.get("accessToken").asText();
        assertThat(statusWith(access)).isEqualTo(201);

        Response revoked = post("/v1/principals/" + id + "/revoke", "");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().get("revoked").asBoolean()).isTrue();

        assertThat(statusWith(access)).isEqualTo(401);
        assertThat(refresh(tokens.get("refreshToken").asText()).status()).isEqualTo(401);
        assertThat(send(anonymous("/v1/auth/token").POST(HttpRequest.BodyPublishers.ofString(
                "{\"grantType\":\"api_key\",\"apiKey\":\"" + key + "\"}"))).status()).isEqualTo(401);
    }

    @Test
    void keysAreShownOnceAndStoredOnlyAsKeyedHashes() {
        String idempotencyKey = UUID.randomUUID().toString();
        String body = "{\"name\":\"Hashed\",\"role\":\"agent\",\"capabilities\":[\" Java \",\"db\",\"java\"]}";
        Response created = send(request("/v1/principals").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        String key = created.body().get("apiKey").asText();
        assertThat(key).startsWith("alk_").hasSizeGreaterThan(40);
        assertThat(created.body().get("capabilities").toString()).isEqualTo("[\"db\",\"java\"]");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_key WHERE key_hash = ?", Long.class,
                secrets.hash(key))).isEqualTo(1);

        Response replay = send(request("/v1/principals").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body().get("id").asText()).isEqualTo(created.body().get("id").asText());
        assertThat(replay.body().has("apiKey")).isFalse();

        for (String sql : List.of("SELECT count(*) FROM api_key WHERE key_hash LIKE '%' || ? || '%'",
                "SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE '%' || ? || '%'",
                "SELECT count(*) FROM idempotency_record WHERE convert_from(body, 'UTF8') LIKE '%' || ? || '%'")) {
            assertThat(jdbc.queryForObject(sql, Long.class, key)).as(sql).isZero();
        }
    }

    @Test
    void bootstrappingAgainCreatesNothingTwice() throws Exception {
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        bootstrap.run(null);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).isEqualTo(events);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM principal_account WHERE principal_id IN (?, ?)",
                Long.class, Bootstrap.ADMIN_ID, Bootstrap.OPERATOR_ID)).isEqualTo(2);
    }

    @Test
    void noCredentialEverReachesTheLogs(CapturedOutput output) {
        Response created = postAs(ADMIN_KEY, "/v1/principals", "{\"name\":\"Logged\",\"role\":\"agent\"}");
        String key = created.body().get("apiKey").asText();
        JsonNode tokens = exchange(key).body();
        Response refreshed = refresh(tokens.get("refreshToken").asText());
        postAs(key, "/v1/projects", "{\"name\":\"forbidden\"}");
        refresh(tokens.get("refreshToken").asText());

        String logs = output.getAll();
        assertThat(logs).isNotEmpty();
        for (String secret : List.of(key, ADMIN_KEY, tokens.get("accessToken").asText(),
                tokens.get("refreshToken").asText(), refreshed.body().get("refreshToken").asText(),
                refreshed.body().get("accessToken").asText())) {
            assertThat(logs).doesNotContain(secret);
        }
    }

    private String registerPrincipalId(String adminKey) {
        return postAs(adminKey, "/v1/principals", "{\"name\":\"Someone\",\"role\":\"agent\"}").body().get("id").asText();
    }

    private Response refresh(String refreshToken) {
        return send(anonymous("/v1/auth/token").POST(HttpRequest.BodyPublishers.ofString(
                "{\"grantType\":\"refresh_token\",\"refreshToken\":\"" + refreshToken + "\"}")));
    }

    private int statusWith(String token) {
        return send(anonymous("/v1/projects").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Token test\"}"))).status();
    }

    private static void assertForbidden(Response response) {
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("FORBIDDEN");
    }

    private static Map<String, Object> validClaims(long now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", SecurityConfiguration.ISSUER);
        claims.put("aud", List.of(SecurityConfiguration.AUDIENCE));
        claims.put("sub", Bootstrap.ADMIN_ID);
        claims.put("iat", now);
        claims.put("exp", now + 600);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("tenant", "default");
        claims.put("role", "admin");
        claims.put("capabilities", List.of());
        return claims;
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(claims);
        changed.put(name, value);
        return changed;
    }

    private String unsigned(Map<String, Object> claims) throws Exception {
        return b64(mapper.writeValueAsBytes(Map.of("alg", "none", "typ", "JWT"))) + "."
                + b64(mapper.writeValueAsBytes(claims)) + ".";
    }

    private String sign(Map<String, Object> claims, SecretKey key) throws Exception {
        String signingInput = b64(mapper.writeValueAsBytes(Map.of("alg", "HS256", "typ", "JWT"))) + "."
                + b64(mapper.writeValueAsBytes(claims));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private JsonNode claimsOf(String jwt) throws Exception {
        return mapper.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
