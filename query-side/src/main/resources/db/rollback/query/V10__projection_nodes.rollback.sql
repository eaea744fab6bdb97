-- Drop, then delete version 10 from flyway_query_history. Without the table every node claims as many segments as it
-- can (the first node to start takes them all); nothing else is lost.
DROP TABLE IF EXISTS projection_node;
