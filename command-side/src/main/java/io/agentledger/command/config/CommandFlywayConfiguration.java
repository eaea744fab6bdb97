package io.agentledger.command.config;

import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * The command side migrates the event store and its own tables with its own history table, so it and the query
 * side can migrate one database independently.
 */
@Configuration(proxyBeanMethods = false)
public class CommandFlywayConfiguration {

    @Bean(initMethod = "migrate")
    public Flyway commandSideFlyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/command")
                .table("flyway_command_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }
}
