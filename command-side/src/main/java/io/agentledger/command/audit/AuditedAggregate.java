package io.agentledger.command.audit;

import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;

import java.lang.reflect.Constructor;
import java.util.function.Function;

/**
 * An aggregate type whose past states auditors may ask for. The state is rebuilt by Axon from the aggregate's own
 * event sourcing handlers — the very logic the command side decides with — and shown through the aggregate's own
 * view, so there is no second copy of the state rules to drift.
 *
 * @param type the aggregate type as the event store names it
 */
public record AuditedAggregate<T>(String type, Class<T> aggregateClass, Function<T, Object> view) {

    /** The view of the aggregate after exactly the given events. */
    public Object replay(DomainEventStream events) {
        AggregateModel<T> model = AnnotatedAggregateMetaModelFactory.inspectAggregate(aggregateClass);
        EventSourcedAggregate<T> aggregate = EventSourcedAggregate.initialize(newInstance(), model,
                SimpleEventBus.builder().build(), NoSnapshotTriggerDefinition.TRIGGER);
        aggregate.initializeState(events);
        return view.apply(aggregate.getAggregateRoot());
    }

    private T newInstance() {
        try {
            Constructor<T> constructor = aggregateClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(aggregateClass + " needs a no-argument constructor for Axon", e);
        }
    }
}
