package dev.breakglass.azure;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts the requests every client sends, split into reads (GET, HEAD, and Conditional Access What If, a POST that
 * changes nothing) and writes (anything else), so that {@code apply --json} can prove a converged tenant costs zero
 * writes.
 */
public final class CallCounter implements Interceptor {

    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    @Override
    public Response intercept(Chain chain) throws IOException {
        String method = chain.request().method();
        boolean whatIf = chain.request().url().encodedPath().endsWith("/identity/conditionalAccess/evaluate");
        (method.equals("GET") || method.equals("HEAD") || whatIf ? reads : writes).incrementAndGet();
        return chain.proceed(chain.request());
    }

    public Counts snapshot() {
        return new Counts(reads.get(), writes.get());
    }

    /** Requests sent so far; subtract two snapshots to count one operation. */
    public record Counts(long reads, long writes) {
        public Counts minus(Counts earlier) {
            return new Counts(reads - earlier.reads, writes - earlier.writes);
        }
    }
}
