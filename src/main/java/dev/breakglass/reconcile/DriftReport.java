package dev.breakglass.reconcile;

import java.time.Instant;
import java.util.List;

/** The result of a verification: one {@link CheckResult} per step and target, in workflow order. */
public record DriftReport(Instant generatedAt, List<CheckResult> checks) {

    public DriftReport {
        checks = List.copyOf(checks);
    }

    /** True when every check passed: nothing drifted and nothing went unchecked. */
    public boolean allPassed() {
        return checks.stream().allMatch(check -> check.status() == CheckStatus.Passed);
    }

    /** The checks that did not pass. */
    public List<CheckResult> problems() {
        return checks.stream().filter(check -> check.status() != CheckStatus.Passed).toList();
    }
}
