package dev.breakglass.reconcile;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that in-process runs execute their units of work on. Eight threads cover the widest point of
 * the workflow (each account's steps side by side with the monitoring steps) for the default account count, and
 * keep a run well inside Graph's per-app limits; more units simply queue. The threads are daemons and end when
 * idle, so a CLI or a test that built an engine never waits for them.
 */
final class UnitsOfWork {

    private static final int THREADS = 8;
    private static final ExecutorService POOL = create();

    private UnitsOfWork() {
    }

    static ExecutorService sharedPool() {
        return POOL;
    }

    private static ExecutorService create() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "breakglass-unit-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
