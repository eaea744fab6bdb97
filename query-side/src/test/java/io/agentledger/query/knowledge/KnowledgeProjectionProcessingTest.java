package io.agentledger.query.knowledge;

import io.agentledger.api.knowledge.KnowledgeHit;
import io.agentledger.api.knowledge.KnowledgeHits;
import io.agentledger.api.knowledge.KnowledgeRetiredEvent;
import io.agentledger.api.knowledge.KnowledgeRevisedEvent;
import io.agentledger.api.knowledge.SearchKnowledgeQuery;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class KnowledgeProjectionProcessingTest extends KnowledgeTestSupport {

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    KnowledgeProjection projection;
    @Autowired
    QueryGateway queryGateway;
    @Autowired
    JwtDecoder decoder;

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theProjectionRunsAsAPooledStreamingProcessor() {
        assertThat(processing.eventProcessor(KnowledgeProjection.NAME, PooledStreamingEventProcessor.class))
                .isPresent();
    }

    /** Each event handled twice, and an old one late: the rows are as if each was handled once, in order. */
    @Test
    void redeliveredEventsLeaveTheSameRows() {
        String id = UUID.randomUUID().toString();
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 2; i++) {
            projection.on(recorded(id, "p", "Twice recorded", "body one", "a"), at, 0);
        }
        List<Map<String, Object>> once = rows();
        projection.on(recorded(id, "p", "Twice recorded", "body one", "a"), at, 0);
        assertThat(rows()).isEqualTo(once);

        for (int i = 0; i < 2; i++) {
            projection.on(new KnowledgeRevisedEvent(id, tenant, 2, "Revised", "body two", List.of("b")),
                    at.plusSeconds(1), 1);
            projection.on(new KnowledgeRetiredEvent(id, tenant), at.plusSeconds(2), 2);
        }
        // a late redelivery of the revision changes nothing
        projection.on(new KnowledgeRevisedEvent(id, tenant, 2, "Late", "late", List.of()), at.plusSeconds(3), 1);
        assertThat(jdbc.queryForMap("SELECT title, revision, status, version FROM knowledge_entries WHERE id = ?",
                id)).isEqualTo(Map.of("title", "Revised", "revision", 2, "status", "RETIRED", "version", 2L));
        assertThat(jdbc.queryForList("SELECT revision, title FROM knowledge_revisions WHERE entry_id = ?"
                + " ORDER BY revision", id)).containsExactly(Map.of("revision", 1, "title", "Twice recorded"),
                Map.of("revision", 2, "title", "Revised"));
    }

    @Test
    void aReplayRebuildsTheSameRows() {
        String first = record(null, "Replayed entry", "Its body.", "replay");
        revise(first, 1, 2, "Replayed entry, revised", "Its new body.", "replay", "twice");
        String second = record("p", "Another entry", "Retired soon.");
        retire(second, 1);
        List<Map<String, Object>> before = rows();
        assertThat(before).hasSize(3);

        StreamingEventProcessor processor = processing
                .eventProcessor(KnowledgeProjection.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(processor.isReplaying()).isFalse();
            assertThat(rows()).isEqualTo(before);
        });
        assertThat(ids("revised")).containsExactly(first);
    }

    @Test
    void projectFirstRanksTheProjectsEntriesFirstWithoutFiltering() {
        String mine = UUID.randomUUID().toString();
        String theirs = UUID.randomUUID().toString();
        String strong = record(theirs, "Backoff strategy", "Exponential backoff with jitter.");
        String weak = record(mine, "Retries", "Use a backoff between attempts.");
        String global = record(null, "Backoff basics", "Wait longer each time.");
        String retired = record(mine, "Backoff, retired", "Old backoff advice.");
        retire(retired, 1);

        SecurityContextHolder.getContext().setAuthentication(
                new JwtAuthenticationToken(decoder.decode(token(tenant, ADMIN, "agent"))));
        assertThat(ids(new SearchKnowledgeQuery(tenant, "backoff", mine, true, null, 3)))
                .containsExactly(weak, strong, global);
        assertThat(ids(new SearchKnowledgeQuery(tenant, "backoff", mine, false, null, 3))).containsExactly(weak);
        assertThat(ids(new SearchKnowledgeQuery(tenant, "backoff", null, true, null, 0)))
                .containsExactlyInAnyOrder(strong, global, weak);
        assertThat(ids(new SearchKnowledgeQuery(tenant, "backoff", mine, true, null, 1))).containsExactly(weak);
        // the typo fallback ranks the same way
        assertThat(ids(new SearchKnowledgeQuery(tenant, "backof strategy", mine, true, null, 3)).get(0))
                .isEqualTo(strong);
        assertThat(ids(new SearchKnowledgeQuery(tenant, "retrys", mine, true, null, 3))).containsExactly(weak);
        assertThat(ids(new SearchKnowledgeQuery(tenant, " ", mine, true, null, 3))).isEmpty();
        assertThat(ids(new SearchKnowledgeQuery(tenant, null, mine, true, null, 3))).isEmpty();

        KnowledgeHit hit = search(new SearchKnowledgeQuery(tenant, "backoff", mine, true, null, 1)).items().get(0);
        assertThat(hit.snippet()).contains("<mark>backoff</mark>");
        assertThat(hit.projectId()).isEqualTo(mine);

        assertThatThrownBy(() -> search(new SearchKnowledgeQuery("someone-else", "backoff", null, true, null, 3)))
                .hasStackTraceContaining("another tenant");
    }

    @Test
    void snippetsAreEscapedHtmlWithMarks() {
        assertThat(KnowledgeProjection.highlighted("a \u0001<b>\u0002 & \"c\" 'd'"))
                .isEqualTo("a <mark>&lt;b&gt;</mark> &amp; &quot;c&quot; &#39;d&#39;");
        assertThat(KnowledgeProjection.escape(null)).isEmpty();
    }

    private KnowledgeHits search(SearchKnowledgeQuery query) {
        return queryGateway.query(query, ResponseTypes.instanceOf(KnowledgeHits.class)).join();
    }

    private List<String> ids(SearchKnowledgeQuery query) {
        return search(query).items().stream().map(KnowledgeHit::id).toList();
    }

    private List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT e.*, r.revision AS r_revision, r.title AS r_title,"
                + " r.body AS r_body, r.tags AS r_tags, r.recorded_at FROM knowledge_entries e"
                + " JOIN knowledge_revisions r ON r.entry_id = e.id WHERE e.tenant_id = ? ORDER BY e.id, r.revision",
                tenant);
        rows.forEach(row -> row.replaceAll((column, value) -> value instanceof Array array ? list(array)
                : value instanceof org.postgresql.util.PGobject object ? object.getValue() : value));
        return rows;
    }

    private static List<Object> list(Array array) {
        try {
            return Arrays.asList((Object[]) array.getArray());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
