package io.agentledger.command.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Whether a token's principal was revoked after the token was issued. Each principal's status is looked up at
 * most once a second, so a busy agent costs no query per request, and a revocation bites within a second on
 * every node (at once on the node that revoked).
 */
public class RevokedPrincipals {

    static final Duration FRESHNESS = Duration.ofSeconds(1);

    private final Predicate<String> lookup;
    private final Map<String, Status> known = new ConcurrentHashMap<>();

    public RevokedPrincipals(Predicate<String> lookup) {
        this.lookup = lookup;
    }

    public boolean isRevoked(String principalId) {
        long now = System.nanoTime();
        Status status = known.get(principalId);
        if (status == null || (!status.revoked() && now - status.checkedAt() > FRESHNESS.toNanos())) {
            status = new Status(lookup.test(principalId), now);
            known.put(principalId, status);
        }
        return status.revoked();
    }

    public void revoked(String principalId) {
        known.put(principalId, new Status(true, System.nanoTime()));
    }

    private record Status(boolean revoked, long checkedAt) {
    }
}
