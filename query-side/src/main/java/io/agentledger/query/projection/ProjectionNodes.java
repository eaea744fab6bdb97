package io.agentledger.query.projection;

import org.axonframework.config.ConfigurerModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shares each projection's segments fairly among the query nodes on one database. Every node heartbeats its row in
 * {@code projection_node}; Axon's pooled streaming processors ask their {@code MaxSegmentProvider} how many segments
 * this node may hold, which is the segment count divided by the live nodes, rounded up. A node that joins makes the
 * others release their surplus (Axon's coordinator does that), and the segments of a node that stops are claimed by
 * the rest once it is gone (at once after a clean stop, after the token claim timeout after a crash).
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionNodes implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectionNodes.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    private static final Duration ALIVE = HEARTBEAT.multipliedBy(3);
    private static final long CACHE_MILLIS = 1000;

    private final JdbcTemplate jdbc;
    private final String nodeId;
    private final Map<String, Cached> segmentCounts = new ConcurrentHashMap<>();
    private volatile Cached liveNodes = new Cached(1, 0);
    private ScheduledExecutorService heartbeat;

    public ProjectionNodes(JdbcTemplate jdbc, @Value("${agentledger.node-id:}") String nodeId) {
        this.jdbc = jdbc;
        this.nodeId = nodeId.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : nodeId;
    }

    @Bean
    public ConfigurerModule fairSegmentShares() {
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                (configuration, builder) -> builder.maxSegmentProvider(this::fairShare));
    }

    /** The most segments of the processor this node should hold now. */
    public int fairShare(String processor) {
        int segments = segmentCount(processor);
        if (segments == 0) {
            return Integer.MAX_VALUE; // tokens not created yet: the first node creates and claims them all
        }
        return Math.max(1, (segments + liveNodes() - 1) / liveNodes());
    }

    public String nodeId() {
        return nodeId;
    }

    int liveNodes() {
        Cached cached = liveNodes;
        if (cached.isFresh()) {
            return cached.value();
        }
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM projection_node WHERE last_seen > now() - "
                + "make_interval(secs => ?)", Integer.class, ALIVE.toSeconds());
        int nodes = Math.max(1, count == null ? 1 : count);
        liveNodes = new Cached(nodes, System.currentTimeMillis());
        return nodes;
    }

    private int segmentCount(String processor) {
        Cached cached = segmentCounts.get(processor);
        if (cached != null && cached.isFresh()) {
            return cached.value();
        }
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM token_entry WHERE processor_name = ?",
                Integer.class, processor);
        int segments = count == null ? 0 : count;
        segmentCounts.put(processor, new Cached(segments, System.currentTimeMillis()));
        return segments;
    }

    private void beat() {
        try {
            jdbc.update("INSERT INTO projection_node (node_id, last_seen) VALUES (?, now()) "
                    + "ON CONFLICT (node_id) DO UPDATE SET last_seen = now()", nodeId);
        } catch (RuntimeException e) {
            log.warn("Could not record this node's heartbeat: {}", e.toString());
        }
    }

    /** Before the processors start, so that the first claims already count this node. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    @Override
    public void start() {
        beat();
        heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "projection-node-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("Projection node {} joined", nodeId);
    }

    @Override
    public void stop() {
        heartbeat.shutdownNow();
        heartbeat = null;
        try {
            jdbc.update("DELETE FROM projection_node WHERE node_id = ?", nodeId);
        } catch (RuntimeException e) {
            log.warn("Could not remove this node's heartbeat: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return heartbeat != null;
    }

    private record Cached(int value, long at) {

        boolean isFresh() {
            return System.currentTimeMillis() - at < CACHE_MILLIS;
        }
    }
}
