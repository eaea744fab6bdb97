package io.agentledger.api.task;

import io.agentledger.api.common.PageRequest;
import io.agentledger.api.common.TenantScoped;

import java.util.List;

/**
 * A project's tasks, filtered, one keyset page at a time; answered with a {@link TaskPage}. Empty or null filters
 * select everything. {@code sort} is {@code priority} (priority, then oldest) or {@code -updatedAt}.
 */
public record FindTasksQuery(String tenantId,
                             String projectId,
                             List<TaskStatus> statuses,
                             String label,
                             TaskPriority priority,
                             String assignee,
                             String titleContains,
                             String sort,
                             PageRequest page) implements TenantScoped {

    public static final String SORT_PRIORITY = "priority";
    public static final String SORT_RECENTLY_UPDATED = "-updatedAt";
}
