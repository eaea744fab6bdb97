package io.agentledger.command.tenant;

import io.agentledger.api.common.Caller;
import io.agentledger.api.tenant.CreateTenantCommand;
import io.agentledger.api.tenant.TenantView;
import io.agentledger.command.auth.ApiKeys;
import io.agentledger.command.web.CommandSender;
import io.agentledger.command.web.IdempotencyFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

@RestController
class TenantController {

    private final CommandSender commands;
    private final ApiKeys apiKeys;

    TenantController(CommandSender commands, ApiKeys apiKeys) {
        this.commands = commands;
        this.apiKeys = apiKeys;
    }

    @PostMapping("/v1/tenants")
    @PreAuthorize("hasRole('OPERATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    TenantView create(@Valid @RequestBody CreateTenantRequest request, Caller caller, HttpServletRequest http) {
        ApiKeys.Issued adminKey = apiKeys.issue();
        TenantView tenant = commands.send(new CreateTenantCommand(UUID.randomUUID().toString(), request.name(),
                UUID.randomUUID().toString(), adminKey.id(), adminKey.hash()), caller);
        IdempotencyFilter.secretFields(http, "adminApiKey");
        return new TenantView(tenant.id(), tenant.name(), adminKey.value());
    }

    record CreateTenantRequest(@NotBlank @Size(max = Tenant.MAX_NAME_LENGTH) String name) {
    }
}
