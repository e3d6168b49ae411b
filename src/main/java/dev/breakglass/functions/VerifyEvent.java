package dev.breakglass.functions;

import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.DriftReport;
import java.util.List;

/**
 * The one line each verification logs for machines: the App Insights alerts in {@code infra/modules/alerts.bicep}
 * query it (drift, and the heartbeat that proves verification still runs), so its prefix and keys are a contract.
 * Counts and the outcome only: no account, id, detail or secret, so it is safe in any log sink.
 *
 * <pre>breakglass.verify outcome=Drifted checks=24 passed=21 failed=2 errors=1 skipped=0 drift=3</pre>
 *
 * {@code outcome} is {@code Passed} (nothing failed or went unchecked), {@code Drifted} (a check failed) or
 * {@code Error} (nothing failed, but a check could not be made); {@code drift} counts failed and unchecked checks.
 */
final class VerifyEvent {

    static final String PREFIX = "breakglass.verify ";

    private VerifyEvent() {
    }

    static String line(DriftReport report) {
        List<CheckResult> checks = report.checks();
        long failed = count(checks, CheckStatus.Failed);
        long errors = count(checks, CheckStatus.Error);
        String outcome = failed > 0 ? "Drifted" : errors > 0 ? "Error" : "Passed";
        return PREFIX + "outcome=" + outcome + " checks=" + checks.size() + " passed=" + count(checks, CheckStatus.Passed)
                + " failed=" + failed + " errors=" + errors + " skipped=" + count(checks, CheckStatus.Skipped)
                + " drift=" + (failed + errors);
    }

    private static long count(List<CheckResult> checks, CheckStatus status) {
        return checks.stream().filter(check -> check.status() == status).count();
    }
}
