package dev.breakglass.reconcile;

import java.time.Instant;
import java.util.List;

/** The result of a verification: one {@link CheckResult} per step and target, in workflow order. */
public record DriftReport(Instant generatedAt, List<CheckResult> checks) {

    public DriftReport {
        checks = List.copyOf(checks);
    }

    /**
     * True when every check passed or was skipped by configuration: nothing drifted and nothing went
     * unchecked by accident.
     */
    public boolean allPassed() {
        return problems().isEmpty();
    }

    /**
     * True when a check failed or could not be made for a reason a provisioning run may put right; failures only
     * people can fix ({@link CheckResult#needsPeople()}) do not count.
     */
    public boolean healable() {
        return problems().stream().anyMatch(check -> !check.needsPeople());
    }

    /** The checks that failed or could not be made. */
    public List<CheckResult> problems() {
        return checks.stream().filter(check -> check.status() == CheckStatus.Failed
                || check.status() == CheckStatus.Error).toList();
    }
}
