package io.agentledger.command.principal;

import io.agentledger.api.principal.PrincipalView;
import io.agentledger.api.principal.RegisterPrincipalCommand;
import io.agentledger.api.principal.RevokePrincipalCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Principal commands, plus the credential lookup tables they keep: the table rows are written in the unit of
 * work's transaction, the one that appends the events, so the two never disagree.
 */
@Component
public class PrincipalCommandHandler {

    private final Repository<Principal> principals;
    private final Credentials credentials;

    PrincipalCommandHandler(@Qualifier("principalRepository") Repository<Principal> principals,
                            Credentials credentials) {
        this.principals = principals;
        this.credentials = credentials;
    }

    @CommandHandler
    PrincipalView handle(RegisterPrincipalCommand command) throws Exception {
        return register(command);
    }

    @CommandHandler
    PrincipalView handle(RevokePrincipalCommand command) {
        Aggregate<Principal> principal = principals.load(command.principalId());
        if (principal.invoke(p -> p.revoke(command.tenantId()))) {
            credentials.revoke(command.principalId());
        }
        return principal.invoke(Principal::view);
    }

    /** Registers in the current unit of work; also used when a tenant is created with its first admin. */
    public PrincipalView register(RegisterPrincipalCommand command) throws Exception {
        Aggregate<Principal> principal = principals.newInstance(() -> new Principal(command));
        PrincipalView view = principal.invoke(Principal::view);
        credentials.register(view, command.apiKeyId(), command.apiKeyHash());
        return view;
    }
}
