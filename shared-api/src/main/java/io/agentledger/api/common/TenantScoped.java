package io.agentledger.api.common;

/** A query answered from one tenant's data only. Every query implements it; the query bus checks it. */
public interface TenantScoped {

    String tenantId();
}
