package io.agentledger.api.common;

/**
 * Who sends a request, on behalf of which tenant. Every command and query is scoped by it.
 */
public record Caller(String tenantId, String principalId, String role) {

    public static final String DEFAULT_TENANT = "default";
}
