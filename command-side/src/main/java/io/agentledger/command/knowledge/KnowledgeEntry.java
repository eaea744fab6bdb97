package io.agentledger.command.knowledge;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.knowledge.KnowledgeRecordedEvent;
import io.agentledger.api.knowledge.KnowledgeRetiredEvent;
import io.agentledger.api.knowledge.KnowledgeRevisedEvent;
import io.agentledger.api.knowledge.KnowledgeStatus;
import io.agentledger.api.knowledge.KnowledgeView;
import io.agentledger.api.knowledge.RecordKnowledgeCommand;
import io.agentledger.api.knowledge.RetireKnowledgeCommand;
import io.agentledger.api.knowledge.ReviseKnowledgeCommand;
import io.agentledger.command.DomainException;
import io.agentledger.command.Names;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** Something learned, in markdown, revised as a whole (every revision kept), retired when it no longer holds. */
@Aggregate
class KnowledgeEntry {

    static final int MAX_TITLE = 200;
    static final int MAX_BODY = 100_000;
    static final int MAX_TAGS = 32;
    static final int MAX_TAG_LENGTH = 64;

    @AggregateIdentifier
    private String entryId;
    private String tenantId;
    private String projectId;
    private String sourceTaskId;
    private String title;
    private String body;
    private List<String> tags;
    private int revision;
    private KnowledgeStatus status;
    private Instant createdAt;
    private Instant updatedAt;
    private long version;

    KnowledgeEntry() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    KnowledgeView handle(RecordKnowledgeCommand command) {
        apply(new KnowledgeRecordedEvent(command.entryId(), command.tenantId(), command.projectId(),
                command.sourceTaskId(), validTitle(command.title()), validBody(command.body()),
                validTags(command.tags())));
        return view();
    }

    @CommandHandler
    KnowledgeView handle(ReviseKnowledgeCommand command) {
        requireTenant(command.tenantId());
        if (status == KnowledgeStatus.RETIRED) {
            throw new DomainException(ErrorCode.KNOWLEDGE_RETIRED, "Entry " + entryId + " is retired");
        }
        apply(new KnowledgeRevisedEvent(entryId, tenantId, revision + 1, validTitle(command.title()),
                validBody(command.body()), validTags(command.tags())));
        return view();
    }

    @CommandHandler
    KnowledgeView handle(RetireKnowledgeCommand command) {
        requireTenant(command.tenantId());
        if (status != KnowledgeStatus.RETIRED) {
            apply(new KnowledgeRetiredEvent(entryId, tenantId));
        }
        return view();
    }

    @EventSourcingHandler
    void on(KnowledgeRecordedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        entryId = event.entryId();
        tenantId = event.tenantId();
        projectId = event.projectId();
        sourceTaskId = event.sourceTaskId();
        title = event.title();
        body = event.body();
        tags = event.tags();
        revision = 1;
        status = KnowledgeStatus.ACTIVE;
        createdAt = at;
        updatedAt = at;
        version = sequence;
    }

    @EventSourcingHandler
    void on(KnowledgeRevisedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        title = event.title();
        body = event.body();
        tags = event.tags();
        revision = event.revision();
        updatedAt = at;
        version = sequence;
    }

    @EventSourcingHandler
    void on(KnowledgeRetiredEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        status = KnowledgeStatus.RETIRED;
        updatedAt = at;
        version = sequence;
    }

    /** Another tenant's entry is indistinguishable from a missing one. */
    private void requireTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No knowledge entry " + entryId);
        }
    }

    KnowledgeView view() {
        return new KnowledgeView(entryId, projectId, title, body, tags, sourceTaskId, revision, status, createdAt,
                updatedAt, version);
    }

    private static String validTitle(String title) {
        String stripped = title == null ? "" : title.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_TITLE) {
            throw DomainException.invalid("title", "must be 1 to " + MAX_TITLE + " characters");
        }
        return stripped;
    }

    private static String validBody(String body) {
        if (body == null || body.isBlank() || body.length() > MAX_BODY) {
            throw DomainException.invalid("body", "must be 1 to " + MAX_BODY + " characters");
        }
        return body;
    }

    static List<String> validTags(List<String> tags) {
        return Names.normalized("tags", tags, MAX_TAGS, MAX_TAG_LENGTH);
    }
}
