-- The task list's q filter (title contains, case-insensitive) through a trigram index.
-- pg_trgm is a trusted extension: the database owner may create it.
-- Rollback: db/rollback/query/V4__task_title_search.rollback.sql (the filter keeps working, unindexed).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX tasks_title_trgm_idx ON tasks USING gin (lower(title) gin_trgm_ops);
