package io.agentledger.query.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's JDBC dead-letter queue on our snake_case table (V7), enabled per projection in
 * {@code agentledger-projections.yml}, and the projection-lag gauge.
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfiguration {

    @Bean
    public DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_id").processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier").sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type").eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp").payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision").payloadColumn("payload").metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type").aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number").tokenTypeColumn("token_type").tokenColumn("token")
                .enqueuedAtColumn("enqueued_at").lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started").causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message").diagnosticsColumn("diagnostics")
                .build();
    }

    /**
     * {@code agentledger_projection_lag{projection=…}}: how many positions of the event store a projection is behind
     * the newest event (read at each scrape).
     */
    @Bean
    public MeterBinder projectionLag(ProjectionOperations operations) {
        return registry -> operations.processors().forEach(processor -> Gauge
                .builder("agentledger.projection.lag", processor, p -> lag(operations, p))
                .tag("projection", processor.getName())
                .description("Event-store positions between the newest event and the projection's position")
                .baseUnit("events")
                .register(registry));
    }

    private static double lag(ProjectionOperations operations, StreamingEventProcessor processor) {
        return Math.max(0, operations.headPosition() - ProjectionOperations.position(processor));
    }
}
