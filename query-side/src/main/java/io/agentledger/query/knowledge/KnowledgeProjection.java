package io.agentledger.query.knowledge;

import io.agentledger.api.knowledge.FindKnowledgeQuery;
import io.agentledger.api.knowledge.KnowledgeHit;
import io.agentledger.api.knowledge.KnowledgeHits;
import io.agentledger.api.knowledge.KnowledgeRecordedEvent;
import io.agentledger.api.knowledge.KnowledgeRetiredEvent;
import io.agentledger.api.knowledge.KnowledgeRevisedEvent;
import io.agentledger.api.knowledge.KnowledgeStatus;
import io.agentledger.api.knowledge.KnowledgeView;
import io.agentledger.api.knowledge.FindRelatedKnowledgeQuery;
import io.agentledger.api.knowledge.SearchKnowledgeQuery;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The knowledge base read model: {@code knowledge_entries} holds the current revision of every entry with its
 * weighted search vector (title A, tags B, body C; a generated column), {@code knowledge_revisions} every revision
 * ever recorded. Handlers are guarded by the aggregate version and revisions are keyed by their number, so
 * redelivery and replay leave the same rows.
 *
 * <p>Search is PostgreSQL full-text search ({@code websearch_to_tsquery}: words, "phrases", -exclusions) ranked
 * with {@code ts_rank}; when it finds nothing, a trigram word-similarity match on titles (the GIN trigram index)
 * still finds an entry whose title the text misspells. Snippets are HTML: the text is escaped and only the
 * {@code <mark>} highlights are markup (ts_headline itself escapes nothing, so it marks with control characters
 * that are swapped for the tags after escaping).
 */
@Component
@ProcessingGroup(KnowledgeProjection.NAME)
class KnowledgeProjection {

    static final String NAME = "knowledge";

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    /** Word similarity a title needs for the typo fallback ("postgress" vs "PostgreSQL tuning" is 0.8). */
    static final double TYPO_THRESHOLD = 0.3;
    static final int FALLBACK_SNIPPET_CHARS = 200;
    /** How many matches related knowledge ranks at most. */
    static final int RELATED_CANDIDATES = 200;

    /** ts_rank weights {D, C, B, A}: a title hit counts 2.5 times a tag hit and 5 times a body hit. */
    private static final String WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'";
    private static final char START = '\u0001';
    private static final char STOP = '\u0002';
    private static final String HEADLINE_OPTIONS =
            "'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=35, MinWords=15, MaxFragments=2'";
    private static final Pattern EXCLUSION = Pattern.compile("(^|\\s)-\\S*");
    private static final Pattern OR = Pattern.compile("(?i)(^|\\s)or(?=\\s|$)");

    private static final String COLUMNS = "e.id, e.project_id, e.source_task_id, e.status, e.created_at, e.version";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    KnowledgeProjection(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    @EventHandler
    void on(KnowledgeRecordedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        String[] tags = array(event.tags());
        jdbc.update("INSERT INTO knowledge_entries (id, tenant_id, project_id, source_task_id, title, body, tags,"
                        + " revision, status, created_at, updated_at, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                event.entryId(), event.tenantId(), event.projectId(), event.sourceTaskId(), event.title(),
                text(event.body()), tags, KnowledgeStatus.ACTIVE.name(), utc(at), utc(at), version);
        revision(event.entryId(), 1, event.title(), event.body(), tags, at);
    }

    @EventHandler
    void on(KnowledgeRevisedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        String[] tags = array(event.tags());
        jdbc.update("UPDATE knowledge_entries SET title = ?, body = ?, tags = ?, revision = ?, updated_at = ?,"
                        + " version = ? WHERE id = ? AND version < ?",
                event.title(), text(event.body()), tags, event.revision(), utc(at), version, event.entryId(),
                version);
        revision(event.entryId(), event.revision(), event.title(), event.body(), tags, at);
    }

    @EventHandler
    void on(KnowledgeRetiredEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        jdbc.update("UPDATE knowledge_entries SET status = ?, updated_at = ?, version = ? WHERE id = ? AND version < ?",
                KnowledgeStatus.RETIRED.name(), utc(at), version, event.entryId(), version);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM knowledge_revisions");
        jdbc.update("DELETE FROM knowledge_entries");
    }

    /** The entry as it is now, or at {@code revision} (other fields as they are now); null when unknown. */
    @QueryHandler
    KnowledgeView handle(FindKnowledgeQuery query) {
        if (query.revision() == null) {
            return jdbc.query("SELECT " + COLUMNS + ", e.title, e.body, e.tags, e.revision, e.updated_at"
                            + " FROM knowledge_entries e WHERE e.tenant_id = ? AND e.id = ?", view(),
                    query.tenantId(), query.entryId()).stream().findFirst().orElse(null);
        }
        return jdbc.query("SELECT " + COLUMNS + ", r.title, r.body, r.tags, r.revision, r.recorded_at AS updated_at"
                        + " FROM knowledge_entries e JOIN knowledge_revisions r ON r.entry_id = e.id"
                        + " WHERE e.tenant_id = ? AND e.id = ? AND r.revision = ?", view(),
                query.tenantId(), query.entryId(), query.revision()).stream().findFirst().orElse(null);
    }

    /**
     * Ranked full-text search of the tenant's active entries, falling back to a typo-tolerant title match when it
     * finds nothing. With {@code projectFirst} the project's entries come first instead of alone.
     */
    @QueryHandler
    KnowledgeHits handle(SearchKnowledgeQuery query) {
        if (query.text() == null || query.text().isBlank()) {
            return new KnowledgeHits(List.of());
        }
        int limit = query.limit() < 1 ? DEFAULT_LIMIT : Math.min(query.limit(), MAX_LIMIT);
        List<KnowledgeHit> hits = fullText(query, limit);
        if (hits.isEmpty()) {
            String words = OR.matcher(EXCLUSION.matcher(query.text()).replaceAll(" ")).replaceAll(" ").strip();
            if (!words.isEmpty()) {
                hits = similar(query, words, limit);
            }
        }
        return new KnowledgeHits(hits);
    }

    /** Related knowledge of a claimed task: ranked among the most recent matches only, no typo fallback. */
    @QueryHandler
    KnowledgeHits handle(FindRelatedKnowledgeQuery query) {
        if (query.words().isEmpty()) {
            return new KnowledgeHits(List.of());
        }
        SearchKnowledgeQuery anyWord = new SearchKnowledgeQuery(query.tenantId(), String.join(" or ", query.words()),
                query.projectId(), true, null, query.limit());
        return new KnowledgeHits(fullText(anyWord, Math.min(query.limit(), MAX_LIMIT), RELATED_CANDIDATES));
    }

    private List<KnowledgeHit> fullText(SearchKnowledgeQuery query, int limit) {
        return fullText(query, limit, 0);
    }

    /** @param candidates when above 0, only that many matches (the most recently updated) are ranked */
    private List<KnowledgeHit> fullText(SearchKnowledgeQuery query, int limit, int candidates) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT h.id, h.project_id, h.title, h.tags, h.score,"
                + " CASE WHEN to_tsvector('english', h.body) @@ h.q OR NOT to_tsvector('english', h.title) @@ h.q"
                + " THEN ts_headline('english', translate(h.body, chr(1) || chr(2), ''), h.q, " + HEADLINE_OPTIONS
                + ") ELSE ts_headline('english', translate(h.title, chr(1) || chr(2), ''), h.q, " + HEADLINE_OPTIONS
                + ") END AS snippet FROM (SELECT e.id, e.project_id, e.title, e.body, e.tags, e.updated_at, q,");
        preferred(sql, args, query);
        sql.append(", ts_rank(" + WEIGHTS + ", e.search_vector, q, 32) AS score FROM ");
        if (candidates > 0) {
            sql.append("(SELECT e.* FROM knowledge_entries e WHERE e.search_vector @@ websearch_to_tsquery('english', ?)");
            args.add(query.text());
            filters(sql, args, query);
            sql.append(" ORDER BY e.updated_at DESC LIMIT ?) e");
            args.add(candidates);
        } else {
            sql.append("knowledge_entries e");
        }
        sql.append(", websearch_to_tsquery('english', ?) q");
        args.add(query.text());
        sql.append(" WHERE e.search_vector @@ q");
        filters(sql, args, query);
        sql.append(" ORDER BY preferred DESC, score DESC, e.updated_at DESC, e.id LIMIT ?) h"
                + " ORDER BY h.preferred DESC, h.score DESC, h.updated_at DESC, h.id");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> hit(rs, highlighted(rs.getString("snippet"))), args.toArray());
    }

    /**
     * Titles whose words resemble the text (pg_trgm word similarity at least {@link #TYPO_THRESHOLD}), most similar
     * first. The {@code <%} operator can use the trigram index; its threshold is a setting, set for this
     * transaction only.
     */
    private List<KnowledgeHit> similar(SearchKnowledgeQuery query, String words, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT e.id, e.project_id, e.title, e.tags, left(e.body, ?) AS body,");
        args.add(FALLBACK_SNIPPET_CHARS);
        preferred(sql, args, query);
        sql.append(", word_similarity(?, e.title) AS score FROM knowledge_entries e WHERE ? <% e.title");
        args.add(words);
        args.add(words);
        filters(sql, args, query);
        sql.append(" ORDER BY preferred DESC, score DESC, e.updated_at DESC, e.id LIMIT ?");
        args.add(limit);
        return readOnly.execute(status -> {
            jdbc.queryForObject("SELECT set_config('pg_trgm.word_similarity_threshold', ?, true)", String.class,
                    Double.toString(TYPO_THRESHOLD));
            return jdbc.query(sql.toString(), (rs, n) -> hit(rs, escape(rs.getString("body"))), args.toArray());
        });
    }

    private static void preferred(StringBuilder sql, List<Object> args, SearchKnowledgeQuery query) {
        if (query.projectFirst() && query.projectId() != null) {
            sql.append(" coalesce(e.project_id = ?, FALSE) AS preferred");
            args.add(query.projectId());
        } else {
            sql.append(" FALSE AS preferred");
        }
    }

    private static void filters(StringBuilder sql, List<Object> args, SearchKnowledgeQuery query) {
        sql.append(" AND e.tenant_id = ? AND e.status = ?");
        args.add(query.tenantId());
        args.add(KnowledgeStatus.ACTIVE.name());
        if (query.projectId() != null && !query.projectFirst()) {
            sql.append(" AND e.project_id = ?");
            args.add(query.projectId());
        }
        if (query.tag() != null && !query.tag().isBlank()) {
            sql.append(" AND e.tags @> ARRAY[?]::TEXT[]");
            args.add(query.tag().strip().toLowerCase(Locale.ROOT));
        }
    }

    private void revision(String entryId, int revision, String title, String body, String[] tags, Instant at) {
        jdbc.update("INSERT INTO knowledge_revisions (entry_id, revision, title, body, tags, recorded_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, revision) DO NOTHING",
                entryId, revision, title, text(body), tags, utc(at));
    }

    /** A ts_headline result as HTML: the text escaped, the highlights (control characters) as {@code <mark>}. */
    static String highlighted(String headline) {
        return escape(headline).replace(String.valueOf(START), "<mark>").replace(String.valueOf(STOP), "</mark>");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static KnowledgeHit hit(ResultSet rs, String snippet) throws SQLException {
        return new KnowledgeHit(rs.getString("id"), rs.getString("project_id"), rs.getString("title"), snippet,
                list(rs, "tags"), rs.getDouble("score"));
    }

    private static RowMapper<KnowledgeView> view() {
        return (rs, n) -> new KnowledgeView(rs.getString("id"), rs.getString("project_id"), rs.getString("title"),
                rs.getString("body"), list(rs, "tags"), rs.getString("source_task_id"), rs.getInt("revision"),
                KnowledgeStatus.valueOf(rs.getString("status")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getLong("version"));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String[] array(List<String> values) {
        return values == null ? new String[0] : values.toArray(String[]::new);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static List<String> list(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
