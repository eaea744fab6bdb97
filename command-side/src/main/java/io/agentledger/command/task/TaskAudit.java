package io.agentledger.command.task;

import io.agentledger.command.audit.AuditedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TaskAudit {

    @Bean
    AuditedAggregate<Task> auditedTask() {
        return new AuditedAggregate<>("Task", Task.class, Task::view);
    }
}
