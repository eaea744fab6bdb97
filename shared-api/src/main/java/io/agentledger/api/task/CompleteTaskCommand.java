package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

public record CompleteTaskCommand(@TargetAggregateIdentifier String taskId,
                                  String tenantId,
                                  String agentId,
                                  String leaseId,
                                  String result,
                                  List<Learning> learnings) {
}
