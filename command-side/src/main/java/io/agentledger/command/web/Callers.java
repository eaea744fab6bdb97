package io.agentledger.command.web;

import io.agentledger.api.common.Caller;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.List;
import java.util.Optional;

/** The one place that says who sent the current request: the verified access token's claims. */
public final class Callers {

    private Callers() {
    }

    /** The authenticated caller; empty on the few endpoints that need no token. */
    public static Optional<Caller> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            List<String> capabilities = token.getToken().getClaimAsStringList("capabilities");
            return Optional.of(new Caller(token.getToken().getClaimAsString("tenant"), token.getName(),
                    token.getToken().getClaimAsString("role"), capabilities == null ? List.of() : capabilities));
        }
        return Optional.empty();
    }
}
