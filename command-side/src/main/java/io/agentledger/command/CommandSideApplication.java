package io.agentledger.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The command side as its own deployable, against an external PostgreSQL ({@code AGENTLEDGER_DB_URL}). */
@SpringBootApplication
public class CommandSideApplication {

    public static void main(String[] args) {
        AxonUpdateCheck.disable();
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
