package io.agentledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export of 100 000 events of about 1 KiB each (about 120 MiB of NDJSON) in bounded memory. The test and the
 * server share one JVM, so the heap in use is sampled (after a full collection) while the lines are read, each
 * counted and dropped: a server that held the result, or the response, in memory would show it.
 */
class AuditExportVolumeTest extends AuditTestSupport {

    static final int EVENTS = 100_000;
    static final int PAYLOAD_CHARS = 1000;
    static final long MAX_HEAP_GROWTH = 64L << 20;

    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void oneHundredThousandEventsAreExportedInBoundedMemory() throws Exception {
        String tenant = newTenant();
        // The events and their audit log rows are written directly, in two statements (100 000 appends and their
        // indexing would take minutes), while every processor is stopped; afterwards they are deleted and the global
        // index sequence is set back, so no processor ever sees them and the store is as the other tests left it.
        List<EventProcessor> processors = List.copyOf(processing.eventProcessors().values());
        processors.forEach(EventProcessor::shutDown);
        long head = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM domain_event_entry", Long.class);
        try {
            append(tenant);
            export(tenant);
        } finally {
            jdbc.update("DELETE FROM audit_log WHERE global_index > ?", head);
            jdbc.update("DELETE FROM domain_event_entry WHERE global_index > ?", head);
            jdbc.queryForObject("SELECT setval(pg_get_serial_sequence('domain_event_entry', 'global_index'), ?, ?)",
                    Long.class, Math.max(head, 1), head > 0);
            processors.forEach(EventProcessor::start);
        }
    }

    /** As the command side would have appended them: a tenant's creation, of about 1 KiB each. */
    private void append(String tenant) {
        long started = System.nanoTime();
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,"
                        + " time_stamp, payload_type, payload_revision, payload, meta_data)"
                        + " SELECT gen_random_uuid()::text, ? || (g / 100), g % 100, 'Tenant',"
                        + " to_char((?::timestamptz + g * interval '1 millisecond') AT TIME ZONE 'UTC',"
                        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'io.agentledger.api.tenant.TenantCreatedEvent', '1',"
                        + " convert_to(json_build_object('tenantId', ?::text, 'name', lpad(g::text, ?, 'n'))::text,"
                        + " 'UTF8'), convert_to(json_build_object('tenantId', ?::text, 'requestId', 'bulk-' || g)::text,"
                        + " 'UTF8') FROM generate_series(0, ? - 1) AS g",
                tenant + "-", Instant.parse("2024-06-01T00:00:00Z").toString(), tenant, PAYLOAD_CHARS, tenant, EVENTS);
        jdbc.update("INSERT INTO audit_log (global_index, tenant_id, aggregate_type, aggregate_id, sequence_number,"
                + " event_type, occurred_at) SELECT global_index, ?, type, aggregate_identifier, sequence_number,"
                + " 'TenantCreatedEvent', time_stamp::timestamptz FROM domain_event_entry"
                + " WHERE aggregate_identifier LIKE ? || '%'", tenant, tenant + "-");
        System.out.printf("appended %d events in %d ms%n", EVENTS, (System.nanoTime() - started) / 1_000_000);
    }

    private void export(String tenant) throws Exception {
        long started = System.nanoTime();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedHeapAfterGc(memory);
        long peak = baseline;
        long lines = 0;
        long bytes = 0;
        long lastPosition = 0;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/audit/export"))
                .header("Authorization", "Bearer " + auditor(tenant)).GET().build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> body = response.body()) {
            Iterator<String> iterator = body.iterator();
            while (iterator.hasNext()) {
                String line = iterator.next();
                lines++;
                bytes += line.length() + 1;
                if (lines == 1 || lines == EVENTS) {
                    JsonNode event = mapper.readTree(line);
                    assertThat(event.get("payload").get("tenantId").asText()).isEqualTo(tenant);
                    assertThat(event.get("type").asText()).isEqualTo("TenantCreatedEvent");
                    assertThat(event.get("metadata").get("requestId").asText()).isEqualTo("bulk-" + (lines - 1));
                }
                long position = position(line);
                assertThat(position).isGreaterThan(lastPosition);
                lastPosition = position;
                if (lines % 10_000 == 0) {
                    peak = Math.max(peak, usedHeapAfterGc(memory));
                }
            }
        }
        System.out.printf("exported %d lines, %d MiB in %d ms; heap in use %d MiB before, at most %d MiB more%n",
                lines, bytes >> 20, (System.nanoTime() - started) / 1_000_000, baseline >> 20,
                (peak - baseline) >> 20);
        assertThat(lines).isEqualTo(EVENTS);
        assertThat(bytes).isGreaterThan((long) EVENTS * PAYLOAD_CHARS);
        assertThat(peak - baseline).as("heap growth while exporting").isLessThan(MAX_HEAP_GROWTH);
    }

    private static long position(String line) throws IOException {
        int start = line.indexOf("\"position\":") + "\"position\":".length();
        int end = line.indexOf(',', start);
        return Long.parseLong(line.substring(start, end));
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
