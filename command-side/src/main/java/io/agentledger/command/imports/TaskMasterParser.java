package io.agentledger.command.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.DomainException;
import io.agentledger.command.task.TaskRules;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Task Master {@code tasks.json}, plain ({@code {"tasks":[...]}}) or tagged ({@code {"master":{"tasks":
 * [...]}}}). A task's id is its external ref; a subtask becomes a task {@code <parent>.<id>} that depends on nothing
 * and is labelled {@code parent:<parent>}. Details are appended to the description.
 */
final class TaskMasterParser {

    static final String DEFAULT_TAG = "master";
    static final String PARENT_LABEL = "parent:";
    private static final Map<String, TaskPriority> PRIORITIES = Map.of("low", TaskPriority.LOW,
            "medium", TaskPriority.MEDIUM, "high", TaskPriority.HIGH, "critical", TaskPriority.CRITICAL);

    private TaskMasterParser() {
    }

    /**
     * @param tag the tag to read from a tagged file; null for {@code master}, or the only tag there is
     * @throws DomainException VALIDATION_FAILED naming the task (as {@code tasks[i]}) that is not one
     */
    static ImportPlan parse(JsonNode document, String tag) {
        String path = "tasks";
        JsonNode tasks = document == null ? null : document.get("tasks");
        if (tasks == null && document != null && document.isObject()) {
            String chosen = chooseTag(document, tag);
            path = chosen + ".tasks";
            tasks = document.path(chosen).get("tasks");
        }
        if (tasks == null || !tasks.isArray() || tasks.isEmpty()) {
            throw DomainException.invalid(path, "must be a non-empty list of tasks");
        }
        List<PlannedTask> planned = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            String source = path + "[" + i + "]";
            JsonNode task = tasks.get(i);
            String id = id(task, source);
            TaskPriority priority = priority(task, source, TaskPriority.MEDIUM);
            planned.add(new PlannedTask(source, id, title(task, source), description(task), priority, List.of(),
                    dependencies(task.path("dependencies"), source), status(task)));
            JsonNode subtasks = task.path("subtasks");
            for (int j = 0; subtasks.isArray() && j < subtasks.size(); j++) {
                String subSource = source + ".subtasks[" + j + "]";
                JsonNode subtask = subtasks.get(j);
                planned.add(new PlannedTask(subSource, id + "." + id(subtask, subSource), title(subtask, subSource),
                        description(subtask), priority(subtask, subSource, priority), List.of(PARENT_LABEL + id),
                        List.of(), status(subtask)));
            }
        }
        return new ImportPlan(planned, List.of());
    }

    private static String chooseTag(JsonNode document, String tag) {
        if (tag != null) {
            return tag;
        }
        if (document.has(DEFAULT_TAG) || document.size() != 1) {
            return DEFAULT_TAG;
        }
        Iterator<String> names = document.fieldNames();
        return names.next();
    }

    private static String id(JsonNode task, String source) {
        JsonNode id = task.path("id");
        if (!(id.isIntegralNumber() || id.isTextual()) || id.asText().isBlank()) {
            throw DomainException.invalid(source + ".id", "must be a number or a text");
        }
        return id.asText().strip();
    }

    private static String title(JsonNode task, String source) {
        String title = task.path("title").asText("").strip();
        if (title.isEmpty() || title.length() > TaskRules.MAX_TITLE) {
            throw DomainException.invalid(source + ".title", "must be 1 to " + TaskRules.MAX_TITLE + " characters");
        }
        return title;
    }

    private static String description(JsonNode task) {
        List<String> parts = new ArrayList<>();
        for (String field : List.of("description", "details")) {
            String text = task.path(field).asText("").strip();
            if (!text.isEmpty()) {
                parts.add(text);
            }
        }
        return parts.isEmpty() ? null : String.join("\n\n", parts);
    }

    private static TaskPriority priority(JsonNode task, String source, TaskPriority otherwise) {
        JsonNode priority = task.get("priority");
        if (priority == null || priority.isNull()) {
            return otherwise;
        }
        TaskPriority known = PRIORITIES.get(priority.asText().strip().toLowerCase(Locale.ROOT));
        if (known == null) {
            throw DomainException.invalid(source + ".priority", "must be low, medium, high or critical");
        }
        return known;
    }

    /** Done and cancelled tasks are imported finished; every other status (pending, in-progress, ...) is open. */
    private static TaskStatus status(JsonNode task) {
        return switch (task.path("status").asText("").strip().toLowerCase(Locale.ROOT)) {
            case "done", "completed" -> TaskStatus.COMPLETED;
            case "cancelled", "canceled" -> TaskStatus.CANCELLED;
            default -> null;
        };
    }

    private static List<String> dependencies(JsonNode dependencies, String source) {
        if (dependencies.isMissingNode() || dependencies.isNull()) {
            return List.of();
        }
        if (!dependencies.isArray()) {
            throw DomainException.invalid(source + ".dependencies", "must be a list of task ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode dependency : dependencies) {
            if (!(dependency.isIntegralNumber() || dependency.isTextual()) || dependency.asText().isBlank()) {
                throw DomainException.invalid(source + ".dependencies", "must be a list of task ids");
            }
            ids.add(dependency.asText().strip());
        }
        return List.copyOf(ids);
    }
}
