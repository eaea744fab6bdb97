-- The audit log index, kept by the "audit-log" projection (AuditLogProjection): one row per domain event of the event
-- store with the tenant it belongs to, so that a tenant's global audit stream and its export find that tenant's events
-- through an index instead of scanning the whole store. The events themselves (payload, metadata) stay in
-- domain_event_entry, the record, and are joined by global_index.
-- Rollback: db/rollback/query/V6__audit_log.rollback.sql, then replay the "audit-log" projection.

CREATE TABLE audit_log (
    global_index    BIGINT       NOT NULL,
    tenant_id       VARCHAR(255) NOT NULL,
    aggregate_type  VARCHAR(255),
    aggregate_id    VARCHAR(255) NOT NULL,
    sequence_number BIGINT       NOT NULL,
    -- the simple name of the payload class, e.g. TaskClaimedEvent
    event_type      VARCHAR(255) NOT NULL,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT audit_log_pkey PRIMARY KEY (global_index)
);

-- the tenant's stream in position order (GET /v1/audit/events, the export without a time range)
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, global_index);
-- the stream filtered by event type
CREATE INDEX audit_log_event_type_idx ON audit_log (tenant_id, event_type, global_index);
-- the stream filtered by aggregate type
CREATE INDEX audit_log_aggregate_type_idx ON audit_log (tenant_id, aggregate_type, global_index);
-- the export of a time range
CREATE INDEX audit_log_occurred_at_idx ON audit_log (tenant_id, occurred_at, global_index);
