package io.agentledger.command.knowledge;

import io.agentledger.api.knowledge.KnowledgeHits;
import io.agentledger.api.knowledge.RelatedKnowledge;
import io.agentledger.api.knowledge.FindRelatedKnowledgeQuery;
import io.agentledger.api.task.TaskView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The earlier learnings most related to a claimed task: the top entries of the tenant matching any word of its
 * title or labels, its own project's first, ranked among a bounded number of candidates. Asked over the query bus of
 * this process; where no query side answers (a command node on its own), or it answers late, a claim carries none
 * rather than wait or fail: a claim waits at most {@link #TIMEOUT_MILLIS} for it.
 */
@Component
public class RelatedKnowledgeFinder {

    static final int LIMIT = 3;
    static final long TIMEOUT_MILLIS = 500;
    private static final Logger log = LoggerFactory.getLogger(RelatedKnowledgeFinder.class);

    private final QueryGateway queries;

    RelatedKnowledgeFinder(QueryGateway queries) {
        this.queries = queries;
    }

    public List<RelatedKnowledge> relatedTo(String tenantId, TaskView task) {
        List<String> words = words(task);
        if (words.isEmpty()) {
            return List.of();
        }
        try {
            KnowledgeHits hits = queries.query(new FindRelatedKnowledgeQuery(tenantId, words, task.projectId(), LIMIT),
                            ResponseTypes.instanceOf(KnowledgeHits.class))
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return hits.items().stream().map(h -> new RelatedKnowledge(h.id(), h.title(), h.snippet())).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (Exception e) {
            log.debug("No related knowledge for task {}: {}", task.id(), e.toString());
            return List.of();
        }
    }

    private static List<String> words(TaskView task) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : task.title().toLowerCase().split("[^\\p{L}\\p{N}]+")) {
            if (word.length() > 2) {
                words.add(word);
            }
        }
        for (String label : task.labels()) {
            words.addAll(List.of(label.split("[^\\p{L}\\p{N}]+")));
        }
        words.remove("");
        return new ArrayList<>(words);
    }
}
