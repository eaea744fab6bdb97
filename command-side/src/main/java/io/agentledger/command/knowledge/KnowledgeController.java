package io.agentledger.command.knowledge;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.knowledge.KnowledgeView;
import io.agentledger.api.knowledge.RecordKnowledgeCommand;
import io.agentledger.api.knowledge.RetireKnowledgeCommand;
import io.agentledger.api.knowledge.ReviseKnowledgeCommand;
import io.agentledger.command.DomainException;
import io.agentledger.command.registry.Registry;
import io.agentledger.command.web.CommandSender;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping("/v1/knowledge")
@PreAuthorize("hasAnyRole('ADMIN', 'AGENT')")
class KnowledgeController {

    private final CommandSender commands;
    private final Registry registry;

    KnowledgeController(CommandSender commands, Registry registry) {
        this.commands = commands;
        this.registry = registry;
    }

    @PostMapping
    ResponseEntity<KnowledgeView> record(@Valid @RequestBody RecordRequest request, Caller caller) {
        if (request.projectId() != null && registry.projectArchived(caller.tenantId(), request.projectId()).isEmpty()) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No project " + request.projectId());
        }
        if (request.sourceTaskId() != null
                && registry.projectOfTaskArchived(caller.tenantId(), request.sourceTaskId()).isEmpty()) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No task " + request.sourceTaskId());
        }
        String id = UUID.randomUUID().toString();
        KnowledgeView entry = commands.send(new RecordKnowledgeCommand(id, caller.tenantId(), request.projectId(),
                request.sourceTaskId(), request.title(), request.body(), request.tags()), caller);
        return ResponseEntity.created(URI.create("/v1/knowledge/" + id)).body(entry);
    }

    @PutMapping("/{id}")
    KnowledgeView revise(@PathVariable String id, @Valid @RequestBody ReviseRequest request, Caller caller) {
        return commands.send(new ReviseKnowledgeCommand(id, caller.tenantId(), request.title(), request.body(),
                request.tags()), caller);
    }

    @PostMapping("/{id}/retire")
    KnowledgeView retire(@PathVariable String id, Caller caller) {
        return commands.send(new RetireKnowledgeCommand(id, caller.tenantId()), caller);
    }

    record RecordRequest(@NotBlank @Size(max = KnowledgeEntry.MAX_TITLE) String title,
                         @NotBlank @Size(max = KnowledgeEntry.MAX_BODY) String body,
                         @Size(max = KnowledgeEntry.MAX_TAGS) List<@NotNull String> tags,
                         @Size(max = 64) String projectId,
                         @Size(max = 64) String sourceTaskId) {
    }

    record ReviseRequest(@NotBlank @Size(max = KnowledgeEntry.MAX_TITLE) String title,
                         @NotBlank @Size(max = KnowledgeEntry.MAX_BODY) String body,
                         @Size(max = KnowledgeEntry.MAX_TAGS) List<@NotNull String> tags) {
    }
}
