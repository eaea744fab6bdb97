package io.agentledger.command.project;

import io.agentledger.api.common.Caller;
import io.agentledger.api.project.ArchiveProjectCommand;
import io.agentledger.api.project.ChangeProjectDetailsCommand;
import io.agentledger.api.project.CreateProjectCommand;
import io.agentledger.api.project.ProjectView;
import io.agentledger.command.web.CommandSender;
import io.agentledger.command.web.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.UUID;

@RestController
@RequestMapping("/v1/projects")
@PreAuthorize("hasRole('ADMIN')")
class ProjectController {

    private final CommandSender commands;

    ProjectController(CommandSender commands) {
        this.commands = commands;
    }

    @PostMapping
    ResponseEntity<ProjectView> create(@Valid @RequestBody CreateProjectRequest request, Caller caller) {
        String id = request.id() == null ? UUID.randomUUID().toString() : request.id().toLowerCase();
        ProjectView project = commands.send(
                new CreateProjectCommand(id, caller.tenantId(), request.name(), request.description()), caller);
        return ResponseEntity.created(URI.create("/v1/projects/" + id)).body(project);
    }

    @PatchMapping("/{id}")
    ProjectView change(@PathVariable String id, @Valid @RequestBody ChangeProjectRequest request, Caller caller) {
        return commands.send(
                new ChangeProjectDetailsCommand(id, caller.tenantId(), request.name(), request.description()), caller);
    }

    @PostMapping("/{id}/archive")
    ProjectView archive(@PathVariable String id, Caller caller) {
        return commands.send(new ArchiveProjectCommand(id, caller.tenantId()), caller);
    }

    record CreateProjectRequest(@Pattern(regexp = Ids.UUID_PATTERN, message = "must be a UUID") String id,
                                @NotBlank @Size(max = Project.MAX_NAME_LENGTH) String name,
                                @Size(max = Project.MAX_DESCRIPTION_LENGTH) String description) {
    }

    record ChangeProjectRequest(@Size(min = 1, max = Project.MAX_NAME_LENGTH) String name,
                                @Size(max = Project.MAX_DESCRIPTION_LENGTH) String description) {
    }
}
