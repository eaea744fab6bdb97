package io.agentledger.command.principal;

import io.agentledger.command.audit.AuditedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PrincipalAudit {

    @Bean
    AuditedAggregate<Principal> auditedPrincipal() {
        return new AuditedAggregate<>("Principal", Principal.class, Principal::view);
    }
}
