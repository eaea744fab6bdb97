package io.agentledger.api.principal;

import org.axonframework.serialization.Revision;

/** The principal's keys and refresh tokens stopped working with this event. */
@Revision("1")
public record PrincipalRevokedEvent(String principalId, String tenantId) {
}
