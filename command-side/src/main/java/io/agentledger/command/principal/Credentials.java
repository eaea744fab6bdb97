package io.agentledger.command.principal;

import io.agentledger.api.principal.PrincipalView;
import io.agentledger.api.principal.Role;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The command side's credential tables: principals as authentication needs them, API key hashes and refresh
 * token hashes. Reads and writes join the caller's transaction.
 */
@Component
public class Credentials {

    private final JdbcTemplate jdbc;

    Credentials(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Who a principal is, for the claims of its access tokens. */
    public record Account(String principalId, String tenantId, Role role, List<String> capabilities) {
    }

    void register(PrincipalView principal, String apiKeyId, String apiKeyHash) {
        jdbc.update("INSERT INTO principal_account (principal_id, tenant_id, name, role, capabilities)"
                        + " VALUES (?, ?, ?, ?, ?::text[])",
                principal.id(), principal.tenantId(), principal.name(), principal.role().name(),
                textArray(principal.capabilities()));
        jdbc.update("INSERT INTO api_key (key_id, principal_id, key_hash) VALUES (?, ?, ?)",
                apiKeyId, principal.id(), apiKeyHash);
    }

    void revoke(String principalId) {
        jdbc.update("UPDATE principal_account SET revoked_at = now() WHERE principal_id = ? AND revoked_at IS NULL",
                principalId);
        jdbc.update("UPDATE api_key SET revoked_at = now() WHERE principal_id = ? AND revoked_at IS NULL",
                principalId);
        jdbc.update("UPDATE refresh_token SET revoked_at = now() WHERE principal_id = ? AND revoked_at IS NULL",
                principalId);
    }

    /** The active principal whose active API key has this hash. */
    public Optional<Account> byApiKeyHash(String keyHash) {
        return jdbc.query("SELECT p.principal_id, p.tenant_id, p.role, p.capabilities FROM api_key k"
                        + " JOIN principal_account p ON p.principal_id = k.principal_id"
                        + " WHERE k.key_hash = ? AND k.revoked_at IS NULL AND p.revoked_at IS NULL",
                (rs, row) -> account(rs), keyHash).stream().findFirst();
    }

    public Optional<Account> activeAccount(String principalId) {
        return jdbc.query("SELECT principal_id, tenant_id, role, capabilities FROM principal_account"
                        + " WHERE principal_id = ? AND revoked_at IS NULL",
                (rs, row) -> account(rs), principalId).stream().findFirst();
    }

    public boolean isRevoked(String principalId) {
        return jdbc.queryForList("SELECT revoked_at IS NOT NULL FROM principal_account WHERE principal_id = ?",
                Boolean.class, principalId).stream().findFirst().orElse(false);
    }

    public boolean apiKeyHashExists(String keyHash) {
        return !jdbc.queryForList("SELECT 1 FROM api_key WHERE key_hash = ?", Integer.class, keyHash).isEmpty();
    }

    public boolean principalExists(String principalId) {
        return !jdbc.queryForList("SELECT 1 FROM principal_account WHERE principal_id = ?", Integer.class,
                principalId).isEmpty();
    }

    public void storeRefreshToken(String tokenHash, String familyId, String principalId, Duration lifetime) {
        jdbc.update("INSERT INTO refresh_token (token_hash, family_id, principal_id, expires_at) VALUES (?, ?, ?, ?)",
                tokenHash, familyId, principalId, Timestamp.from(Instant.now().plus(lifetime)));
    }

    /** A refresh token presented for rotation: its family and principal, when it was live and is now used. */
    public record RefreshedFrom(String familyId, String principalId) {
    }

    /**
     * Marks a live refresh token used, atomically, so it rotates once. A token that was used before revokes its
     * whole family: someone is replaying it.
     */
    public Optional<RefreshedFrom> useRefreshToken(String tokenHash) {
        List<RefreshedFrom> used = jdbc.query("UPDATE refresh_token SET used_at = now() WHERE token_hash = ?"
                        + " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()"
                        + " RETURNING family_id, principal_id",
                (rs, row) -> new RefreshedFrom(rs.getString(1), rs.getString(2)), tokenHash);
        if (!used.isEmpty()) {
            return Optional.of(used.get(0));
        }
        jdbc.update("UPDATE refresh_token SET revoked_at = now() WHERE revoked_at IS NULL AND family_id ="
                + " (SELECT family_id FROM refresh_token WHERE token_hash = ? AND used_at IS NOT NULL)", tokenHash);
        return Optional.empty();
    }

    private static Account account(java.sql.ResultSet rs) throws java.sql.SQLException {
        String[] capabilities = (String[]) rs.getArray("capabilities").getArray();
        return new Account(rs.getString("principal_id"), rs.getString("tenant_id"),
                Role.valueOf(rs.getString("role")), List.of(capabilities));
    }

    private static String textArray(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }
}
