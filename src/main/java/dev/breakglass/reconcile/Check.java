package dev.breakglass.reconcile;

/**
 * The check a step answers in a drift report.
 *
 * @param id    stable id, {@code BG.1001} onwards; never reused for another meaning
 * @param title the desired condition (Maester style), e.g. "Each emergency account is a permanent active Global Administrator"
 */
public record Check(String id, String title) {

    /**
     * Turns an observation into this check's verdict: only {@link Observation.UpToDate} passes, and only
     * {@link Observation.Skipped} skips.
     */
    public CheckResult resultOf(String target, Observation observation) {
        if (observation instanceof Observation.UpToDate upToDate) {
            return new CheckResult(id, title, target, CheckStatus.Passed, upToDate.detail());
        }
        if (observation instanceof Observation.Skipped skipped) {
            return new CheckResult(id, title, target, CheckStatus.Skipped, skipped.reason());
        }
        if (observation instanceof Observation.Unknown unknown) {
            return new CheckResult(id, title, target, CheckStatus.Error, unknown.reason());
        }
        return new CheckResult(id, title, target, CheckStatus.Failed, observation.summary(),
                observation instanceof Observation.AwaitingPeople);
    }
}
