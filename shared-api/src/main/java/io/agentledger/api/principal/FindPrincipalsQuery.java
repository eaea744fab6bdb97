package io.agentledger.api.principal;

import io.agentledger.api.common.PageRequest;
import io.agentledger.api.common.TenantScoped;

/** The tenant's principals, oldest first; answered with a {@link PrincipalPage}. */
public record FindPrincipalsQuery(String tenantId, PageRequest page) implements TenantScoped {
}
