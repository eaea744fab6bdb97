-- Principals as admins list them, and as the query side checks revocations.
-- Rollback: db/rollback/query/V2__principals_read_model.rollback.sql, then replay the "principals" projection.

CREATE TABLE principals (
    id           VARCHAR(64)  NOT NULL,
    tenant_id    VARCHAR(64)  NOT NULL,
    name         VARCHAR(200) NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    capabilities TEXT[]       NOT NULL,
    revoked      BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ  NOT NULL,
    version      BIGINT       NOT NULL,
    CONSTRAINT principals_pkey PRIMARY KEY (id)
);

CREATE INDEX principals_tenant_created_idx ON principals (tenant_id, created_at, id);
