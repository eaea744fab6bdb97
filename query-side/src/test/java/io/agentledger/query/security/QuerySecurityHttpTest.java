package io.agentledger.query.security;

import io.agentledger.api.common.PageRequest;
import io.agentledger.api.principal.FindPrincipalsQuery;
import io.agentledger.api.principal.PrincipalRegisteredEvent;
import io.agentledger.api.principal.PrincipalRevokedEvent;
import io.agentledger.api.principal.Role;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.query.QuerySideTest;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class QuerySecurityHttpTest extends QuerySideTest {

    @Autowired
    QueryGateway queryGateway;
    @Autowired
    JwtDecoder decoder;

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void readsNeedAValidTokenAndEchoARequestId() {
        Response missing = get("/v1/projects", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(missing.header("X-Request-Id")).isNotBlank();
        String valid = token("default", ADMIN, "admin");
        String[] parts = valid.split("\\.");
        assertThat(get("/v1/projects", parts[0] + "." + parts[1] + ".c2lnbmF0dXJl").status()).isEqualTo(401);
        assertThat(get("/v1/projects", token("default", ADMIN, "wizard")).status()).isEqualTo(401);
        assertThat(get("/v1/projects", valid).status()).isEqualTo(200);
        assertThat(get("/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    void onlyAdminsListPrincipalsAndOnlyTheirTenants() {
        String mine = UUID.randomUUID().toString();
        String theirs = UUID.randomUUID().toString();
        append("Principal", mine, 0, new PrincipalRegisteredEvent(mine, "default", "Mine", Role.AGENT, List.of("java")));
        append("Principal", theirs, 0, new PrincipalRegisteredEvent(theirs, "other", "Theirs", Role.AGENT, List.of()));

        await().atMost(Duration.ofSeconds(10)).until(() -> listPrincipals().contains(mine));
        assertThat(listPrincipals()).doesNotContain(theirs);
        Response agent = get("/v1/principals", token("default", mine, "agent"));
        assertThat(agent.status()).isEqualTo(403);
        assertThat(agent.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void aRevokedPrincipalsTokensStopWorking() {
        String id = UUID.randomUUID().toString();
        String token = token("default", id, "agent");
        append("Principal", id, 0, new PrincipalRegisteredEvent(id, "default", "Soon gone", Role.AGENT, List.of()));
        assertThat(get("/v1/projects", token).status()).isEqualTo(200);

        append("Principal", id, 1, new PrincipalRevokedEvent(id, "default"));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/v1/projects", token).status() == 401);
    }

    @Test
    void anotherTenantsProjectsAreInvisible() {
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, "default", "Default's", null));
        assertThat(get("/v1/projects/" + project + "?minVersion=0").status()).isEqualTo(200);

        String other = token("tenant-b", UUID.randomUUID().toString(), "admin");
        Response read = get("/v1/projects/" + project, other);
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.code()).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/projects?limit=200", other).raw().body()).doesNotContain(project);
    }

    @Test
    void theQueryBusAnswersOnlyForTheCallersTenant() {
        SecurityContextHolder.getContext().setAuthentication(
                new JwtAuthenticationToken(decoder.decode(token("tenant-a", ADMIN, "admin"))));

        assertThatThrownBy(() -> queryGateway.query(new FindPrincipalsQuery("tenant-b", new PageRequest(10, null)),
                ResponseTypes.instanceOf(Object.class)).join()).hasStackTraceContaining("another tenant");
        assertThat(queryGateway.query(new FindPrincipalsQuery("tenant-a", new PageRequest(10, null)),
                ResponseTypes.instanceOf(Object.class)).join()).isNotNull();
    }

    private List<String> listPrincipals() {
        List<String> ids = new ArrayList<>();
        get("/v1/principals?limit=200").body().get("items").forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }
}
