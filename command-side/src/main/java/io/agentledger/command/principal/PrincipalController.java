package io.agentledger.command.principal;

import io.agentledger.api.common.Caller;
import io.agentledger.api.principal.PrincipalView;
import io.agentledger.api.principal.RegisterPrincipalCommand;
import io.agentledger.api.principal.RevokePrincipalCommand;
import io.agentledger.api.principal.Role;
import io.agentledger.command.auth.ApiKeys;
import io.agentledger.command.auth.RevokedPrincipals;
import io.agentledger.command.web.CommandSender;
import io.agentledger.command.web.IdempotencyFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping("/v1/principals")
@PreAuthorize("hasRole('ADMIN')")
class PrincipalController {

    private final CommandSender commands;
    private final ApiKeys apiKeys;
    private final RevokedPrincipals revoked;

    PrincipalController(CommandSender commands, ApiKeys apiKeys, RevokedPrincipals revoked) {
        this.commands = commands;
        this.apiKeys = apiKeys;
        this.revoked = revoked;
    }

    /** The key is in this response only; the server keeps its keyed hash. */
    @PostMapping
    ResponseEntity<PrincipalView> register(@Valid @RequestBody RegisterRequest request, Caller caller,
                                           HttpServletRequest http) {
        ApiKeys.Issued key = apiKeys.issue();
        String id = UUID.randomUUID().toString();
        PrincipalView principal = commands.send(new RegisterPrincipalCommand(id, caller.tenantId(), request.name(),
                Role.of(request.role()), request.capabilities(), key.id(), key.hash()), caller);
        IdempotencyFilter.secretFields(http, "apiKey");
        return ResponseEntity.created(URI.create("/v1/principals/" + id)).body(principal.withApiKey(key.value()));
    }

    @PostMapping("/{id}/revoke")
    PrincipalView revoke(@PathVariable String id, Caller caller) {
        PrincipalView principal = commands.send(new RevokePrincipalCommand(id, caller.tenantId()), caller);
        revoked.revoked(id);
        return principal;
    }

    record RegisterRequest(@NotBlank @Size(max = 200) String name,
                           @NotNull @Pattern(regexp = "admin|agent|auditor|analyst",
                                   message = "must be admin, agent, auditor or analyst") String role,
                           @Size(max = 64) List<@NotBlank @Size(max = 64) String> capabilities) {
    }
}
