package io.agentledger.command.tenant;

import io.agentledger.command.audit.AuditedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TenantAudit {

    @Bean
    AuditedAggregate<Tenant> auditedTenant() {
        return new AuditedAggregate<>("Tenant", Tenant.class, Tenant::view);
    }
}
