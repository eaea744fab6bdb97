package io.agentledger.query.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.common.PageRequest;
import io.agentledger.query.web.ConflictException;
import io.agentledger.query.web.Cursor;
import io.agentledger.query.web.NotFoundException;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What operators see and do with the event processors of this process: their state and lag, a replay that rebuilds
 * a read model from the event store, and the events parked in Axon's dead-letter queue. The projections are shared
 * by every tenant, so none of this is scoped to the caller's tenant: dead letters are shown and retried for every
 * tenant, or for one tenant (the tenant of the event's payload) when one is asked for.
 */
@Component
public class ProjectionOperations {

    private static final Logger log = LoggerFactory.getLogger(ProjectionOperations.class);
    private static final String TENANT_OF_PAYLOAD = "convert_from(payload, 'UTF8')::jsonb ->> 'tenantId'";

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public ProjectionOperations(EventProcessingConfiguration processing, JdbcTemplate jdbc, ObjectMapper mapper) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** Every streaming event processor of this process, by name. */
    public List<ProjectionStatus> statuses() {
        long head = headPosition();
        return processors().stream()
                .sorted(Comparator.comparing(EventProcessor::getName))
                .map(processor -> status(processor, head))
                .toList();
    }

    public ProjectionStatus status(String name) {
        return status(processor(name), headPosition());
    }

    /**
     * Rebuilds the read model from the first event: the processor stops, its tokens are reset (its reset handler
     * clears the read model) and it starts again, replaying while the service keeps answering.
     */
    public void replay(String name) {
        StreamingEventProcessor processor = processor(name);
        if (!processor.supportsReset()) {
            throw new ConflictException(ErrorCode.REPLAY_REFUSED, name + " cannot be replayed: its handlers act "
                    + "on the world instead of building a read model");
        }
        processor.shutDown();
        try {
            processor.resetTokens();
            log.info("Replaying projection {}", name);
        } catch (RuntimeException e) {
            log.warn("Could not reset projection {}: {}", name, e.toString());
            throw new ConflictException(ErrorCode.REPLAY_REFUSED, name + " cannot be reset now: another node "
                    + "still holds its segments; stop it there first");
        } finally {
            processor.start();
        }
    }

    /** The parked events of the projection, every tenant's or only {@code tenantId}'s (when not null), oldest first. */
    public DeadLetterPage deadLetters(String name, String tenantId, PageRequest page) {
        processor(name);
        Cursor after = page.cursor() == null ? null : Cursor.decode(page.cursor());
        String sql = "SELECT dead_letter_id, event_identifier, payload_type, aggregate_type, aggregate_identifier, "
                + "sequence_number, time_stamp, enqueued_at, last_touched, cause_type, cause_message, "
                + TENANT_OF_PAYLOAD + " AS tenant_id, convert_from(payload, 'UTF8') AS payload FROM dead_letter_entry "
                + "WHERE " + parkedIn(tenantId) + " "
                + (after == null ? "" : "AND (enqueued_at, dead_letter_id) > (?, ?) ")
                + "ORDER BY enqueued_at, dead_letter_id LIMIT ?";
        List<Object> arguments = new ArrayList<>(List.of(parkedInArguments(name, tenantId)));
        if (after != null) {
            arguments.add(DateTimeUtils.formatInstant(after.at()));
            arguments.add(after.id());
        }
        arguments.add(page.limit() + 1);
        List<DeadLetterView> rows = jdbc.query(sql, this::deadLetter, arguments.toArray());
        if (rows.size() <= page.limit()) {
            return new DeadLetterPage(rows, null);
        }
        DeadLetterView last = rows.get(page.limit() - 1);
        return new DeadLetterPage(rows.subList(0, page.limit()), new Cursor(last.enqueuedAt(), last.id()).encode());
    }

    /**
     * Hands the parked sequences (every tenant's, or only {@code tenantId}'s when not null) back to the projection's
     * handlers through Axon's dead-letter processor, once each: a sequence that succeeds leaves the queue, one that
     * fails again stays parked with the new error.
     */
    public RetryOutcome retry(String name, String tenantId) {
        processor(name);
        SequencedDeadLetterProcessor<EventMessage<?>> deadLetters = processing.sequencedDeadLetterProcessor(name)
                .orElseThrow(() -> new NotFoundException(name + " has no dead-letter queue"));
        Set<String> parkedEvents = new HashSet<>(jdbc.queryForList("SELECT event_identifier FROM dead_letter_entry "
                + "WHERE " + parkedIn(tenantId), String.class, parkedInArguments(name, tenantId)));
        int sequences = parkedSequences(name, tenantId);
        int succeeded = 0;
        for (int attempt = 0; attempt < sequences; attempt++) {
            if (deadLetters.process(letter -> parkedEvents.contains(letter.message().getIdentifier()))) {
                succeeded++;
            }
        }
        log.info("Retried {} dead-letter sequences of {}: {} succeeded", sequences, name, succeeded);
        return new RetryOutcome(name, sequences, succeeded, parkedLetters(name, tenantId));
    }

    /** The newest global index of the event store, the position every projection is heading for. */
    public long headPosition() {
        Long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    /** The lowest position the processor's segments have reached (0 before it processed anything). */
    static long position(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream()
                .mapToLong(status -> status.getCurrentPosition().orElse(0))
                .min().orElse(0);
    }

    public Collection<StreamingEventProcessor> processors() {
        List<StreamingEventProcessor> streaming = new ArrayList<>();
        for (EventProcessor processor : processing.eventProcessors().values()) {
            if (processor instanceof StreamingEventProcessor s) {
                streaming.add(s);
            }
        }
        return streaming;
    }

    public static String state(StreamingEventProcessor processor) {
        if (processor.isError()) {
            return "ERROR";
        }
        if (!processor.isRunning()) {
            return "STOPPED";
        }
        return processor.isReplaying() ? "REPLAYING" : "RUNNING";
    }

    private StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFoundException("No projection " + name));
    }

    private ProjectionStatus status(StreamingEventProcessor processor, long head) {
        long position = position(processor);
        return new ProjectionStatus(processor.getName(), state(processor), position, head,
                Math.max(0, head - position), replayProgress(processor), parkedLetters(processor.getName(), null));
    }

    /** The mean over the segments of how far each got towards the position it replays up to; null when done. */
    private static Double replayProgress(StreamingEventProcessor processor) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        if (segments.stream().noneMatch(EventTrackerStatus::isReplaying)) {
            return null;
        }
        return segments.stream().mapToDouble(ProjectionOperations::replayProgress).average().orElse(0);
    }

    private static double replayProgress(EventTrackerStatus segment) {
        if (!segment.isReplaying()) {
            return 1;
        }
        long target = segment.getResetPosition().orElse(0);
        long current = segment.getCurrentPosition().orElse(0);
        return target <= 0 ? 0 : Math.min(1, (double) current / target);
    }

    private long parkedLetters(String name, String tenantId) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter_entry WHERE " + parkedIn(tenantId),
                Long.class, parkedInArguments(name, tenantId));
        return count == null ? 0 : count;
    }

    private int parkedSequences(String name, String tenantId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(DISTINCT sequence_identifier) FROM dead_letter_entry "
                + "WHERE " + parkedIn(tenantId), Integer.class, parkedInArguments(name, tenantId));
        return count == null ? 0 : count;
    }

    /** The condition on {@code dead_letter_entry} for a projection's letters, of one tenant when it is not null. */
    private static String parkedIn(String tenantId) {
        return tenantId == null ? "processing_group = ?" : "processing_group = ? AND " + TENANT_OF_PAYLOAD + " = ?";
    }

    private static Object[] parkedInArguments(String name, String tenantId) {
        return tenantId == null ? new Object[]{name} : new Object[]{name, tenantId};
    }

    private DeadLetterView deadLetter(ResultSet row, int index) throws SQLException {
        String payloadType = row.getString("payload_type");
        long number = row.getLong("sequence_number");
        Long sequenceNumber = row.wasNull() ? null : number;
        return new DeadLetterView(row.getString("dead_letter_id"), row.getString("tenant_id"),
                row.getString("event_identifier"),
                payloadType.substring(payloadType.lastIndexOf('.') + 1), row.getString("aggregate_type"),
                row.getString("aggregate_identifier"), sequenceNumber,
                instant(row.getString("time_stamp")), instant(row.getString("enqueued_at")),
                instant(row.getString("last_touched")),
                new DeadLetterView.Cause(row.getString("cause_type"), row.getString("cause_message")),
                json(row.getString("payload")));
    }

    private static Instant instant(String text) {
        return text == null ? null : DateTimeUtils.parseInstant(text);
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            return mapper.getNodeFactory().textNode(text);
        }
    }
}
