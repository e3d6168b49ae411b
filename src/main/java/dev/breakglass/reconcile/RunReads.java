package dev.breakglass.reconcile;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads shared by the units of work of one run, so a run reads the tenant's domains, a user or its CA policies
 * once rather than once per step. Units run side by side, so a read another unit has already started is waited
 * for, not sent again. A queue message starts a new run, so nothing stale survives between deliveries. Writers
 * {@link #forget} what they changed.
 */
public final class RunReads {

    private final Map<String, CompletableFuture<Object>> values = new ConcurrentHashMap<>();

    /**
     * The value read earlier in this run under {@code key}, or {@code read}'s result, remembered. A failed read is
     * not remembered: it propagates to every unit that waited for it, and the next attempt reads again.
     */
    @SuppressWarnings("unchecked")
    public <T> T remember(String key, Supplier<T> read) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> known = values.putIfAbsent(key, mine);
        if (known != null) {
            try {
                return (T) known.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            T value = read.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            values.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Drops a remembered value after a write made it stale. */
    public void forget(String key) {
        values.remove(key);
    }
}
