package io.agentledger.bench.baseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The row-lock baseline of quality.md: the smallest task queue one would write with Spring MVC, Jackson and the
 * PostgreSQL JDBC driver — claims with {@code SELECT … FOR UPDATE SKIP LOCKED} + {@code UPDATE} on a plain table,
 * completes with an {@code UPDATE}. No events, no auth, no read models: the yardstick for AgentLedger's cost.
 * The benchmark creates and fills its table ({@link BaselineSchema}); this server only serves it.
 */
@SpringBootApplication
public class BaselineApplication {

    public static void main(String[] args) {
        SpringApplication.run(BaselineApplication.class, args);
    }
}
