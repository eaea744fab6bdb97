package io.agentledger.command.audit;

import java.util.function.Function;

/**
 * An aggregate type whose past states auditors may ask for, shown through the aggregate's own view.
 *
 * @param type the aggregate type as the event store names it
 */
public record AuditedAggregate<T>(String type, Class<T> aggregateClass, Function<T, Object> view) {
}
