package dev.breakglass.bench;

import dev.breakglass.faketenant.Journal;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A progress line on stderr every ten seconds while a long operation runs: elapsed time and requests so far. */
final class Heartbeat implements AutoCloseable {

    private static final long PERIOD_SECONDS = 10;

    private final ScheduledExecutorService timer;

    private Heartbeat(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static Heartbeat start(PrintStream progress, Journal journal) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long start = System.nanoTime();
        timer.scheduleAtFixedRate(() -> progress.printf("  … %d s: %d requests, %d Conditional Access writes%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), journal.entries().size(),
                journal.count("PATCH", SizedRun.CA_PATH)), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return new Heartbeat(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
