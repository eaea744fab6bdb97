package io.agentledger.query.web;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Serves {@code minVersion}: re-reads a read model row until it has caught up with the version a command answered,
 * for at most five seconds. Re-reading works the same whichever query node's processor owns the segment.
 */
public final class ReadYourWrites {

    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final long MAX_PAUSE_MILLIS = 100;

    private ReadYourWrites() {
    }

    /** The freshest read, caught up or not after the wait (null when the row does not exist yet). */
    public static <T> T await(Supplier<T> read, ToLongFunction<T> version, Long minVersion) {
        T current = read.get();
        if (minVersion == null) {
            return current;
        }
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while ((current == null || version.applyAsLong(current) < minVersion) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current;
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            current = read.get();
        }
        return current;
    }
}
