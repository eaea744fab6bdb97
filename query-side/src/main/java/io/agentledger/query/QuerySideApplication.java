package io.agentledger.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The query side as its own deployable, against an external PostgreSQL ({@code AGENTLEDGER_DB_URL}) whose event
 * store the command side has migrated.
 */
@SpringBootApplication
public class QuerySideApplication {

    public static void main(String[] args) {
        // the process makes no outbound calls: Axon's update checker phones home unless told not to
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(QuerySideApplication.class, args);
    }
}
