package io.agentledger.command.project;

import io.agentledger.command.audit.AuditedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProjectAudit {

    @Bean
    AuditedAggregate<Project> auditedProject() {
        return new AuditedAggregate<>("Project", Project.class, Project::view);
    }
}
