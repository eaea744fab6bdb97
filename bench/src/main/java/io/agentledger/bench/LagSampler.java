package io.agentledger.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * quality.md: "command acknowledged → visible in the task list read model" under the claim load. For a sample of
 * acknowledged completions it asks the read side for the task at that version ({@code minVersion}, which waits for
 * the projection) and times acknowledgement → answer. Samples are dropped rather than queued when the samplers are busy.
 */
public final class LagSampler implements ClaimLoad.Listener, AutoCloseable {

    private final ApiClient reader;
    private final int every;
    private final Histogram micros = ClaimLoad.histogram();
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    // Only an idle sampler takes a sample. With too few samplers each would start its next sample right after its
    // last one was answered, that is just after the projection's last pass, and so always see the longest wait for
    // its next one: enough of them sample completions at random moments.
    private final ThreadPoolExecutor samplers = new ThreadPoolExecutor(16, 16, 0, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new ThreadPoolExecutor.DiscardPolicy());

    public LagSampler(ApiClient reader, int every) {
        this.reader = reader;
        this.every = every;
    }

    @Override
    public void completed(String taskId, long version, long acknowledgedAtNanos) {
        if (seen.incrementAndGet() % every != 0) {
            return;
        }
        samplers.execute(() -> {
            ApiClient.Response read = reader.get("/v1/tasks/" + taskId + "?minVersion=" + version);
            long lag = System.nanoTime() - acknowledgedAtNanos;
            if (read.status() != 200 || read.json().path("version").asLong() < version
                    || !"COMPLETED".equals(read.json().path("status").asText())) {
                errors.incrementAndGet();
                return;
            }
            synchronized (micros) {
                ClaimLoad.record(micros, lag);
            }
        });
    }

    public Histogram micros() {
        return micros;
    }

    public long errors() {
        return errors.get();
    }

    @Override
    public void close() throws InterruptedException {
        samplers.shutdown();
        samplers.awaitTermination(30, TimeUnit.SECONDS);
    }
}
