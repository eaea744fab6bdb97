package io.agentledger.command.principal;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.principal.ApiKeyIssuedEvent;
import io.agentledger.api.principal.PrincipalRegisteredEvent;
import io.agentledger.api.principal.PrincipalRevokedEvent;
import io.agentledger.api.principal.PrincipalView;
import io.agentledger.api.principal.RegisterPrincipalCommand;
import io.agentledger.api.principal.Role;
import io.agentledger.command.DomainException;
import io.agentledger.command.Names;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * Someone or something that calls the API: registered with a role and capabilities, given keys, revoked. Its
 * commands arrive through {@link PrincipalCommandHandler}, which also keeps the key lookup table.
 */
@Aggregate
class Principal {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_CAPABILITIES = 64;
    static final int MAX_CAPABILITY_LENGTH = 64;

    @AggregateIdentifier
    private String principalId;
    private String tenantId;
    private String name;
    private Role role;
    private List<String> capabilities;
    private boolean revoked;
    private Instant createdAt;
    private long version;

    Principal() {
        // for Axon
    }

    Principal(RegisterPrincipalCommand command) {
        String validName = command.name() == null ? "" : command.name().strip();
        if (validName.isEmpty() || validName.length() > MAX_NAME_LENGTH) {
            throw DomainException.invalid("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        apply(new PrincipalRegisteredEvent(command.principalId(), command.tenantId(), validName, command.role(),
                normalized(command.capabilities())));
        apply(new ApiKeyIssuedEvent(command.principalId(), command.tenantId(), command.apiKeyId()));
    }

    /** @return false when it was revoked already (nothing changes) */
    boolean revoke(String callerTenant) {
        requireTenant(callerTenant);
        if (revoked) {
            return false;
        }
        apply(new PrincipalRevokedEvent(principalId, tenantId));
        return true;
    }

    void requireTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No principal " + principalId);
        }
    }

    PrincipalView view() {
        return new PrincipalView(principalId, tenantId, name, role, capabilities, revoked, createdAt, version, null);
    }

    @EventSourcingHandler
    void on(PrincipalRegisteredEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        principalId = event.principalId();
        tenantId = event.tenantId();
        name = event.name();
        role = event.role();
        capabilities = event.capabilities();
        createdAt = at;
        version = sequence;
    }

    @EventSourcingHandler
    void on(ApiKeyIssuedEvent event, @SequenceNumber long sequence) {
        version = sequence;
    }

    @EventSourcingHandler
    void on(PrincipalRevokedEvent event, @SequenceNumber long sequence) {
        revoked = true;
        version = sequence;
    }

    static List<String> normalized(List<String> capabilities) {
        return Names.normalized("capabilities", capabilities, MAX_CAPABILITIES, MAX_CAPABILITY_LENGTH);
    }
}
