package io.agentledger.query.task;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.PageRequest;
import io.agentledger.api.task.FindTaskQuery;
import io.agentledger.api.task.FindTasksQuery;
import io.agentledger.api.task.TaskPage;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskView;
import io.agentledger.query.web.InvalidRequestException;
import io.agentledger.query.web.NotFoundException;
import io.agentledger.query.web.Pages;
import io.agentledger.query.web.Queries;
import io.agentledger.query.web.ReadYourWrites;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

@RestController
class TaskQueryController {

    private final Queries queries;

    TaskQueryController(Queries queries) {
        this.queries = queries;
    }

    /** A project's tasks; a project of another tenant simply has none. */
    @GetMapping("/v1/projects/{projectId}/tasks")
    TaskPage list(@PathVariable String projectId,
                  @RequestParam(defaultValue = "" + PageRequest.DEFAULT_LIMIT) int limit,
                  @RequestParam(required = false) String cursor,
                  @RequestParam(required = false) List<String> status,
                  @RequestParam(required = false) String label,
                  @RequestParam(required = false) String priority,
                  @RequestParam(required = false) String assignee,
                  @RequestParam(required = false) String q,
                  @RequestParam(defaultValue = FindTasksQuery.SORT_PRIORITY) String sort,
                  Caller caller) {
        if (!FindTasksQuery.SORT_PRIORITY.equals(sort) && !FindTasksQuery.SORT_RECENTLY_UPDATED.equals(sort)) {
            throw new InvalidRequestException("sort", "must be " + FindTasksQuery.SORT_PRIORITY + " or "
                    + FindTasksQuery.SORT_RECENTLY_UPDATED);
        }
        PageRequest page = Pages.request(limit, cursor);
        if (cursor != null) {
            TaskCursor.decode(cursor, sort);
        }
        FindTasksQuery query = new FindTasksQuery(caller.tenantId(), projectId, statuses(status),
                blankToNull(label) == null ? null : label.strip().toLowerCase(Locale.ROOT),
                priority(priority), blankToNull(assignee), blankToNull(q), sort, page);
        return queries.ask(query, TaskPage.class);
    }

    @GetMapping("/v1/tasks/{id}")
    TaskView get(@PathVariable String id, @RequestParam(required = false) Long minVersion, Caller caller) {
        FindTaskQuery query = new FindTaskQuery(caller.tenantId(), id);
        TaskView task = ReadYourWrites.await(() -> queries.ask(query, TaskView.class), TaskView::version, minVersion);
        if (task == null) {
            throw new NotFoundException("No task " + id);
        }
        return task;
    }

    private static List<TaskStatus> statuses(List<String> statuses) {
        if (statuses == null) {
            return List.of();
        }
        return statuses.stream().filter(s -> !s.isBlank()).map(s -> {
            try {
                return TaskStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("status", "must be one of " + Arrays.toString(TaskStatus.values()));
            }
        }).distinct().toList();
    }

    private static TaskPriority priority(String priority) {
        if (priority == null || priority.isBlank()) {
            return null;
        }
        try {
            return TaskPriority.valueOf(priority.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("priority",
                    "must be one of " + Arrays.toString(TaskPriority.values()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
