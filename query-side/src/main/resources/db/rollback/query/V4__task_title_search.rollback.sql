DROP INDEX IF EXISTS tasks_title_trgm_idx;
