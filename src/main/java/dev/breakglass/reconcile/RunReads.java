package dev.breakglass.reconcile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads shared by the steps of one run, so a run reads the tenant's domains or its CA policies once
 * rather than once per step. A queue message starts a new run, so nothing stale survives between
 * deliveries. Writers {@link #forget} what they changed.
 */
public final class RunReads {

    private final Map<String, Object> values = new ConcurrentHashMap<>();

    /** The value read earlier in this run under {@code key}, or {@code read}'s result, remembered. */
    @SuppressWarnings("unchecked")
    public <T> T remember(String key, Supplier<T> read) {
        Object known = values.get(key);
        if (known != null) {
            return (T) known;
        }
        T value = read.get();
        values.put(key, value);
        return value;
    }

    /** Drops a remembered value after a write made it stale. */
    public void forget(String key) {
        values.remove(key);
    }
}
