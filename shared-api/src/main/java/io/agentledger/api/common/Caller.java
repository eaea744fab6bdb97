package io.agentledger.api.common;

import java.util.List;

/**
 * Who sends a request, on behalf of which tenant, with which capabilities. Every command and query is scoped by
 * it.
 */
public record Caller(String tenantId, String principalId, String role, List<String> capabilities) {

    public static final String DEFAULT_TENANT = "default";
    /** The principal id of what the platform does by itself (bootstrap, lease expiry), in events' metadata. */
    public static final String SYSTEM_PRINCIPAL = "system";
}
