package io.agentledger.api.principal;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/** A principal as the API shows it. {@code apiKey} is present once, in the response that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrincipalView(String id,
                            String tenantId,
                            String name,
                            Role role,
                            List<String> capabilities,
                            boolean revoked,
                            Instant createdAt,
                            long version,
                            String apiKey) {

    public PrincipalView withApiKey(String key) {
        return new PrincipalView(id, tenantId, name, role, capabilities, revoked, createdAt, version, key);
    }
}
