package dev.breakglass.reconcile;

import dev.breakglass.spec.Account;
import dev.breakglass.spec.BreakGlassSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The steps in their declared order, their prerequisites, and the in-process driver used by the CLI:
 * {@link #plan}, {@link #apply}, {@link #verify}. The Functions app drives the same steps one queue message at a
 * time instead, using the same {@link #prerequisites}.
 *
 * <p>In-process, every unit of work starts as soon as its prerequisites are done, on a small bounded pool
 * ({@link UnitsOfWork}): independent units (the two accounts, the monitoring steps, the tenant facts) are observed
 * side by side, and a run takes about as many round trips as its longest chain of prerequisites. The units of one
 * run share one {@link RunReads}, which reads each shared thing once even when two units ask at the same time.
 */
public final class Workflow {

    private final List<Step> steps;
    private final StepRunner runner;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Executor executor;

    /**
     * @throws IllegalArgumentException when a step depends on one that is unknown or declared after it
     */
    public Workflow(List<Step> steps, StepRunner runner, Sleeper sleeper, Clock clock) {
        this.steps = List.copyOf(steps);
        this.runner = runner;
        this.sleeper = sleeper;
        this.clock = clock;
        this.executor = UnitsOfWork.sharedPool();
        checkDependencies(this.steps);
    }

    private static void checkDependencies(List<Step> steps) {
        List<String> earlier = new ArrayList<>();
        for (Step step : steps) {
            for (String dependency : step.dependsOn().orElse(List.of())) {
                if (!earlier.contains(dependency)) {
                    throw new IllegalArgumentException(step.name() + " depends on " + dependency
                            + ", which is not a step declared before it");
                }
            }
            earlier.add(step.name());
        }
    }

    public List<Step> steps() {
        return steps;
    }

    public Optional<Step> step(String name) {
        return steps.stream().filter(step -> step.name().equals(name)).findFirst();
    }

    /** Every unit of work for this spec, in order: tenant steps once, account steps once per account. */
    public List<StepKey> keys(BreakGlassSpec spec) {
        List<StepKey> keys = new ArrayList<>();
        for (Step step : steps) {
            if (step.scope() == Step.Scope.TENANT) {
                keys.add(new StepKey(step.name(), null));
            } else {
                for (Account account : spec.accounts()) {
                    keys.add(new StepKey(step.name(), account.key()));
                }
            }
        }
        return keys;
    }

    /**
     * What must be done before {@code key} may run, in declared order. For a step that names its dependencies
     * ({@link Step#dependsOn}): their units of work, the same account's for an account step and every account's
     * for a tenant step. For one that does not: every earlier tenant step and the earlier steps of the same account
     * (every account's, for a tenant step).
     */
    public List<StepKey> prerequisites(BreakGlassSpec spec, StepKey key) {
        Step step = step(key.step()).orElseThrow(() -> new IllegalArgumentException("no step " + key.step()));
        Optional<List<String>> named = step.dependsOn();
        List<StepKey> before = new ArrayList<>();
        for (StepKey earlier : keys(spec)) {
            if (earlier.equals(key)) {
                return before;
            }
            boolean sameAccountOrTenantWide = key.account() == null || earlier.account() == null
                    || earlier.account().equals(key.account());
            if (sameAccountOrTenantWide && named.map(names -> names.contains(earlier.step())).orElse(true)) {
                before.add(earlier);
            }
        }
        throw new IllegalArgumentException("no unit of work " + key + " for this spec");
    }

    /**
     * The number of units of work on the longest chain of prerequisites: the fewest sequential round trips a run
     * can take if each unit cost one.
     */
    public int longestChain(BreakGlassSpec spec) {
        Map<StepKey, Integer> depth = new HashMap<>();
        int longest = 0;
        for (StepKey key : keys(spec)) {
            int own = 1 + prerequisites(spec, key).stream().mapToInt(depth::get).max().orElse(0);
            depth.put(key, own);
            longest = Math.max(longest, own);
        }
        return longest;
    }

    public StepRunner runner() {
        return runner;
    }

    /** Observes everything and says what apply would change. Never writes. */
    public List<PlannedChange> plan(BreakGlassSpec spec, StepEvents events) {
        StepRunner observing = runner.withEvents(events);
        RunReads reads = new RunReads();
        Map<StepKey, PlannedChange> planned = inDependencyOrder(spec, key -> {
            Step step = step(key.step()).orElseThrow();
            return new PlannedChange(key, step.check(), observing.observe(step, context(spec, key, reads)));
        }, change -> false);
        return List.copyOf(planned.values());
    }

    /** Observes everything and reports each check: the timer's and {@code verify}'s read-only pass. */
    public DriftReport verify(BreakGlassSpec spec, StepEvents events) {
        List<CheckResult> checks = new ArrayList<>();
        for (PlannedChange change : plan(spec, events)) {
            checks.add(change.check().resultOf(change.key().target(), change.observed()));
        }
        return new DriftReport(Instant.now(clock), checks);
    }

    /**
     * Runs every unit of work to completion once its prerequisites are done, waiting in-process when a step asks
     * to be requeued. After the first terminal outcome, or when {@code timeout} would be exceeded, no further unit
     * starts; the report lists the units that ran, in declared order.
     */
    public ApplyReport apply(BreakGlassSpec spec, Duration timeout, StepEvents events) {
        StepRunner applying = runner.withEvents(events);
        Instant deadline = Instant.now(clock).plus(timeout);
        // After a unit waited, what the run read before may be stale (a user created meanwhile): units that start
        // later, and the waiting unit's next attempt, read afresh.
        AtomicReference<RunReads> reads = new AtomicReference<>(new RunReads());
        Map<StepKey, ApplyReport.Entry> entries = inDependencyOrder(spec, key -> {
            Step step = step(key.step()).orElseThrow();
            Outcome outcome = applying.run(step, context(spec, key, reads.get()));
            while (outcome instanceof Outcome.RequeueAfter requeue) {
                reads.set(new RunReads());
                if (Instant.now(clock).plus(requeue.delay()).isAfter(deadline)) {
                    outcome = new Outcome.Terminal("TimedOut", "gave up after " + timeout.toSeconds()
                            + " s waiting on " + key + ": " + requeue.reason());
                    break;
                }
                events.retrying(key.step(), key.target(), requeue.delay(), requeue.reason());
                sleeper.sleep(requeue.delay());
                outcome = applying.run(step, context(spec, key, reads.get()));
            }
            return new ApplyReport.Entry(key, outcome);
        }, entry -> entry.outcome() instanceof Outcome.Terminal);
        return new ApplyReport(List.copyOf(entries.values()));
    }

    /**
     * Runs {@code work} for every unit of work, each as soon as its prerequisites are done. Once a result
     * {@code stops}, units not yet started are left out. Results come back in declared order; an unexpected
     * exception (a bug) propagates once every started unit has finished.
     */
    private <R> Map<StepKey, R> inDependencyOrder(BreakGlassSpec spec, Function<StepKey, R> work, Predicate<R> stops) {
        Map<StepKey, CompletableFuture<R>> units = new LinkedHashMap<>();
        AtomicBoolean stopped = new AtomicBoolean();
        for (StepKey key : keys(spec)) {
            CompletableFuture<?>[] before = prerequisites(spec, key).stream().map(units::get)
                    .toArray(CompletableFuture[]::new);
            units.put(key, CompletableFuture.allOf(before).thenApplyAsync(ignored -> {
                if (stopped.get()) {
                    return null;
                }
                R result = work.apply(key);
                if (stops.test(result)) {
                    stopped.set(true);
                }
                return result;
            }, executor));
        }
        Map<StepKey, R> results = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (Map.Entry<StepKey, CompletableFuture<R>> unit : units.entrySet()) {
            try {
                R result = unit.getValue().join();
                if (result != null) {
                    results.put(unit.getKey(), result);
                }
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** The context for one unit of work. */
    public StepContext context(BreakGlassSpec spec, StepKey key, RunReads reads) {
        Account account = key.account() == null ? null : spec.account(key.account());
        return new StepContext(spec, account, reads);
    }

    /** One line of a plan: what observe found for a step and target. */
    public record PlannedChange(StepKey key, Check check, Observation observed) {

        /** True when apply would write. */
        public boolean changes() {
            return !(observed instanceof Observation.UpToDate) && !(observed instanceof Observation.Skipped)
                    && !(observed instanceof Observation.AwaitingPeople);
        }
    }
}
