package dev.breakglass.testing.reliability;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters a {@link Covers} test adds to while it runs: how many faults it injected, how many runs it
 * drove to completion, and what must stay zero (duplicates created, exclusions lost, secret occurrences
 * in sinks). The counts land in {@code docs/reliability.md} as measured, never typed by hand.
 */
public final class Ledger {

    /** What is counted. */
    public enum Counter {
        FAULTS_INJECTED, RUNS_COMPLETED, DUPLICATES_CREATED, EXCLUSIONS_LOST, SECRET_OCCURRENCES
    }

    private static volatile Map<Counter, AtomicLong> current;

    private Ledger() {
    }

    public static void faultsInjected(long count) {
        add(Counter.FAULTS_INJECTED, count);
    }

    public static void runCompleted() {
        add(Counter.RUNS_COMPLETED, 1);
    }

    public static void duplicatesCreated(long count) {
        add(Counter.DUPLICATES_CREATED, count);
    }

    public static void exclusionsLost(long count) {
        add(Counter.EXCLUSIONS_LOST, count);
    }

    public static void secretOccurrences(long count) {
        add(Counter.SECRET_OCCURRENCES, count);
    }

    private static void add(Counter counter, long count) {
        Map<Counter, AtomicLong> counters = current;
        if (counters != null) {
            counters.get(counter).addAndGet(count);
        }
    }

    /** Starts counting for a test (called by the listener, tests run one at a time). */
    static Map<Counter, AtomicLong> begin() {
        Map<Counter, AtomicLong> counters = new EnumMap<>(Counter.class);
        for (Counter counter : Counter.values()) {
            counters.put(counter, new AtomicLong());
        }
        current = counters;
        return counters;
    }

    static void end() {
        current = null;
    }
}
