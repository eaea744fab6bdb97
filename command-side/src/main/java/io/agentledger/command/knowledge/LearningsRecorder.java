package io.agentledger.command.knowledge;

import io.agentledger.api.knowledge.RecordKnowledgeCommand;
import io.agentledger.api.task.Learning;
import io.agentledger.api.task.TaskCompletedEvent;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Turns the learnings of a completed task into knowledge entries linked to the task and its project. Each
 * learning's entry id is derived from the task and its position, so a redelivered or replayed completion finds
 * its entries already recorded and records nothing twice. Completions without learnings are not handed to it at
 * all ({@link OnlyWithLearnings}).
 */
@Component
@ProcessingGroup("task-learnings")
@DisallowReplay
class LearningsRecorder {

    private final CommandGateway commands;

    LearningsRecorder(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    @OnlyWithLearnings.Handles
    void on(TaskCompletedEvent event) {
        List<Learning> learnings = event.learnings();
        for (int i = 0; i < learnings.size(); i++) {
            Learning learning = learnings.get(i);
            RecordKnowledgeCommand command = new RecordKnowledgeCommand(entryId(event.taskId(), i), event.tenantId(),
                    event.projectId(), event.taskId(), learning.title(), learning.body(), learning.tags());
            try {
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(MetaData.with(
                        "tenantId", event.tenantId()).and("principalId", event.agentId()).and("role", "agent")));
            } catch (AggregateStreamCreationException alreadyRecorded) {
                // a redelivery: this learning's entry exists
            }
        }
    }

    static String entryId(String taskId, int index) {
        return UUID.nameUUIDFromBytes(("learning:" + taskId + ":" + index).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
