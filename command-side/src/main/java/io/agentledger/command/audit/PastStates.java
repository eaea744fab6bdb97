package io.agentledger.command.audit;

import org.axonframework.config.AggregateConfiguration;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rebuilds an aggregate as it was after a given prefix of its events, through the aggregate's own event sourcing
 * handlers — the very logic the command side decides with — so there is no second copy of the state rules to drift.
 * The aggregate model is inspected with the running application's parameter resolvers and handler definitions, the
 * ones Axon built the command side's model with: whatever its command handlers take (a deadline manager, a bean),
 * the rebuild inspects the aggregate the same way the application does.
 */
@Component
class PastStates {

    private final Configuration axon;
    private final Map<Class<?>, AggregateModel<?>> models = new ConcurrentHashMap<>();

    PastStates(Configuration axon) {
        this.axon = axon;
    }

    /** The view of the aggregate after exactly the given events, which start at its creation. */
    <T> Object replay(AuditedAggregate<T> audited, List<? extends DomainEventMessage<?>> history) {
        Class<T> type = audited.aggregateClass();
        DomainEventMessage<?> first = history.get(0);
        T root = configuration(type).aggregateFactory().createAggregateRoot(first.getAggregateIdentifier(), first);
        EventSourcedAggregate<T> aggregate = EventSourcedAggregate.initialize(root, model(type),
                SimpleEventBus.builder().build(), NoSnapshotTriggerDefinition.TRIGGER);
        aggregate.initializeState(DomainEventStream.of(history.stream()));
        return audited.view().apply(aggregate.getAggregateRoot());
    }

    @SuppressWarnings("unchecked")
    private <T> AggregateModel<T> model(Class<T> type) {
        return (AggregateModel<T>) models.computeIfAbsent(type, t -> AnnotatedAggregateMetaModelFactory
                .inspectAggregate(t, axon.parameterResolverFactory(), axon.handlerDefinition(t)));
    }

    @SuppressWarnings("unchecked")
    private <T> AggregateConfiguration<T> configuration(Class<T> type) {
        return axon.findModules(AggregateConfiguration.class).stream()
                .filter(module -> module.aggregateType().equals(type))
                .findFirst()
                .map(module -> (AggregateConfiguration<T>) module)
                .orElseThrow(() -> new IllegalStateException(type + " is not an aggregate of this application"));
    }
}
