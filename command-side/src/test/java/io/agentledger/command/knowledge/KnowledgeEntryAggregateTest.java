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
import io.agentledger.command.DomainMatchers;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

class KnowledgeEntryAggregateTest {

    private static final String ID = "5e1f0000-0000-4000-8000-000000000001";
    private static final String TENANT = "tenant-a";

    private FixtureConfiguration<KnowledgeEntry> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(KnowledgeEntry.class);
    }

    @Test
    void recordsRevisionOneWithNormalizedTags() {
        fixture.givenNoPriorActivity()
                .when(new RecordKnowledgeCommand(ID, TENANT, "p-1", "t-1", " Pooling ", "Use **Hikari**",
                        List.of(" DB", "db", "Perf ")))
                .expectEvents(new KnowledgeRecordedEvent(ID, TENANT, "p-1", "t-1", "Pooling", "Use **Hikari**",
                        List.of("db", "perf")))
                .expectResultMessagePayloadMatching(new CustomTypeSafeMatcher<>("revision 1, active") {
                    @Override
                    protected boolean matchesSafely(Object item) {
                        return item instanceof KnowledgeView view && view.revision() == 1
                                && view.status() == KnowledgeStatus.ACTIVE;
                    }
                });
    }

    @Test
    void refusesBlankTitlesAndBodies() {
        fixture.givenNoPriorActivity()
                .when(new RecordKnowledgeCommand(ID, TENANT, null, null, " ", "body", List.of()))
                .expectNoEvents()
                .expectException(code(ErrorCode.VALIDATION_FAILED));
        fixture.givenNoPriorActivity()
                .when(new RecordKnowledgeCommand(ID, TENANT, null, null, "title", " ", List.of()))
                .expectNoEvents()
                .expectException(code(ErrorCode.VALIDATION_FAILED));
    }

    @Test
    void revisionsCountUpAndRetiredEntriesStayRetired() {
        fixture.given(recorded())
                .when(new ReviseKnowledgeCommand(ID, TENANT, "Pooling v2", "Bigger pool", List.of("db")))
                .expectEvents(new KnowledgeRevisedEvent(ID, TENANT, 2, "Pooling v2", "Bigger pool", List.of("db")));
        fixture.given(recorded(), new KnowledgeRevisedEvent(ID, TENANT, 2, "v2", "b", List.of()))
                .when(new ReviseKnowledgeCommand(ID, TENANT, "v3", "c", null))
                .expectEvents(new KnowledgeRevisedEvent(ID, TENANT, 3, "v3", "c", List.of()));
        fixture.given(recorded())
                .when(new RetireKnowledgeCommand(ID, TENANT))
                .expectEvents(new KnowledgeRetiredEvent(ID, TENANT));
        fixture.given(recorded(), new KnowledgeRetiredEvent(ID, TENANT))
                .when(new RetireKnowledgeCommand(ID, TENANT))
                .expectNoEvents();
        fixture.given(recorded(), new KnowledgeRetiredEvent(ID, TENANT))
                .when(new ReviseKnowledgeCommand(ID, TENANT, "again", "body", List.of()))
                .expectException(code(ErrorCode.KNOWLEDGE_RETIRED));
    }

    @Test
    void anotherTenantSeesNoSuchEntry() {
        fixture.given(recorded())
                .when(new ReviseKnowledgeCommand(ID, "tenant-b", "mine", "mine", List.of()))
                .expectException(code(ErrorCode.NOT_FOUND));
        fixture.given(recorded())
                .when(new RetireKnowledgeCommand(ID, "tenant-b"))
                .expectNoEvents()
                .expectException(code(ErrorCode.NOT_FOUND));
    }

    private static KnowledgeRecordedEvent recorded() {
        return new KnowledgeRecordedEvent(ID, TENANT, null, null, "Pooling", "Use Hikari", List.of("db"));
    }

    private static Matcher<DomainException> code(ErrorCode code) {
        return DomainMatchers.hasCode(code);
    }
}
