-- Axon's JDBC sequenced dead-letter queue (JdbcSequencedDeadLetterQueue) for the projections: an event a projection's
-- handler cannot process is parked here with its error, together with every later event of the same sequence (the
-- same aggregate), while the projection goes on with the rest. Column names are Axon's DeadLetterSchema in snake_case
-- (ProjectionDeadLetters); the column types are those of Axon's GenericDeadLetterTableFactory for PostgreSQL
-- (instants as ISO-8601 text, serialized data as BYTEA).
-- Rollback: db/rollback/query/V7__dead_letters.rollback.sql (parked events are lost; retry them first).

CREATE TABLE dead_letter_entry (
    dead_letter_id       VARCHAR(255) NOT NULL,
    processing_group     VARCHAR(255) NOT NULL,
    sequence_identifier  VARCHAR(255) NOT NULL,
    sequence_index       BIGINT       NOT NULL,
    message_type         VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    aggregate_type       VARCHAR(255),
    aggregate_identifier VARCHAR(255),
    sequence_number      BIGINT,
    token_type           VARCHAR(255),
    token                BYTEA,
    enqueued_at          VARCHAR(255) NOT NULL,
    last_touched         VARCHAR(255),
    processing_started   VARCHAR(255),
    cause_type           VARCHAR(255),
    cause_message        TEXT,
    diagnostics          BYTEA,
    CONSTRAINT dead_letter_entry_pkey PRIMARY KEY (dead_letter_id),
    CONSTRAINT dead_letter_entry_sequence_index_key UNIQUE (processing_group, sequence_identifier, sequence_index)
);

CREATE INDEX dead_letter_entry_processing_group_idx ON dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_sequence_identifier_idx ON dead_letter_entry (processing_group, sequence_identifier);
