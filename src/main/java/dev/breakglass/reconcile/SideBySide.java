package dev.breakglass.reconcile;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Independent reads of one step sent together, so that a step costs one round trip however many things it reads
 * (issue #8: a verify takes about as many round trips as its longest dependency chain). Failures surface as the
 * read's own exception, on the caller's thread.
 */
public final class SideBySide {

    /** Daemon threads, created as needed and kept a minute: reads are few and short, and block on the network. */
    private static final ExecutorService READS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "breakglass-read");
        thread.setDaemon(true);
        return thread;
    });

    private SideBySide() {
    }

    /** Starts a read now; {@link #get} waits for its answer. */
    public static <T> CompletableFuture<T> start(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, READS);
    }

    public static <T> T get(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
