package io.agentledger.command.task;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.common.PageRequest;
import io.agentledger.api.task.ClaimedTaskView;
import io.agentledger.api.task.FindTaskQuery;
import io.agentledger.api.task.FindTasksQuery;
import io.agentledger.api.task.TaskPage;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskView;
import io.agentledger.command.mcp.LocalQueries;
import io.agentledger.command.mcp.McpTool;
import io.agentledger.command.mcp.ToolArguments;
import io.agentledger.command.mcp.ToolException;
import io.agentledger.command.mcp.ToolSet;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.agentledger.command.mcp.McpTool.schema;

/**
 * The task tools of the MCP server. Commands go through {@link TaskController} itself (its role rules, request
 * constraints and set-based checks), reads through the query bus, so a tool behaves exactly like its endpoint.
 */
@Component
class TaskTools implements ToolSet {

    private static final String TASK_ID = "\"taskId\":{\"type\":\"string\"}";
    private static final String LEASE_ID = "\"leaseId\":{\"type\":\"string\",\"description\":\"claim.leaseId\"}";
    private static final String STRINGS = "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}";
    private static final String PRIORITY = "{\"enum\":[\"CRITICAL\",\"HIGH\",\"MEDIUM\",\"LOW\"]}";

    private final TaskController tasks;
    private final LocalQueries queries;

    TaskTools(TaskController tasks, LocalQueries queries) {
        this.tasks = tasks;
        this.queries = queries;
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                new McpTool("claim_next_task",
                        "Claim the next READY task you can do in a project. Returns it (keep claim.leaseId) or "
                                + "{\"claimed\":false}.",
                        schema("\"projectId\":{\"type\":\"string\"},\"labels\":" + STRINGS
                                + ",\"waitSeconds\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":30,"
                                + "\"description\":\"wait this long for one\"}", "projectId"),
                        this::claimNext),
                new McpTool("claim_task", "Claim a given READY task.",
                        schema(TASK_ID + ",\"leaseSeconds\":{\"type\":\"integer\",\"minimum\":10,\"maximum\":86400}",
                                "taskId"),
                        (args, caller) -> tasks.claim(args.text("taskId"), args.as(TaskController.ClaimRequest.class),
                                caller)),
                new McpTool("heartbeat", "Extend the lease of your claimed task.",
                        schema(TASK_ID + "," + LEASE_ID, "taskId", "leaseId"),
                        (args, caller) -> tasks.heartbeat(args.text("taskId"),
                                args.as(TaskController.LeaseRequest.class), caller)),
                new McpTool("complete_task",
                        "Complete your claimed task (learnings become knowledge); with next, also claim the "
                                + "next task: {completed, next}.",
                        schema(TASK_ID + "," + LEASE_ID + ",\"result\":{\"type\":\"string\"},\"learnings\":{"
                                + "\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
                                + "\"title\":{\"type\":\"string\"},\"body\":{\"type\":\"string\"},\"tags\":" + STRINGS
                                + "},\"required\":[\"title\",\"body\"]}},\"next\":{\"type\":\"object\","
                                + "\"properties\":{\"labels\":" + STRINGS + ",\"waitSeconds\":{\"type\":\"integer\","
                                + "\"minimum\":0,\"maximum\":30}}}", "taskId", "leaseId"),
                        (args, caller) -> tasks.complete(args.text("taskId"),
                                args.as(TaskController.CompleteRequest.class), true, caller)),
                new McpTool("fail_task",
                        "Fail your claimed task; it is retried while attempts remain and retryable is true.",
                        schema(TASK_ID + "," + LEASE_ID + ",\"reason\":{\"type\":\"string\"},"
                                + "\"retryable\":{\"type\":\"boolean\",\"default\":true}", "taskId", "leaseId", "reason"),
                        (args, caller) -> tasks.fail(args.text("taskId"), args.as(TaskController.FailRequest.class),
                                caller)),
                new McpTool("release_task", "Give your claimed task back (READY again, attempt not counted).",
                        schema(TASK_ID + "," + LEASE_ID, "taskId"),
                        (args, caller) -> tasks.release(args.text("taskId"),
                                args.as(TaskController.ReleaseRequest.class), caller)),
                new McpTool("create_task", "Create a task in a project.",
                        schema("\"projectId\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},"
                                + "\"description\":{\"type\":\"string\"},\"priority\":" + PRIORITY + ",\"labels\":"
                                + STRINGS + ",\"requiredCapabilities\":" + STRINGS + ",\"dependsOn\":" + STRINGS
                                + ",\"externalRef\":{\"type\":\"string\"},\"maxAttempts\":{\"type\":\"integer\","
                                + "\"minimum\":1},\"leaseSeconds\":{\"type\":\"integer\",\"minimum\":10,"
                                + "\"maximum\":86400}", "projectId", "title"),
                        (args, caller) -> tasks.create(args.text("projectId"),
                                args.as(TaskController.CreateTaskRequest.class), caller).getBody()),
                new McpTool("list_tasks", "List a project's tasks, highest priority first.",
                        schema("\"projectId\":{\"type\":\"string\"},\"status\":{\"type\":\"array\",\"items\":"
                                + "{\"enum\":[\"BLOCKED\",\"READY\",\"IN_PROGRESS\",\"COMPLETED\",\"FAILED\","
                                + "\"CANCELLED\"]}},\"label\":{\"type\":\"string\"},\"priority\":" + PRIORITY
                                + ",\"assignee\":{\"type\":\"string\"},\"q\":{\"type\":\"string\",\"description\":"
                                + "\"title contains\"},\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200},"
                                + "\"cursor\":{\"type\":\"string\",\"description\":\"nextCursor of the last page\"}",
                                "projectId"),
                        this::list),
                new McpTool("get_task", "Get one task.", schema(TASK_ID, "taskId"), this::get));
    }

    /** A tool call waits in its own thread (the MCP transport answers synchronously). */
    private Object claimNext(ToolArguments args, Caller caller) throws InterruptedException {
        ResponseEntity<?> claimed = (ResponseEntity<?>) tasks.claimNext(args.text("projectId"),
                args.as(TaskController.ClaimNextRequest.class), true, caller);
        return claimed.getBody() == null ? Map.of("claimed", false) : claimed.getBody();
    }

    private TaskPage list(ToolArguments args, Caller caller) throws InterruptedException {
        int limit = args.integer("limit", PageRequest.DEFAULT_LIMIT);
        if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
            throw ToolException.invalid("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
        }
        List<TaskStatus> statuses = args.texts("status").stream()
                .map(s -> parse(TaskStatus.class, "status", s)).distinct().toList();
        String priority = args.optionalText("priority");
        String label = args.optionalText("label");
        return queries.ask(new FindTasksQuery(caller.tenantId(), args.text("projectId"), statuses,
                blankToNull(label) == null ? null : label.strip().toLowerCase(Locale.ROOT),
                blankToNull(priority) == null ? null : parse(TaskPriority.class, "priority", priority),
                blankToNull(args.optionalText("assignee")), blankToNull(args.optionalText("q")),
                FindTasksQuery.SORT_PRIORITY, new PageRequest(limit, blankToNull(args.optionalText("cursor")))),
                TaskPage.class);
    }

    private TaskView get(ToolArguments args, Caller caller) throws InterruptedException {
        String id = args.text("taskId");
        TaskView task = queries.ask(new FindTaskQuery(caller.tenantId(), id), TaskView.class);
        if (task == null) {
            throw new ToolException(ErrorCode.NOT_FOUND, "No task " + id);
        }
        return task;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ToolException.invalid(field, "must be one of " + List.of(type.getEnumConstants()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
