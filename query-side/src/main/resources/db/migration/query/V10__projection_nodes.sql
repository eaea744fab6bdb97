-- The query-side nodes that are alive, each heartbeating its row every few seconds (ProjectionNodes). Axon without
-- Axon Server has no view of the other nodes; with this count each node's pooled streaming processors claim their fair
-- share of a projection's segments (Axon's MaxSegmentProvider) and release the surplus when a node joins.
-- Rollback: db/rollback/query/V10__projection_nodes.rollback.sql.

CREATE TABLE projection_node (
    node_id   VARCHAR(255) NOT NULL,
    last_seen TIMESTAMPTZ  NOT NULL,
    CONSTRAINT projection_node_pkey PRIMARY KEY (node_id)
);
