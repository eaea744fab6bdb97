package io.agentledger.command.auth;

import io.agentledger.api.principal.Role;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.List;

/**
 * Turns a verified access token into an authenticated caller with one role authority. A token whose claims are
 * incomplete, or whose principal was revoked since it was issued, authenticates nobody.
 */
class CallerAuthentication implements Converter<Jwt, AbstractAuthenticationToken> {

    static final String TENANT = "tenant";
    static final String ROLE = "role";
    static final String CAPABILITIES = "capabilities";

    private final RevokedPrincipals revoked;

    CallerAuthentication(RevokedPrincipals revoked) {
        this.revoked = revoked;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String tenant = jwt.getClaimAsString(TENANT);
        String roleName = jwt.getClaimAsString(ROLE);
        List<String> capabilities = jwt.getClaimAsStringList(CAPABILITIES);
        if (jwt.getSubject() == null || tenant == null || roleName == null || capabilities == null) {
            throw new InvalidBearerTokenException("The token lacks required claims");
        }
        Role role;
        try {
            role = Role.of(roleName);
        } catch (IllegalArgumentException e) {
            throw new InvalidBearerTokenException("The token names an unknown role");
        }
        if (revoked.isRevoked(jwt.getSubject())) {
            throw new InvalidBearerTokenException("The principal was revoked");
        }
        return new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("ROLE_" + role.name())),
                jwt.getSubject());
    }
}
