package io.agentledger.api.principal;

import org.axonframework.serialization.Revision;

/** A key was issued to the principal; the history names the key, never its value or hash. */
@Revision("1")
public record ApiKeyIssuedEvent(String principalId, String tenantId, String apiKeyId) {
}
