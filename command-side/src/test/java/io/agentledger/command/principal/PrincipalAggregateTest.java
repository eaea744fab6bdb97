package io.agentledger.command.principal;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.principal.ApiKeyIssuedEvent;
import io.agentledger.api.principal.PrincipalRegisteredEvent;
import io.agentledger.api.principal.PrincipalRevokedEvent;
import io.agentledger.api.principal.PrincipalView;
import io.agentledger.api.principal.RegisterPrincipalCommand;
import io.agentledger.api.principal.RevokePrincipalCommand;
import io.agentledger.api.principal.Role;
import io.agentledger.command.DomainException;
import io.agentledger.command.DomainMatchers;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class PrincipalAggregateTest {

    private static final String ID = "7d0c4a39-0000-4000-8000-000000000001";
    private static final String TENANT = "tenant-a";

    private final Credentials credentials = mock(Credentials.class);
    private FixtureConfiguration<Principal> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Principal.class);
        fixture.registerAnnotatedCommandHandler(new PrincipalCommandHandler(fixture.getRepository(), credentials));
    }

    @Test
    void registersWithNormalizedCapabilitiesAndIssuesTheKey() {
        fixture.givenNoPriorActivity()
                .when(register(" Builder ", Role.AGENT, " Java", "db", "java"))
                .expectEvents(new PrincipalRegisteredEvent(ID, TENANT, "Builder", Role.AGENT, List.of("db", "java")),
                        new ApiKeyIssuedEvent(ID, TENANT, "key-1"))
                .expectResultMessagePayloadMatching(new CustomTypeSafeMatcher<>("the principal at version 1") {
                    @Override
                    protected boolean matchesSafely(Object item) {
                        return item instanceof PrincipalView view && view.version() == 1 && !view.revoked()
                                && view.apiKey() == null && view.role() == Role.AGENT;
                    }
                });
        verify(credentials).register(any(), anyString(), anyString());
    }

    @Test
    void refusesABlankNameOrBadCapabilitiesAndStoresNoKey() {
        fixture.givenNoPriorActivity()
                .when(register("  ", Role.AGENT))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectExceptionMessage("name must be 1 to 200 characters");
        fixture.givenNoPriorActivity()
                .when(register("ok", Role.AGENT, " "))
                .expectNoEvents()
                .expectException(DomainException.class);
        String[] tooMany = new String[65];
        Arrays.setAll(tooMany, i -> "c" + i);
        fixture.givenNoPriorActivity()
                .when(register("ok", Role.AGENT, tooMany))
                .expectNoEvents()
                .expectException(DomainException.class);
        verify(credentials, never()).register(any(), anyString(), anyString());
    }

    @Test
    void revokesOnceAndRevokesTheCredentialsWithIt() {
        fixture.given(registered())
                .when(new RevokePrincipalCommand(ID, TENANT))
                .expectEvents(new PrincipalRevokedEvent(ID, TENANT));
        verify(credentials).revoke(ID);

        fixture.given(registered(), new PrincipalRevokedEvent(ID, TENANT))
                .when(new RevokePrincipalCommand(ID, TENANT))
                .expectNoEvents()
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void anotherTenantCannotRevoke() {
        fixture.given(registered())
                .when(new RevokePrincipalCommand(ID, "tenant-b"))
                .expectNoEvents()
                .expectException(DomainMatchers.hasCode(ErrorCode.NOT_FOUND));
    }

    private static PrincipalRegisteredEvent registered() {
        return new PrincipalRegisteredEvent(ID, TENANT, "Builder", Role.AGENT, List.of());
    }

    private static RegisterPrincipalCommand register(String name, Role role, String... capabilities) {
        return new RegisterPrincipalCommand(ID, TENANT, name, role, List.of(capabilities), "key-1", "hash");
    }
}
