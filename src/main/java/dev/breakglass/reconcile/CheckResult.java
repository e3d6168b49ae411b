package dev.breakglass.reconcile;

/**
 * One line of a drift report.
 *
 * @param id          stable check id, e.g. {@code BG.1003}, with a help page in {@code docs/checks/}
 * @param title       the desired condition, stated as a fact
 * @param target      what was checked: an account key, or {@code tenant}
 * @param status      the verdict
 * @param detail      why, in plain English
 * @param needsPeople a failure only people can put right ({@link Observation.AwaitingPeople}): apply cannot heal it
 */
public record CheckResult(String id, String title, String target, CheckStatus status, String detail,
        boolean needsPeople) {

    public CheckResult(String id, String title, String target, CheckStatus status, String detail) {
        this(id, title, target, status, detail, false);
    }
}
