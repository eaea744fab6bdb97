-- First responses of POST requests sent with an Idempotency-Key, replayed for 24 hours.
-- Rollback: db/rollback/command/V2__idempotency.rollback.sql (safe at any time; only replay memory is lost).

CREATE TABLE idempotency_record (
    principal_id    VARCHAR(255) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    VARCHAR(64)  NOT NULL,
    status          INTEGER,
    content_type    VARCHAR(255),
    location        VARCHAR(2048),
    body            BYTEA,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_record_pkey PRIMARY KEY (principal_id, idempotency_key)
);

CREATE INDEX idempotency_record_created_at_idx ON idempotency_record (created_at);
