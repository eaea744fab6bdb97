package io.agentledger.command.knowledge;

import io.agentledger.command.audit.AuditedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KnowledgeAudit {

    @Bean
    AuditedAggregate<KnowledgeEntry> auditedKnowledgeEntry() {
        return new AuditedAggregate<>("KnowledgeEntry", KnowledgeEntry.class, KnowledgeEntry::view);
    }
}
