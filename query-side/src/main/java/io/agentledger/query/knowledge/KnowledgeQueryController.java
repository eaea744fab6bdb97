package io.agentledger.query.knowledge;

import io.agentledger.api.common.Caller;
import io.agentledger.api.knowledge.FindKnowledgeQuery;
import io.agentledger.api.knowledge.KnowledgeHits;
import io.agentledger.api.knowledge.KnowledgeView;
import io.agentledger.api.knowledge.SearchKnowledgeQuery;
import io.agentledger.query.web.InvalidRequestException;
import io.agentledger.query.web.NotFoundException;
import io.agentledger.query.web.Queries;
import io.agentledger.query.web.ReadYourWrites;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/knowledge")
class KnowledgeQueryController {

    static final int MAX_QUERY_LENGTH = 1000;

    private final Queries queries;

    KnowledgeQueryController(Queries queries) {
        this.queries = queries;
    }

    /**
     * Ranked search of the caller's tenant's active entries; {@code projectId} and {@code tag} filter. Snippets are
     * HTML-escaped text with {@code <mark>} highlights.
     */
    @GetMapping("/search")
    KnowledgeHits search(@RequestParam(required = false) String q,
                         @RequestParam(required = false) String projectId,
                         @RequestParam(required = false) String tag,
                         @RequestParam(defaultValue = "" + KnowledgeProjection.DEFAULT_LIMIT) int limit,
                         Caller caller) {
        if (q == null || q.isBlank()) {
            throw new InvalidRequestException("q", "must not be blank");
        }
        if (q.length() > MAX_QUERY_LENGTH) {
            throw new InvalidRequestException("q", "must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        if (limit < 1 || limit > KnowledgeProjection.MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be between 1 and " + KnowledgeProjection.MAX_LIMIT);
        }
        SearchKnowledgeQuery query = new SearchKnowledgeQuery(caller.tenantId(), q.strip(), blankToNull(projectId),
                false, blankToNull(tag), limit);
        return queries.ask(query, KnowledgeHits.class);
    }

    /**
     * The entry, or its revision {@code revision}; {@code minVersion} waits for the entry (any revision of it) to
     * have caught up with that version.
     */
    @GetMapping("/{id}")
    KnowledgeView get(@PathVariable String id,
                      @RequestParam(required = false) Integer revision,
                      @RequestParam(required = false) Long minVersion,
                      Caller caller) {
        if (revision != null && revision < 1) {
            throw new InvalidRequestException("revision", "must be at least 1");
        }
        FindKnowledgeQuery query = new FindKnowledgeQuery(caller.tenantId(), id, revision);
        KnowledgeView entry = ReadYourWrites.await(() -> queries.ask(query, KnowledgeView.class),
                KnowledgeView::version, minVersion);
        if (entry == null) {
            throw new NotFoundException(revision == null ? "No knowledge entry " + id
                    : "No revision " + revision + " of knowledge entry " + id);
        }
        return entry;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
