package io.agentledger.command.tenant;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.principal.RegisterPrincipalCommand;
import io.agentledger.api.principal.Role;
import io.agentledger.api.tenant.CreateTenantCommand;
import io.agentledger.api.tenant.TenantView;
import io.agentledger.command.DomainException;
import io.agentledger.command.principal.PrincipalCommandHandler;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Creates a tenant and its first admin in one unit of work: both aggregates' events and the lookup rows commit
 * together or not at all. Tenant names are unique, checked against the command side's own table.
 */
@Component
class TenantCommandHandler {

    private final Repository<Tenant> tenants;
    private final PrincipalCommandHandler principals;
    private final JdbcTemplate jdbc;

    TenantCommandHandler(@Qualifier("tenantRepository") Repository<Tenant> tenants,
                         PrincipalCommandHandler principals, JdbcTemplate jdbc) {
        this.tenants = tenants;
        this.principals = principals;
        this.jdbc = jdbc;
    }

    @CommandHandler
    TenantView handle(CreateTenantCommand command) throws Exception {
        tenants.newInstance(() -> new Tenant(command));
        String name = command.name().strip();
        int inserted = jdbc.update("INSERT INTO tenant (tenant_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                command.tenantId(), name);
        if (inserted == 0) {
            throw new DomainException(ErrorCode.ALREADY_EXISTS, "A tenant with this id or name already exists");
        }
        principals.register(new RegisterPrincipalCommand(
                command.adminPrincipalId(), command.tenantId(), name + " admin", Role.ADMIN, List.of(),
                command.adminApiKeyId(), command.adminApiKeyHash()));
        return new TenantView(command.tenantId(), name, null);
    }
}
