package io.agentledger.query.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.knowledge.KnowledgeRecordedEvent;
import io.agentledger.api.knowledge.KnowledgeRetiredEvent;
import io.agentledger.api.knowledge.KnowledgeRevisedEvent;
import io.agentledger.query.QuerySideTest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every test works in a tenant of its own, so the entries of other tests never match its searches. */
abstract class KnowledgeTestSupport extends QuerySideTest {

    static final String TYPE = "KnowledgeEntry";

    protected final String tenant = "kb-" + UUID.randomUUID();
    protected final String reader = token(tenant, UUID.randomUUID().toString(), "agent");

    /** Records an entry (version 0) and waits until it can be read. */
    protected String record(String projectId, String title, String body, String... tags) {
        String id = UUID.randomUUID().toString();
        append(TYPE, id, 0, recorded(id, projectId, title, body, tags));
        entry(id, 0);
        return id;
    }

    protected KnowledgeRecordedEvent recorded(String id, String projectId, String title, String body,
                                              String... tags) {
        return new KnowledgeRecordedEvent(id, tenant, projectId, null, title, body, List.of(tags));
    }

    protected void revise(String id, long version, int revision, String title, String body, String... tags) {
        append(TYPE, id, version, new KnowledgeRevisedEvent(id, tenant, revision, title, body, List.of(tags)));
        entry(id, version);
    }

    protected void retire(String id, long version) {
        append(TYPE, id, version, new KnowledgeRetiredEvent(id, tenant));
        entry(id, version);
    }

    protected JsonNode entry(String id, long minVersion) {
        Response response = get("/v1/knowledge/" + id + "?minVersion=" + minVersion, reader);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.body().get("version").asLong()).isEqualTo(minVersion);
        return response.body();
    }

    protected JsonNode search(String q, String... parameters) {
        return searchAs(reader, q, parameters);
    }

    protected JsonNode searchAs(String token, String q, String... parameters) {
        Response response = get("/v1/knowledge/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + String.join("", parameters), token);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.body().get("items");
    }

    protected List<String> ids(String q, String... parameters) {
        List<String> ids = new ArrayList<>();
        search(q, parameters).forEach(hit -> ids.add(hit.get("id").asText()));
        return ids;
    }
}
