package dev.breakglass.runs;

import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.reconcile.Workflow;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.BreakGlassSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * D13: how a run that ends early (canceled, or failed terminally) makes the accounts it left half-provisioned
 * harmless. The run first becomes {@link RunStatus#Canceling} or {@link RunStatus#Failing} and keeps the
 * provisioning lock; then each account the run got to gets one {@code Compensate} unit of work on the step queue,
 * driven like a step (lease, record, redelivery after a crash); when every unit has ended the run becomes
 * Canceled or Failed and releases the lock. The units' conditions are the run's record of what was done per account.
 */
final class Compensations {

    /** The units' step name in queue messages and run conditions (the compensation step's name). */
    static final String UNIT = "Compensate";
    /** How long a unit waits for a step of its account that is still in flight (it may be creating the user). */
    private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(5);
    /** The unit of work that makes an account Global Administrator. */
    private static final String GLOBAL_ADMIN_STEP = "GlobalAdminAssignment";

    private final BreakGlassSpec spec;
    private final Workflow workflow;
    private final Function<Instant, ? extends Step> compensation;
    private final RunStore store;
    private final StepQueue queue;
    private final Clock clock;

    Compensations(BreakGlassSpec spec, Workflow workflow, Function<Instant, ? extends Step> compensation,
            RunStore store, StepQueue queue, Clock clock) {
        this.spec = spec;
        this.workflow = workflow;
        this.compensation = compensation;
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Ends a running run early: it becomes {@code status} (Canceling or Failing) with this failure, then its
     * compensation is sent. A dry run wrote nothing, so it ends at once. Nothing happens if the run had already ended.
     */
    void begin(Run run, RunStatus status, String failedStep, String errorCode, String error) {
        RunStatus next = run.dryRun() ? status.settled() : status;
        if (!store.transition(run.id(), RunStatus.Running, next, failedStep, errorCode, error)) {
            return;
        }
        if (run.dryRun()) {
            store.unlock(Runs.PROVISIONING_LOCK, run.id());
            return;
        }
        resume(run);
    }

    /**
     * Sends the units not sent yet and ends the run when all have ended: safe to call again after a worker died
     * between the status change and the sends (a retried DELETE, a redelivered message, the supervisor).
     */
    void resume(Run run) {
        Map<StepKey, StepCondition> conditions = store.conditions(run.id());
        for (StepKey unit : units(conditions)) {
            if (!conditions.containsKey(unit)) {
                queue.send(new StepMessage(run.id(), unit, run.generation()), Duration.ZERO);
                store.markQueued(run.id(), unit);
            }
        }
        settleIfEnded(run);
    }

    /** The units that have not ended, for the supervisor to send again. */
    List<StepKey> unfinished(Run run) {
        Map<StepKey, StepCondition> conditions = store.conditions(run.id());
        return units(conditions).stream().filter(unit -> !ended(conditions.get(unit))).toList();
    }

    /** Handles one {@code Compensate} message: observe, disable what is still live, record. */
    void handle(Run run, StepMessage message, String messageId) {
        if (run.generation() != message.generation() || !run.status().compensating()) {
            return;
        }
        StepKey key = message.key();
        Map<StepKey, StepCondition> conditions = store.conditions(run.id());
        if (inFlight(conditions, key.account())) {
            queue.send(message, IN_FLIGHT_WAIT);
            return;
        }
        if (assignedGlobalAdministrator(conditions, key.account())) {
            // The tenant is read too (AccountCompensation), but PIM may list a new schedule only seconds after
            // accepting the request: the run's own record that it assigned the role is the earlier, surer fact.
            store.record(run.id(), key, StepState.Done, "LeftToRunbook", "this run assigned Global Administrator to "
                    + key.account() + ": not disabled automatically; if it must not stay, follow the README's runbook "
                    + "(section 'Canceling a run')");
            resume(run);
            return;
        }
        Optional<Integer> attempt = store.lease(run.id(), key, messageId, Runs.LEASE);
        if (attempt.isEmpty()) {
            StepCondition condition = store.conditions(run.id()).get(key);
            if (condition != null && condition.state() == StepState.Waiting && condition.leaseUntil() != null) {
                queue.send(message, Duration.between(Instant.now(clock), condition.leaseUntil()));
            }
            resume(run);
            return;
        }
        Outcome outcome = workflow.runner().run(compensation.apply(run.createdAt()),
                workflow.context(spec, key, new RunReads()));
        if (outcome instanceof Outcome.Done done) {
            store.record(run.id(), key, StepState.Done, "Compensated", done.message());
        } else if (outcome instanceof Outcome.RequeueAfter requeue && attempt.get() < Runs.MAX_WAITS) {
            store.recordWaiting(run.id(), key, requeue.reason(), Instant.now(clock).plus(requeue.delay()));
            queue.send(message, requeue.delay());
            return;
        } else {
            Outcome.Terminal failure = outcome instanceof Outcome.Terminal terminal ? terminal
                    : new Outcome.Terminal("TimedOut", "gave up waiting: " + ((Outcome.RequeueAfter) outcome).reason());
            failed(run, key, failure.reason(), failure.message());
            return;
        }
        resume(run);
    }

    /** A unit that failed on every delivery (or terminally): recorded, and the account is left to people. */
    void failed(Run run, StepKey key, String reason, String message) {
        store.record(run.id(), key, StepState.Failed, reason, message + ". The account may still be enabled: "
                + "disable it by hand (README, 'Canceling a run')");
        resume(run);
    }

    private void settleIfEnded(Run run) {
        Map<StepKey, StepCondition> conditions = store.conditions(run.id());
        if (units(conditions).stream().allMatch(unit -> ended(conditions.get(unit)))) {
            Run current = store.find(run.id()).orElseThrow();
            if (current.status().compensating() && store.transition(run.id(), current.status(),
                    current.status().settled(), current.failedStep(), current.errorCode(), current.error())) {
                store.unlock(Runs.PROVISIONING_LOCK, run.id());
            }
        }
    }

    /** One unit per account the run got to (any of its units was sent): the others cannot have been touched. */
    private List<StepKey> units(Map<StepKey, StepCondition> conditions) {
        return spec.accounts().stream().map(Account::key)
                .filter(account -> conditions.keySet().stream().anyMatch(key -> account.equals(key.account())
                        && !UNIT.equals(key.step())))
                .map(account -> new StepKey(UNIT, account))
                .toList();
    }

    /** A step of the account holds a live lease: it may be writing (creating the user, assigning the role) now. */
    private boolean inFlight(Map<StepKey, StepCondition> conditions, String account) {
        Instant now = Instant.now(clock);
        return conditions.values().stream().anyMatch(condition -> account.equals(condition.key().account())
                && !UNIT.equals(condition.key().step()) && condition.state() == StepState.Running
                && condition.leaseUntil() != null && condition.leaseUntil().isAfter(now));
    }

    private static boolean assignedGlobalAdministrator(Map<StepKey, StepCondition> conditions, String account) {
        StepCondition assignment = conditions.get(new StepKey(GLOBAL_ADMIN_STEP, account));
        return assignment != null && assignment.state() == StepState.Done;
    }

    private static boolean ended(StepCondition condition) {
        return condition != null && (condition.state() == StepState.Done || condition.state() == StepState.Failed);
    }

    /** Whether {@code key} names a compensation unit. */
    boolean handles(StepKey key) {
        return UNIT.equals(key.step());
    }
}
