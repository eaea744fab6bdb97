-- The knowledge base read model, kept by the "knowledge" projection (KnowledgeProjection): the current revision of
-- every entry (knowledge_entries, searched) and every revision ever recorded (knowledge_revisions, for ?revision=N).
-- Rollback: db/rollback/query/V5__knowledge_read_model.rollback.sql, then replay the "knowledge" projection.

-- V4 created it already; repeated so this migration stands on its own
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- array_to_string is only STABLE (for arbitrary element types its output may depend on settings), so PostgreSQL
-- refuses it in a generated column. For TEXT[] it cannot vary: this wrapper says so, which lets the search vector be
-- a generated column that no statement can get wrong.
CREATE FUNCTION knowledge_tags_text(tags TEXT[]) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN array_to_string(tags, ' ');

CREATE TABLE knowledge_entries (
    id             VARCHAR(64)  NOT NULL,
    tenant_id      VARCHAR(255) NOT NULL,
    project_id     VARCHAR(64),
    source_task_id VARCHAR(64),
    title          TEXT         NOT NULL,
    body           TEXT         NOT NULL,
    tags           TEXT[]       NOT NULL,
    revision       INTEGER      NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    version        BIGINT       NOT NULL,
    -- weighted: title (A) > tags (B) > body (C)
    search_vector  TSVECTOR GENERATED ALWAYS AS (
                       setweight(to_tsvector('english'::regconfig, title), 'A')
                       || setweight(to_tsvector('english'::regconfig, coalesce(knowledge_tags_text(tags), '')), 'B')
                       || setweight(to_tsvector('english'::regconfig, body), 'C')) STORED,
    CONSTRAINT knowledge_entries_pkey PRIMARY KEY (id)
);

-- full-text search (websearch_to_tsquery ... @@ search_vector)
CREATE INDEX knowledge_entries_search_idx ON knowledge_entries USING gin (search_vector);
-- the typo fallback (query <% title, word similarity)
CREATE INDEX knowledge_entries_title_trgm_idx ON knowledge_entries USING gin (title gin_trgm_ops);
-- filters
CREATE INDEX knowledge_entries_status_idx ON knowledge_entries (tenant_id, status);
CREATE INDEX knowledge_entries_project_idx ON knowledge_entries (tenant_id, project_id);

CREATE TABLE knowledge_revisions (
    entry_id    VARCHAR(64) NOT NULL,
    revision    INTEGER     NOT NULL,
    title       TEXT        NOT NULL,
    body        TEXT        NOT NULL,
    tags        TEXT[]      NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT knowledge_revisions_pkey PRIMARY KEY (entry_id, revision)
);
