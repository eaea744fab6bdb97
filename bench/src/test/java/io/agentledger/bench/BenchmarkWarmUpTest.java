package io.agentledger.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up runs its load for the whole time, refilling a project that runs dry; and the cost note's wording. */
class BenchmarkWarmUpTest {

    @Test
    void theDefaultWarmUpIsTwoMinutes() {
        assertThat(Benchmark.DEFAULT_WARMUP).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
        assertThat(Benchmark.ALL).contains("claim", "complete-with-next");
    }

    @Test
    void aProjectThatRunsDryIsRefilledUntilTheTimeIsUp() throws Exception {
        AtomicInteger refills = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        long began = System.nanoTime();
        long cycles = Benchmark.warmUp(Duration.ofMillis(300), left -> {
            runs.incrementAndGet();
            // runs dry after 50 ms, or runs out the time left
            Thread.sleep(left.toMillis() >= 50 ? 50 : left.toMillis() + 1);
            return 10;
        }, refills::incrementAndGet);
        assertThat(System.nanoTime() - began).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
        assertThat(runs.get()).isBetween(4, 7);
        assertThat(refills.get()).isEqualTo(runs.get() - 1);
        assertThat(cycles).isEqualTo(10L * runs.get());
    }

    @Test
    void aRefillThatBringsNothingEndsTheWarmUp() throws Exception {
        AtomicInteger refills = new AtomicInteger();
        long cycles = Benchmark.warmUp(Duration.ofMinutes(5), left -> 0, refills::incrementAndGet);
        assertThat(cycles).isZero();
        assertThat(refills.get()).isEqualTo(1);
    }

    @Test
    void theCostNoteKeepsItsWordingAndAddsTheStatements() {
        CostMeter.Reading spent = new CostMeter.Reading(2.0, 1.0, 800, 1700, 2500, 0);
        assertThat(spent.perCycle(100)).isEqualTo("server JVM 20.00 ms + PostgreSQL 10.00 ms CPU, 8.0 commits, "
                + "17.0 rows written, 25.0 SQL statements");
        CostMeter.Reading uncounted = new CostMeter.Reading(2.0, 1.0, 800, 1700, -1, 0);
        assertThat(uncounted.perCycle(100)).isEqualTo("server JVM 20.00 ms + PostgreSQL 10.00 ms CPU, 8.0 commits, "
                + "17.0 rows written");
        assertThat(spent.minus(uncounted).statements()).isEqualTo(-1);
        CostMeter.Reading evicted = new CostMeter.Reading(2.0, 1.0, 800, 1700, 2500, 3);
        assertThat(evicted.perCycle(100)).endsWith(", at least 25.0 SQL statements");
        assertThat(spent.minus(CostMeter.Reading.zero()).plus(spent)).isEqualTo(
                new CostMeter.Reading(4.0, 2.0, 1600, 3400, 5000, 0));
    }

    @Test
    void theDatabaseNameComesFromItsUrl() {
        assertThat(Database.name("jdbc:postgresql://127.0.0.1:5432/agentledger_bench_x1")).isEqualTo(
                "agentledger_bench_x1");
        assertThat(Database.name("jdbc:postgresql://h:5432/baseline_bench_x1?sslmode=disable")).isEqualTo(
                "baseline_bench_x1");
    }
}
