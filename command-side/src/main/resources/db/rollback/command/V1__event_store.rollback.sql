-- Rolls back V1 only on a store that holds no events worth keeping: the event store is the system of record and
-- otherwise only moves forward (docs/operations.md). Run by hand, then delete version 1 from flyway_command_history.
DROP TABLE IF EXISTS token_entry;
DROP TABLE IF EXISTS snapshot_event_entry;
DROP TABLE IF EXISTS domain_event_entry;
