package io.agentledger.api.task;

import java.util.List;

public record TaskPage(List<TaskView> items, String nextCursor) {
}
