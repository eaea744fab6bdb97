-- Drop, then delete version 5 from flyway_query_history and restart: Flyway recreates the tables, and the
-- "knowledge" projection rebuilds them from the event store once its token is reset
-- (docs/operations.md, "Read models: drop and replay"). pg_trgm belongs to V4 and stays.
DROP TABLE IF EXISTS knowledge_revisions;
DROP TABLE IF EXISTS knowledge_entries;
DROP FUNCTION IF EXISTS knowledge_tags_text(TEXT[]);
