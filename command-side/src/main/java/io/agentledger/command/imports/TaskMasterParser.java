package io.agentledger.command.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.DomainException;
import io.agentledger.command.task.TaskRules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Task Master {@code tasks.json}, plain ({@code {"tasks":[...]}}) or tagged ({@code {"master":{"tasks":
 * [...]}}}). A task's id is its external ref; a subtask becomes a task {@code <parent>.<id>} labelled
 * {@code parent:<parent>}. Details are appended to the description. The rules are described in docs/imports.md.
 * <p>
 * Task Master itself writes files in which several subtasks of one task carry the same id; those are renumbered by
 * position (see {@link #subtaskIds}) and reported as warnings instead of refusing the file.
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
        // every id first: a subtask's dependency may name a task or a subtask further down
        List<ImportWarning> warnings = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<List<String>> subtaskIds = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            String source = path + "[" + i + "]";
            String id = id(tasks.get(i), source);
            ids.add(id);
            subtaskIds.add(subtaskIds(tasks.get(i).path("subtasks"), source, id, warnings));
        }
        Set<String> taskIds = new HashSet<>(ids);
        List<PlannedTask> planned = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            String source = path + "[" + i + "]";
            JsonNode task = tasks.get(i);
            String id = ids.get(i);
            TaskPriority priority = priority(task, source, TaskPriority.MEDIUM);
            planned.add(new PlannedTask(source, id, title(task, source), description(task), priority, List.of(),
                    dependencies(task.path("dependencies"), source), status(task)));
            JsonNode subtasks = task.path("subtasks");
            Set<String> siblings = new HashSet<>(subtaskIds.get(i));
            for (int j = 0; j < subtaskIds.get(i).size(); j++) {
                String subSource = source + ".subtasks[" + j + "]";
                JsonNode subtask = subtasks.get(j);
                List<String> dependsOn = dependencies(subtask.path("dependencies"), subSource).stream()
                        .map(dependency -> subtaskDependency(dependency, id, siblings, taskIds))
                        .distinct().toList();
                planned.add(new PlannedTask(subSource, id + "." + subtaskIds.get(i).get(j),
                        title(subtask, subSource), description(subtask), priority(subtask, subSource, priority),
                        List.of(PARENT_LABEL + id), dependsOn, status(subtask)));
            }
        }
        return new ImportPlan(planned, List.of(), List.copyOf(warnings));
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

    /**
     * The ids of a task's subtasks in document order, made unique within the task: the first subtask with an id
     * keeps it; a later one with the same id gets the lowest number from its position (1-based) up that no other
     * subtask of the task has, and a warning says so. The ids depend on the document alone, so importing the same
     * file again finds the same tasks.
     */
    static List<String> subtaskIds(JsonNode subtasks, String source, String parentId, List<ImportWarning> warnings) {
        List<String> ids = new ArrayList<>();
        for (int j = 0; subtasks.isArray() && j < subtasks.size(); j++) {
            ids.add(id(subtasks.get(j), source + ".subtasks[" + j + "]"));
        }
        Set<String> taken = new HashSet<>(ids);
        Map<String, Integer> firstWith = new HashMap<>();
        for (int j = 0; j < ids.size(); j++) {
            String id = ids.get(j);
            Integer first = firstWith.putIfAbsent(id, j);
            if (first == null) {
                continue;
            }
            int position = j + 1;
            while (taken.contains(Integer.toString(position))) {
                position++;
            }
            String repaired = Integer.toString(position);
            taken.add(repaired);
            ids.set(j, repaired);
            String field = source + ".subtasks[" + j + "].id";
            warnings.add(new ImportWarning(field, field + " repeats id " + id + " of " + source + ".subtasks["
                    + first + "]; renumbered to " + repaired + " (task " + parentId + "." + repaired + ")"));
        }
        return ids;
    }

    /**
     * What a subtask's dependency names, as an external ref: {@code "3.2"} is subtask 2 of task 3; a plain id is a
     * sibling subtask when the parent has one with that id (after the repair), otherwise the task with that id, as
     * Task Master reads it. An id that is neither stays the sibling it would be, which the plan does not have.
     */
    private static String subtaskDependency(String dependency, String parentId, Set<String> siblings,
                                            Set<String> taskIds) {
        if (dependency.contains(".")) {
            return dependency;
        }
        if (siblings.contains(dependency) || !taskIds.contains(dependency)) {
            return parentId + "." + dependency;
        }
        return dependency;
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
