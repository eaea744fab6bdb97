package io.agentledger.standalone;

import io.agentledger.command.AxonUpdateCheck;
import io.agentledger.command.CommandSideApplication;
import io.agentledger.command.config.CommandProcessorsHealthIndicator;
import io.agentledger.query.config.EventStoreReadConfiguration;
import io.agentledger.query.security.QuerySecurityConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.FilterType;

/**
 * The command side and the query side in one process on one port. The sides' own application classes stay out,
 * and the query side's event-store and security wiring give way to the command side's identical ones, the
 * command side's processor health to the query side's (which covers every processor of the process).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = CommandSideApplication.AXON_DB_SCHEDULER)
@ComponentScan(basePackages = {"io.agentledger.command", "io.agentledger.query", "io.agentledger.standalone"},
        excludeFilters = {
                @Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
                @Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
                @Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class),
                @Filter(type = FilterType.ASSIGNABLE_TYPE,
                        classes = {EventStoreReadConfiguration.class, QuerySecurityConfiguration.class,
                                CommandProcessorsHealthIndicator.class})})
public class StandaloneApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplication application() {
        AxonUpdateCheck.disable();
        return new SpringApplication(StandaloneApplication.class);
    }
}
