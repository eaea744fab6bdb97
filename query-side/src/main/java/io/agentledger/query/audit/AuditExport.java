package io.agentledger.query.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a tenant's events as NDJSON (one {@link AuditEventView} per line, in position order) while it reads them,
 * so an export of any size takes constant memory. It is not a query of the query bus, which answers with one object
 * held whole in memory: it reads the database with a cursor itself. PostgreSQL's driver fetches rows in batches of
 * the fetch size only inside a transaction (autocommit off); otherwise it would load the whole result at once. The
 * caller's tenant is given by the controller, from the caller's token, like every query's.
 */
@Component
class AuditExport {

    static final int FETCH_SIZE = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final AuditRows rows;
    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    AuditExport(DataSource dataSource, PlatformTransactionManager transactions, AuditRows rows, ObjectMapper mapper) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.rows = rows;
        this.mapper = mapper;
        // one flush at the end (and whenever the buffers fill), not one per event
        this.writer = mapper.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    /** The tenant's events that happened in [{@code from}, {@code to}) (either bound may be null), to {@code out}. */
    void write(String tenantId, Instant from, Instant to, OutputStream out) throws IOException {
        StringBuilder sql = new StringBuilder("SELECT " + AuditRows.COLUMNS + " FROM audit_log a"
                + " JOIN domain_event_entry e ON e.global_index = a.global_index WHERE a.tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (from != null) {
            sql.append(" AND a.occurred_at >= ?");
            args.add(from.atOffset(ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" AND a.occurred_at < ?");
            args.add(to.atOffset(ZoneOffset.UTC));
        }
        sql.append(" ORDER BY a.global_index");
        try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            generator.setRootValueSeparator(null);
            readOnly.executeWithoutResult(status -> jdbc.query(sql.toString(), rs -> {
                try {
                    writer.writeValue(generator, rows.map(rs));
                    generator.writeRaw('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, args.toArray()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
