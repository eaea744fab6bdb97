package io.agentledger.command.tenant;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.principal.RegisterPrincipalCommand;
import io.agentledger.api.principal.Role;
import io.agentledger.api.tenant.CreateTenantCommand;
import io.agentledger.api.tenant.TenantCreatedEvent;
import io.agentledger.api.tenant.TenantView;
import io.agentledger.command.DomainMatchers;
import io.agentledger.command.principal.PrincipalCommandHandler;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class TenantAggregateTest {

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final PrincipalCommandHandler principals = mock(PrincipalCommandHandler.class);
    private FixtureConfiguration<Tenant> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        fixture.registerAnnotatedCommandHandler(new TenantCommandHandler(fixture.getRepository(), principals, jdbc));
    }

    @Test
    void createsTheTenantWithItsFirstAdmin() throws Exception {
        when(jdbc.update(anyString(), eq("t-1"), eq("Acme"))).thenReturn(1);
        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand("t-1", " Acme ", "admin-1", "key-1", "hash-1"))
                .expectEvents(new TenantCreatedEvent("t-1", "Acme"))
                .expectResultMessagePayload(new TenantView("t-1", "Acme", null));
        verify(principals).register(new RegisterPrincipalCommand("admin-1", "t-1", "Acme admin", Role.ADMIN,
                List.of(), "key-1", "hash-1"));
    }

    @Test
    void aTakenNameIsAlreadyExists() throws Exception {
        when(jdbc.update(anyString(), eq("t-2"), eq("Acme"))).thenReturn(0);
        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand("t-2", "Acme", "admin-2", "key-2", "hash-2"))
                .expectException(DomainMatchers.hasCode(ErrorCode.ALREADY_EXISTS));
        verify(principals, never()).register(any());
    }

    @Test
    void refusesABlankName() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand("t-3", " ", "admin-3", "key-3", "hash-3"))
                .expectNoEvents()
                .expectExceptionMessage("name must be 1 to 200 characters");
    }
}
