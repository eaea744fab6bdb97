package io.agentledger.command.tenant;

import io.agentledger.api.tenant.CreateTenantCommand;
import io.agentledger.api.tenant.TenantCreatedEvent;
import io.agentledger.api.tenant.TenantView;
import io.agentledger.command.DomainException;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A tenant: the boundary of everyone's data. Created by the operator, with its first admin. */
@Aggregate
class Tenant {

    static final int MAX_NAME_LENGTH = 200;

    @AggregateIdentifier
    private String tenantId;
    private String name;

    Tenant() {
        // for Axon
    }

    Tenant(CreateTenantCommand command) {
        String name = command.name() == null ? "" : command.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw DomainException.invalid("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        apply(new TenantCreatedEvent(command.tenantId(), name));
    }

    /** What auditors see of a tenant (its admin's key is shown once, at creation, and never kept here). */
    TenantView view() {
        return new TenantView(tenantId, name, null);
    }

    @EventSourcingHandler
    void on(TenantCreatedEvent event) {
        tenantId = event.tenantId();
        name = event.name();
    }
}
