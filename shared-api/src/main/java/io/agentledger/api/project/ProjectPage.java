package io.agentledger.api.project;

import java.util.List;

public record ProjectPage(List<ProjectView> items, String nextCursor) {
}
