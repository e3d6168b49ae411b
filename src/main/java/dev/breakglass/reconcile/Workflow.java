package dev.breakglass.reconcile;

import dev.breakglass.spec.Account;
import dev.breakglass.spec.BreakGlassSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steps in their declared order, and the in-process driver used by the CLI: {@link #plan},
 * {@link #apply}, {@link #verify}. The Functions app drives the same steps one queue message at a
 * time instead.
 */
public final class Workflow {

    private final List<Step> steps;
    private final StepRunner runner;
    private final Sleeper sleeper;
    private final Clock clock;

    public Workflow(List<Step> steps, StepRunner runner, Sleeper sleeper, Clock clock) {
        this.steps = List.copyOf(steps);
        this.runner = runner;
        this.sleeper = sleeper;
        this.clock = clock;
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
     * What must be done before {@code key} may run: every earlier tenant step, and the earlier steps
     * of the same account. Accounts proceed independently; a tenant step waits for all of them.
     */
    public List<StepKey> prerequisites(BreakGlassSpec spec, StepKey key) {
        List<StepKey> before = new ArrayList<>();
        for (StepKey earlier : keys(spec)) {
            if (earlier.equals(key)) {
                return before;
            }
            if (key.account() == null || earlier.account() == null || earlier.account().equals(key.account())) {
                before.add(earlier);
            }
        }
        throw new IllegalArgumentException("no unit of work " + key + " for this spec");
    }

    public StepRunner runner() {
        return runner;
    }

    /** Observes everything and says what apply would change. Never writes. */
    public List<PlannedChange> plan(BreakGlassSpec spec, StepEvents events) {
        StepRunner observing = runner.withEvents(events);
        RunReads reads = new RunReads();
        List<PlannedChange> plan = new ArrayList<>();
        for (StepKey key : keys(spec)) {
            Step step = step(key.step()).orElseThrow();
            Observation observed = observing.observe(step, context(spec, key, reads));
            plan.add(new PlannedChange(key, step.check(), observed));
        }
        return plan;
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
     * Runs every step to completion in order, waiting in-process when a step asks to be requeued,
     * and stops at the first terminal outcome or when {@code timeout} would be exceeded.
     */
    public ApplyReport apply(BreakGlassSpec spec, Duration timeout, StepEvents events) {
        StepRunner applying = runner.withEvents(events);
        Instant deadline = Instant.now(clock).plus(timeout);
        RunReads reads = new RunReads();
        List<ApplyReport.Entry> entries = new ArrayList<>();
        for (StepKey key : keys(spec)) {
            Step step = step(key.step()).orElseThrow();
            StepContext context = context(spec, key, reads);
            Outcome outcome = applying.run(step, context);
            while (outcome instanceof Outcome.RequeueAfter requeue) {
                if (Instant.now(clock).plus(requeue.delay()).isAfter(deadline)) {
                    outcome = new Outcome.Terminal("TimedOut", "gave up after " + timeout.toSeconds()
                            + " s waiting on " + key + ": " + requeue.reason());
                    break;
                }
                events.retrying(key.step(), key.target(), requeue.delay(), requeue.reason());
                sleeper.sleep(requeue.delay());
                outcome = applying.run(step, context(spec, key, new RunReads()));
            }
            entries.add(new ApplyReport.Entry(key, outcome));
            if (outcome instanceof Outcome.Terminal) {
                break;
            }
        }
        return new ApplyReport(entries);
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
            return !(observed instanceof Observation.UpToDate) && !(observed instanceof Observation.Skipped);
        }
    }
}
