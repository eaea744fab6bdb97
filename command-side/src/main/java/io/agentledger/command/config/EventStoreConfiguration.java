package io.agentledger.command.config;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;

/**
 * Axon's JDBC event store on PostgreSQL. Axon's auto-configuration builds the {@code JdbcEventStorageEngine} and
 * the {@code JdbcTokenStore} from these beans; the tables themselves come from Flyway.
 */
@Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

    /** PostgreSQL's unique_violation: a second append of an (aggregate id, sequence number) pair. */
    static final String UNIQUE_VIOLATION = "23505";
    /** Events read per query, for an aggregate's stream and for the processors (Axon's default). */
    static final int AGGREGATE_BATCH_SIZE = 100;

    static {
        // The store keeps event times to the millisecond; stamping them so from the start makes a command's answer
        // and every later read of the same event show the same instant.
        GenericEventMessage.clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }

    @Bean
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /**
     * Axon's JDBC token store, owning claims under this node's id ({@code AGENTLEDGER_NODE_ID}, by default the JVM's
     * pid@host), so that several nodes of a side share a processor's segments on one database.
     */
    @Bean
    public TokenStore tokenStore(ConnectionProvider connectionProvider, @Qualifier("serializer") Serializer serializer,
                                 TokenSchema tokenSchema, TokenStoreProperties properties,
                                 @Value("${agentledger.node-id:}") String nodeId) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(tokenSchema)
                .claimTimeout(properties.getClaimTimeout())
                .nodeId(nodeId.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : nodeId)
                .build();
    }

    /**
     * Axon's auto-configured engine, but for how it knows an aggregate's events are all read: by default only an empty
     * batch ends the stream, which costs every command one more SELECT that finds nothing. Events are never deleted
     * from this store, so a batch shorter than the batch size is the last one.
     */
    @Bean
    public EventStorageEngine eventStorageEngine(Serializer defaultSerializer, PersistenceExceptionResolver resolver,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 org.axonframework.config.Configuration configuration,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager, EventSchema eventSchema) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(resolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .batchSize(AGGREGATE_BATCH_SIZE)
                .finalAggregateBatchPredicate(batch -> batch.size() < AGGREGATE_BATCH_SIZE)
                .build();
    }

    /** Without it a duplicate key becomes a generic EventStoreException instead of a ConcurrencyException. */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver(UNIQUE_VIOLATION);
    }

    /**
     * Every event handler group runs as a pooled streaming processor (tracking processors have Axon issue #4456),
     * except the command side's registry, which must change in the transaction of the events it reflects.
     */
    @Bean
    public ConfigurerModule pooledStreamingProcessors() {
        return configurer -> configurer.eventProcessing()
                .usingPooledStreamingEventProcessors()
                .registerSubscribingEventProcessor("command-registry");
    }

    /**
     * Axon's origin provider names the direct parent message "correlationId" and the root "traceId"; the API calls
     * them causation and correlation.
     */
    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider("causationId", "correlationId");
    }

    @Bean
    public CorrelationDataProvider callerCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider("tenantId", "principalId", "role", "requestId");
    }
}
