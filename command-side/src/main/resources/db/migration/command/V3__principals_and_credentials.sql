-- Command-side lookup tables for authentication, written in the same transaction as the Principal and Tenant
-- events. Credentials are stored only as keyed hashes (HMAC-SHA-256 with the server secret).
-- Rollback: db/rollback/command/V3__principals_and_credentials.rollback.sql (every key and token stops working).

CREATE TABLE tenant (
    tenant_id  VARCHAR(64)  NOT NULL,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT tenant_pkey PRIMARY KEY (tenant_id),
    CONSTRAINT tenant_name_key UNIQUE (name)
);

CREATE TABLE principal_account (
    principal_id VARCHAR(64)  NOT NULL,
    tenant_id    VARCHAR(64)  NOT NULL,
    name         VARCHAR(200) NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    capabilities TEXT[]       NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT principal_account_pkey PRIMARY KEY (principal_id)
);

CREATE TABLE api_key (
    key_id       VARCHAR(64) NOT NULL,
    principal_id VARCHAR(64) NOT NULL REFERENCES principal_account (principal_id),
    key_hash     CHAR(64)    NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT api_key_pkey PRIMARY KEY (key_id),
    CONSTRAINT api_key_hash_key UNIQUE (key_hash)
);

-- Refresh tokens rotate on every use; all tokens descending from one login share a family, revoked as a whole
-- when a used token is presented again.
CREATE TABLE refresh_token (
    token_hash   CHAR(64)    NOT NULL,
    family_id    VARCHAR(64) NOT NULL,
    principal_id VARCHAR(64) NOT NULL REFERENCES principal_account (principal_id),
    issued_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT refresh_token_pkey PRIMARY KEY (token_hash)
);

CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);
CREATE INDEX refresh_token_principal_idx ON refresh_token (principal_id);
