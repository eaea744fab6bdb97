package io.agentledger.command.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

/**
 * A generated Task Master {@code tasks.json} of the shape and size of a real, large project's: nine tags, the
 * {@code master} tag with 100 tasks of 3 to 8 subtasks each (about 0.95 MB) and eight smaller feature tags (1.5 MB in
 * all), {@code details} and {@code testStrategy} texts of realistic length, pretty-printed as Task Master writes it.
 * Task {@link #REPEATED_IDS_TASK} has eight subtasks that all carry id 1, as Task Master itself writes them at
 * times. The same seed always gives the same file.
 */
final class TaskMasterFiles {

    static final int MASTER_TASKS = 100;
    /** The task (its id; it is {@code master.tasks[36]}) whose eight subtasks all have id 1. */
    static final int REPEATED_IDS_TASK = 37;
    static final List<String> FEATURE_TAGS = List.of("feature-auth", "feature-billing", "feature-search",
            "feature-notifications", "refactor-storage", "perf-caching", "mobile-app", "ops-observability");

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> WORDS = List.of("the", "service", "request", "handler", "database",
            "migration", "index", "cache", "token", "session", "endpoint", "schema", "retry", "timeout", "queue",
            "worker", "event", "projection", "validate", "configure", "implement", "ensure", "error", "response",
            "payload", "client", "server", "test", "integration", "unit", "mock", "fixture", "module", "component",
            "state", "render", "route", "deploy", "pipeline", "metric", "log", "trace", "user", "account", "tenant",
            "permission", "role", "audit", "export", "import", "file", "upload", "limit", "page", "cursor", "sort",
            "filter", "search", "résumé", "naïve", "→", "with", "and", "for", "when", "before", "after", "each",
            "every", "from", "into", "using", "should", "must", "then", "returns", "handles", "edge", "case");
    private static final List<String> STATUSES = List.of("done", "done", "pending", "pending", "pending",
            "in-progress", "review", "deferred", "cancelled");
    private static final List<String> PRIORITIES = List.of("high", "medium", "medium", "low");

    private TaskMasterFiles() {
    }

    /** The whole file, as bytes in UTF-8. */
    static byte[] realSized() {
        Random random = new Random(16);
        ObjectNode file = MAPPER.createObjectNode();
        file.set("master", tag(random, "master", MASTER_TASKS, 1_250, 460, 700, 200));
        for (String feature : FEATURE_TAGS) {
            file.set(feature, tag(random, feature, 8, 1_150, 430, 620, 180));
        }
        try {
            return MAPPER.writeValueAsBytes(file);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode tag(Random random, String name, int tasks, int details, int testStrategy,
                                  int subtaskDetails, int subtaskTestStrategy) {
        ObjectNode tag = MAPPER.createObjectNode();
        ArrayNode list = tag.putArray("tasks");
        for (int id = 1; id <= tasks; id++) {
            ObjectNode task = list.addObject();
            task.put("id", id);
            task.put("title", sentence(random, 4 + random.nextInt(6)));
            task.put("description", sentence(random, 12 + random.nextInt(14)));
            task.put("details", text(random, details));
            task.put("testStrategy", text(random, testStrategy));
            task.put("priority", PRIORITIES.get(random.nextInt(PRIORITIES.size())));
            task.put("status", STATUSES.get(random.nextInt(STATUSES.size())));
            ArrayNode dependencies = task.putArray("dependencies");
            if (id > 1) {
                dependencies.add(id - 1);
            }
            if (id > 4 && id % 3 == 0) {
                dependencies.add(id - 4);
            }
            boolean repeated = name.equals("master") && id == REPEATED_IDS_TASK;
            int subtasks = repeated ? 8 : 3 + random.nextInt(6);
            ArrayNode children = task.putArray("subtasks");
            for (int position = 1; position <= subtasks; position++) {
                ObjectNode subtask = children.addObject();
                subtask.put("id", repeated ? 1 : position);
                subtask.put("title", sentence(random, 3 + random.nextInt(6)));
                subtask.put("description", sentence(random, 10 + random.nextInt(12)));
                subtask.put("details", text(random, subtaskDetails));
                subtask.put("testStrategy", text(random, subtaskTestStrategy));
                subtask.put("status", STATUSES.get(random.nextInt(4)));
                ArrayNode after = subtask.putArray("dependencies");
                if (position > 1) {
                    after.add(position - 1);
                }
                subtask.put("parentTaskId", id);
            }
        }
        ObjectNode metadata = tag.putObject("metadata");
        metadata.put("created", "2025-06-01T10:00:00.000Z");
        metadata.put("updated", "2025-09-14T16:42:07.512Z");
        metadata.put("description", "Tasks for " + name + " context");
        return tag;
    }

    private static String sentence(Random random, int words) {
        StringBuilder sentence = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String word = WORDS.get(random.nextInt(WORDS.size()));
            sentence.append(i == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
        }
        return sentence.toString();
    }

    /** Sentences and bullet lines, about {@code length} characters, varied by a quarter either way. */
    private static String text(Random random, int length) {
        int target = length * 3 / 4 + random.nextInt(length / 2 + 1);
        StringBuilder text = new StringBuilder();
        while (text.length() < target) {
            if (!text.isEmpty()) {
                text.append(random.nextInt(4) == 0 ? "\n- " : " ");
            }
            text.append(sentence(random, 6 + random.nextInt(12))).append('.');
        }
        return text.toString();
    }
}
