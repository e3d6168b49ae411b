package dev.breakglass.reconcile;

/**
 * Names one unit of work: a step, and the account it runs for ({@code null} for tenant steps).
 * This is all a queue message carries; the step re-reads everything else.
 */
public record StepKey(String step, String account) {

    public String target() {
        return account == null ? "tenant" : account;
    }

    @Override
    public String toString() {
        return account == null ? step : step + "/" + account;
    }
}
