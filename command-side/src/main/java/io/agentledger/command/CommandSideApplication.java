package io.agentledger.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The command side as its own deployable, against an external PostgreSQL ({@code AGENTLEDGER_DB_URL}). Axon's
 * deadline manager on db-scheduler stays off: leases expire through the lease sweep, the scheduler's only task.
 */
@SpringBootApplication(excludeName = CommandSideApplication.AXON_DB_SCHEDULER)
public class CommandSideApplication {

    /** Axon's DbSchedulerDeadlineManager and event scheduler on db-scheduler, which nothing uses. */
    public static final String AXON_DB_SCHEDULER =
            "org.axonframework.springboot.autoconfig.AxonDbSchedulerAutoConfiguration";

    public static void main(String[] args) {
        AxonUpdateCheck.disable();
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
