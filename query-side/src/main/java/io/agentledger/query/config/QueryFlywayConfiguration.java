package io.agentledger.query.config;

import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** The query side migrates only its read models, with its own history table. */
@Configuration(proxyBeanMethods = false)
public class QueryFlywayConfiguration {

    @Bean(initMethod = "migrate")
    public Flyway querySideFlyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/query")
                .table("flyway_query_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }
}
