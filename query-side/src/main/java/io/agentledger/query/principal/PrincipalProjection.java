package io.agentledger.query.principal;

import io.agentledger.api.common.PageRequest;
import io.agentledger.api.principal.ApiKeyIssuedEvent;
import io.agentledger.api.principal.FindPrincipalsQuery;
import io.agentledger.api.principal.PrincipalPage;
import io.agentledger.api.principal.PrincipalRegisteredEvent;
import io.agentledger.api.principal.PrincipalRevokedEvent;
import io.agentledger.api.principal.PrincipalView;
import io.agentledger.api.principal.Role;
import io.agentledger.query.web.Cursor;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code principals} read model: replay-safe upserts guarded by the aggregate version. Never keys. */
@Component
@ProcessingGroup(PrincipalProjection.NAME)
public class PrincipalProjection {

    static final String NAME = "principals";

    private final JdbcTemplate jdbc;

    PrincipalProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PrincipalRegisteredEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        jdbc.update("INSERT INTO principals (id, tenant_id, name, role, capabilities, created_at, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                event.principalId(), event.tenantId(), event.name(), event.role().name(),
                event.capabilities().toArray(String[]::new), at.atOffset(ZoneOffset.UTC), version);
    }

    @EventHandler
    void on(ApiKeyIssuedEvent event, @SequenceNumber long version) {
        jdbc.update("UPDATE principals SET version = ? WHERE id = ? AND version < ?",
                version, event.principalId(), version);
    }

    @EventHandler
    void on(PrincipalRevokedEvent event, @SequenceNumber long version) {
        jdbc.update("UPDATE principals SET revoked = TRUE, version = ? WHERE id = ? AND version < ?",
                version, event.principalId(), version);
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM principals");
    }

    @QueryHandler
    PrincipalPage handle(FindPrincipalsQuery query) {
        PageRequest page = query.page();
        List<Object> args = new ArrayList<>(List.of(query.tenantId()));
        String after = "";
        if (page.cursor() != null) {
            Cursor cursor = Cursor.decode(page.cursor());
            after = " AND (created_at, id) > (?, ?)";
            args.add(cursor.at().atOffset(ZoneOffset.UTC));
            args.add(cursor.id());
        }
        args.add(page.limit() + 1);
        List<PrincipalView> rows = jdbc.query("SELECT id, tenant_id, name, role, capabilities, revoked, created_at,"
                + " version FROM principals WHERE tenant_id = ?" + after + " ORDER BY created_at, id LIMIT ?",
                row(), args.toArray());
        if (rows.size() <= page.limit()) {
            return new PrincipalPage(rows, null);
        }
        List<PrincipalView> items = List.copyOf(rows.subList(0, page.limit()));
        PrincipalView last = items.get(items.size() - 1);
        return new PrincipalPage(items, new Cursor(last.createdAt(), last.id()).encode());
    }

    /** Whether the principal was revoked, as far as this read model knows. */
    public boolean isRevoked(String principalId) {
        return jdbc.queryForList("SELECT revoked FROM principals WHERE id = ?", Boolean.class, principalId)
                .stream().findFirst().orElse(false);
    }

    private static RowMapper<PrincipalView> row() {
        return (rs, n) -> new PrincipalView(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"),
                Role.valueOf(rs.getString("role")),
                Arrays.asList((String[]) rs.getArray("capabilities").getArray()), rs.getBoolean("revoked"),
                rs.getTimestamp("created_at").toInstant(), rs.getLong("version"), null);
    }
}
