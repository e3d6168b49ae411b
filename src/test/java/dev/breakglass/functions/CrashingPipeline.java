package dev.breakglass.functions;

import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Sleeper;
import dev.breakglass.reconcile.StepEvents;
import dev.breakglass.reconcile.Workflow;
import dev.breakglass.runs.Run;
import dev.breakglass.runs.Runs;
import dev.breakglass.runs.StepMessage;
import dev.breakglass.runs.StepQueue;
import dev.breakglass.testing.Azurite;
import dev.breakglass.testing.TestTenant;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Functions pipeline (run table and queue on Azurite, {@link FunctionsHost} playing the host) over a
 * workflow whose worker can be made to die at three points of a unit of work (D2, B2):
 * {@link CrashPoint#BEFORE_SIDE_EFFECT} (observed, nothing written yet), {@link CrashPoint#AFTER_SIDE_EFFECT}
 * (the step wrote to the tenant but its outcome was never recorded), {@link CrashPoint#AFTER_RECORD}
 * (recorded and successors enqueued, but the message never deleted: it reappears).
 */
final class CrashingPipeline {

    enum CrashPoint { BEFORE_SIDE_EFFECT, AFTER_SIDE_EFFECT, AFTER_RECORD }

    /** What a dying worker looks like to the host: the invocation ends with an unexpected error. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String where) {
            super("worker died " + where);
        }
    }

    private final TestTenant tenant;
    private final FunctionsApp app;
    private final Runs runs;
    private final FunctionsHost host;
    private final Set<String> armed = ConcurrentHashMap.newKeySet();
    private final Set<String> fired = ConcurrentHashMap.newKeySet();
    private final Set<String> applying = ConcurrentHashMap.newKeySet();
    private final List<String> securityEvents = new CopyOnWriteArrayList<>();
    private volatile CrashPoint nextInvocation;
    private int oneShotCrashes;

    private CrashingPipeline(TestTenant tenant) {
        this.tenant = tenant;
        String storage = Azurite.shared().connectionString();
        this.app = FunctionsTestApp.create(tenant, storage);
        Workflow production = tenant.engine().workflow();
        Workflow crashing = new Workflow(production.steps(), production.runner().withEvents(new Crashes()),
                Sleeper.REAL, Clock.systemUTC());
        FunctionsHost plain = new FunctionsHost(storage, app);
        this.runs = new Runs(tenant.spec(), crashing, tenant.engine()::compensation, app.store(),
                new StepQueue(plain.stepsQueue()), Clock.systemUTC(), app.signatures(), securityEvents::add);
        this.host = new FunctionsHost(storage, new FunctionsHost.Invoker() {
            @Override
            public void step(String text, String messageId, long dequeueCount) {
                runs.handle(StepMessage.parse(text), messageId);
            }

            @Override
            public void poisoned(String text) {
                runs.poisoned(text);
            }
        }).losingAcknowledgements(this::acknowledged);
        host.stepsQueue().clearMessages();
        host.poisonQueue().clearMessages();
    }

    /** A pipeline on a fresh run table (the run lock of an earlier test must not block this one). */
    static CrashingPipeline start(TestTenant tenant) {
        FunctionsTestApp.emptyRunTable();
        return new CrashingPipeline(tenant);
    }

    /** The worker dies once per unit of work of {@code step} at {@code point}. */
    CrashingPipeline crash(String step, CrashPoint point) {
        armed.add(point + "|" + step);
        return this;
    }

    /**
     * The next invocation dies at {@code point} if it gets there (before or after a side effect); cleared
     * by {@link #disarm()}. {@link CrashPoint#AFTER_RECORD} is the driver's to play (it skips the delete).
     */
    void crashNextInvocation(CrashPoint point) {
        nextInvocation = point;
    }

    void disarm() {
        nextInvocation = null;
    }

    String provision() {
        return runs.start("crash matrix", false).id();
    }

    /** Plays the host until both queues are empty; returns the run as recorded. */
    Run runUntilIdle(String runId, Duration timeout) {
        host.runUntilIdle(timeout);
        return runs.find(runId).orElseThrow();
    }

    FunctionsHost host() {
        return host;
    }

    Runs runs() {
        return runs;
    }

    FunctionsApp app() {
        return app;
    }

    /** How many crashes fired (each one a fault injected). */
    int crashes() {
        return fired.size() + oneShotCrashes;
    }

    List<String> securityEvents() {
        return List.copyOf(securityEvents);
    }

    private boolean acknowledged(String text) {
        StepMessage message = StepMessage.parse(text);
        String key = CrashPoint.AFTER_RECORD + "|" + message.key().step();
        return !armed.contains(key) || !fired.add(key + "|" + message.key().target());
    }

    /** The crash hooks, on the runner's events: after observe (before apply), and after apply (before record). */
    private final class Crashes implements StepEvents {
        @Override
        public void observed(String step, String target, Observation observation) {
            if (observation instanceof Observation.UpToDate || observation instanceof Observation.Skipped
                    || observation instanceof Observation.Unknown) {
                return;
            }
            applying.add(step + "|" + target);
            if (nextInvocation == CrashPoint.BEFORE_SIDE_EFFECT) {
                nextInvocation = null;
                oneShotCrashes++;
                throw new SimulatedCrash("before " + step + " of " + target + " wrote anything");
            }
            String key = CrashPoint.BEFORE_SIDE_EFFECT + "|" + step;
            if (armed.contains(key) && fired.add(key + "|" + target)) {
                throw new SimulatedCrash("before " + step + " of " + target + " wrote anything");
            }
        }

        @Override
        public void finished(String step, String target, Outcome outcome) {
            if (nextInvocation == CrashPoint.AFTER_SIDE_EFFECT && outcome instanceof Outcome.Done
                    && applying.contains(step + "|" + target)) {
                nextInvocation = null;
                oneShotCrashes++;
                throw new SimulatedCrash("after " + step + " of " + target + " wrote, before it was recorded");
            }
            String key = CrashPoint.AFTER_SIDE_EFFECT + "|" + step;
            if (outcome instanceof Outcome.Done && applying.contains(step + "|" + target) && armed.contains(key)
                    && fired.add(key + "|" + target)) {
                throw new SimulatedCrash("after " + step + " of " + target + " wrote, before it was recorded");
            }
        }
    }
}
