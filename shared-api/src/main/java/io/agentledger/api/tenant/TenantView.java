package io.agentledger.api.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A new tenant and the API key of its first admin (shown only here). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantView(String id, String name, String adminApiKey) {
}
