package io.agentledger.query.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.knowledge.KnowledgeRecordedEvent;
import io.agentledger.query.QuerySideTest;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KnowledgeQueryHttpTest extends KnowledgeTestSupport {

    @Test
    void anEntryIsReadBackThroughItsRevisions() {
        String project = UUID.randomUUID().toString();
        String id = record(project, "Vacuum settings", "Run autovacuum more often.", "postgres", "ops");
        JsonNode entry = entry(id, 0);
        assertThat(entry.get("id").asText()).isEqualTo(id);
        assertThat(entry.get("projectId").asText()).isEqualTo(project);
        assertThat(entry.get("sourceTaskId").isNull()).isTrue();
        assertThat(entry.get("title").asText()).isEqualTo("Vacuum settings");
        assertThat(entry.get("body").asText()).isEqualTo("Run autovacuum more often.");
        assertThat(texts(entry.get("tags"))).containsExactly("postgres", "ops");
        assertThat(entry.get("revision").asInt()).isEqualTo(1);
        assertThat(entry.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(entry.get("createdAt").asText()).isEqualTo(entry.get("updatedAt").asText());

        revise(id, 1, 2, "Autovacuum settings", "Lower the scale factor.", "postgres");
        revise(id, 2, 3, "Autovacuum tuning", "Lower the scale factor on big tables.", "postgres", "tuning");
        entry = entry(id, 2);
        assertThat(entry.get("revision").asInt()).isEqualTo(3);
        assertThat(entry.get("title").asText()).isEqualTo("Autovacuum tuning");
        assertThat(texts(entry.get("tags"))).containsExactly("postgres", "tuning");

        JsonNode first = get("/v1/knowledge/" + id + "?revision=1", reader).body();
        assertThat(first.get("revision").asInt()).isEqualTo(1);
        assertThat(first.get("title").asText()).isEqualTo("Vacuum settings");
        assertThat(first.get("body").asText()).isEqualTo("Run autovacuum more often.");
        assertThat(texts(first.get("tags"))).containsExactly("postgres", "ops");
        assertThat(first.get("projectId").asText()).isEqualTo(project);
        assertThat(first.get("updatedAt").asText()).isEqualTo(entry.get("createdAt").asText());
        assertThat(get("/v1/knowledge/" + id + "?revision=2", reader).body().get("title").asText())
                .isEqualTo("Autovacuum settings");
        assertThat(get("/v1/knowledge/" + id + "?revision=3&minVersion=2", reader).body().get("title").asText())
                .isEqualTo("Autovacuum tuning");

        Response unknown = get("/v1/knowledge/" + id + "?revision=4", reader);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/knowledge/" + UUID.randomUUID(), reader).status()).isEqualTo(404);

        // only the current revision is searched
        assertThat(ids("tuning")).containsExactly(id);
        assertThat(ids("often")).isEmpty();
    }

    @Test
    void aTitleMatchOutranksATagMatchWhichOutranksABodyMatch() {
        String body = record(null, "Deployment checklist",
                "Before a release, check the rollback plan. A rollback must be rehearsed; rollback often.");
        String tag = record(null, "Release notes", "What changed and why.", "rollback");
        String title = record(null, "Rollback procedure", "Revert the deployment and restore the snapshot.");
        record(null, "Unrelated", "Nothing to see here.");

        JsonNode hits = search("rollback");
        assertThat(ids("rollback")).containsExactly(title, tag, body);
        assertThat(hits.get(0).get("score").asDouble()).isGreaterThan(hits.get(1).get("score").asDouble());
        assertThat(hits.get(1).get("score").asDouble()).isGreaterThan(hits.get(2).get("score").asDouble());
        assertThat(hits.get(2).get("score").asDouble()).isPositive();
        assertThat(hits.get(0).get("title").asText()).isEqualTo("Rollback procedure");
        assertThat(hits.get(0).get("projectId").isNull()).isTrue();
        assertThat(texts(hits.get(1).get("tags"))).containsExactly("rollback");
        // stemming: the plural finds them too
        assertThat(ids("rollbacks")).containsExactly(title, tag, body);
    }

    @Test
    void phrasesAndExclusionsFollowWebSearchSyntax() {
        String phrase = record(null, "Sizing", "Keep the connection pool small: cores times two.");
        String apart = record(null, "Pools", "A pool of workers, each with its own connection.");
        String redis = record(null, "Caches", "The redis connection pool needs its own limit.");

        assertThat(ids("connection pool")).containsExactlyInAnyOrder(phrase, apart, redis);
        assertThat(ids("\"connection pool\"")).containsExactlyInAnyOrder(phrase, redis);
        assertThat(ids("\"connection pool\" -redis")).containsExactly(phrase);
        assertThat(ids("workers or redis")).containsExactlyInAnyOrder(apart, redis);
        assertThat(ids("-redis connection")).containsExactlyInAnyOrder(phrase, apart);
    }

    @Test
    void snippetsHighlightTheMatchAndEscapeTheText() {
        record(null, "Pool sizing", "Measure first & size the <b>connection pool</b> by cores; "
                + "a pool that is too big only queues work in the database.", "pool");
        JsonNode hit = search("pool").get(0);
        String snippet = hit.get("snippet").asText();
        assertThat(snippet).contains("<mark>pool</mark>").contains("&amp;").doesNotContain("<b>");
        assertThat(snippet.replace("<mark>", "").replace("</mark>", "")).doesNotContain("<").doesNotContain(">");

        // the body does not match: the title is highlighted instead
        record(null, "Checkpoint tuning", "Spread the writes out over time.");
        assertThat(search("checkpoint").get(0).get("snippet").asText()).isEqualTo("<mark>Checkpoint</mark> tuning");
    }

    @Test
    void retiredEntriesVanishFromSearchButStayReadable() {
        String kept = record(null, "Lease renewal", "Extend the lease at half its time.");
        String retired = record(null, "Lease renewal, old advice", "Extend the lease when it expires.");
        assertThat(ids("lease")).containsExactlyInAnyOrder(kept, retired);

        retire(retired, 1);
        assertThat(ids("lease")).containsExactly(kept);
        assertThat(ids("leese renewel")).containsExactly(kept);
        JsonNode entry = entry(retired, 1);
        assertThat(entry.get("status").asText()).isEqualTo("RETIRED");
        assertThat(get("/v1/knowledge/" + retired + "?revision=1", reader).body().get("status").asText())
                .isEqualTo("RETIRED");
    }

    @Test
    void aTypoStillFindsItsEntry() {
        String postgres = record(null, "PostgreSQL tuning", "Shared buffers at a quarter of memory. " + "x".repeat(300));
        String pool = record(null, "Tuning the connection pool", "Cores times two <at most>.");
        record(null, "Progress reports", "Weekly.");

        assertThat(search("postgress")).isNotEmpty();
        JsonNode hit = search("postgress").get(0);
        assertThat(hit.get("id").asText()).isEqualTo(postgres);
        assertThat(hit.get("score").asDouble()).isBetween(0.3, 1.0);
        assertThat(hit.get("snippet").asText()).startsWith("Shared buffers").hasSize(200);
        JsonNode connection = search("conection pool").get(0);
        assertThat(connection.get("id").asText()).isEqualTo(pool);
        assertThat(connection.get("snippet").asText()).isEqualTo("Cores times two &lt;at most&gt;.");
        // exclusions and "or" are no words to resemble
        assertThat(ids("conection -pool")).startsWith(pool);
        assertThat(ids("kubernetes")).isEmpty();
        assertThat(ids("postgress", "&tag=nothing")).isEmpty();
    }

    @Test
    void anotherTenantNeverSeesTheEntries() {
        String id = record(null, "Secret sauce", "The recipe of tenant A.", "recipe");
        assertThat(ids("sauce")).containsExactly(id);

        String other = token("kb-other-" + UUID.randomUUID(), UUID.randomUUID().toString(), "admin");
        assertThat(searchAs(other, "sauce")).isEmpty();
        assertThat(searchAs(other, "secret sause")).isEmpty();
        assertThat(searchAs(other, "recipe", "&tag=recipe")).isEmpty();
        Response read = get("/v1/knowledge/" + id, other);
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.code()).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/knowledge/" + id + "?revision=1", other).status()).isEqualTo(404);
        assertThat(get("/v1/knowledge/" + id, null).status()).isEqualTo(401);
        assertThat(get("/v1/knowledge/search?q=sauce", null).status()).isEqualTo(401);
    }

    @Test
    void tagsAndProjectsFilter() {
        String alpha = UUID.randomUUID().toString();
        String beta = UUID.randomUUID().toString();
        String a1 = record(alpha, "Index bloat", "Reindex concurrently.", "postgres", "index");
        String a2 = record(alpha, "Index choice", "GIN for arrays.", "index");
        String b1 = record(beta, "Index hints", "There are none in postgres.", "postgres");
        String none = record(null, "Index basics", "B-trees.");

        assertThat(ids("index")).containsExactlyInAnyOrder(a1, a2, b1, none);
        assertThat(ids("index", "&projectId=" + alpha)).containsExactlyInAnyOrder(a1, a2);
        assertThat(ids("index", "&projectId=" + beta)).containsExactly(b1);
        assertThat(ids("index", "&tag=postgres")).containsExactlyInAnyOrder(a1, b1);
        assertThat(ids("index", "&tag=%20POSTGRES%20")).containsExactlyInAnyOrder(a1, b1);
        assertThat(ids("index", "&tag=postgres&projectId=" + alpha)).containsExactly(a1);
        assertThat(ids("index", "&tag=nothing")).isEmpty();
        assertThat(ids("index", "&tag=&projectId=")).hasSize(4);
        assertThat(ids("index", "&limit=2")).hasSize(2);
        assertThat(ids("index", "&limit=50")).hasSize(4);
    }

    @Test
    void badParametersAreValidationProblems() {
        for (String query : List.of("", "q=", "q=%20%20", "q=x&limit=0", "q=x&limit=51", "q=x&limit=abc",
                "q=" + "x".repeat(1001))) {
            Response response = get("/v1/knowledge/search?" + query, reader);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.code()).as(query).isIn("VALIDATION_FAILED", "MALFORMED_REQUEST");
        }
        assertThat(field(get("/v1/knowledge/search", reader))).isEqualTo("q");
        assertThat(field(get("/v1/knowledge/search?q=%20", reader))).isEqualTo("q");
        assertThat(field(get("/v1/knowledge/search?q=x&limit=51", reader))).isEqualTo("limit");
        assertThat(field(get("/v1/knowledge/x?revision=0", reader))).isEqualTo("revision");
        assertThat(get("/v1/knowledge/x?revision=abc", reader).status()).isEqualTo(400);
        // stop words only: nothing to search for, no error
        assertThat(ids("the and")).isEmpty();
        assertThat(ids("-")).isEmpty();
    }

    @Test
    void aCorpusOfAThousandEntriesReturnsTheRightTopHit() {
        String[] words = ("agent task lease claim retry backoff queue worker project ledger event stream replay"
                + " snapshot token tenant audit metric latency cache index vacuum schema migration deploy rollback"
                + " release budget quota timeout deadline").split(" ");
        Random random = new Random(42);
        List<GenericDomainEventMessage<KnowledgeRecordedEvent>> events = new ArrayList<>();
        String target = UUID.randomUUID().toString();
        for (int i = 0; i < 1000; i++) {
            String id = UUID.randomUUID().toString();
            StringBuilder body = new StringBuilder();
            for (int w = 0; w < 40; w++) {
                body.append(words[random.nextInt(words.length)]).append(' ');
            }
            // decoys: the words in the body, or only one of them in the title
            String title = words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)];
            if (i % 10 == 0) {
                body.append("the quorum settles the consensus of the nodes");
            } else if (i % 10 == 1) {
                title = title + " quorum";
            }
            events.add(new GenericDomainEventMessage<>(TYPE, id, 0, recorded(id, null, title, body.toString(),
                    words[random.nextInt(words.length)])));
        }
        events.add(new GenericDomainEventMessage<>(TYPE, target, 0, recorded(target, null,
                "Quorum consensus for ledger nodes", "How many nodes must agree.", "consensus", "quorum")));
        eventStore.publish(events);

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM knowledge_entries WHERE tenant_id = ?", Long.class, tenant) == 1001);
        JsonNode hits = searchAs(reader, "quorum consensus", "&limit=50");
        assertThat(hits.get(0).get("id").asText()).isEqualTo(target);
        assertThat(hits).hasSize(50);
        assertThat(ids("quorum", "&limit=1")).containsExactly(target);
        assertThat(ids("quorum consensus -settles")).containsExactly(target);
        assertThat(ids("\"settles the consensus\"", "&limit=50")).hasSize(50).doesNotContain(target);
        assertThat(search("quorom consensus").get(0).get("id").asText()).isEqualTo(target);
    }

    private static String field(QuerySideTest.Response response) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
        return response.body().get("errors").get(0).get("field").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
