package dev.breakglass.runs;

/**
 * A provisioning run's life cycle: Running until every step is done, or one fails, or a caller cancels it. A run
 * that ends early first makes the accounts it left half-provisioned harmless (D13): it is {@link #Canceling} or
 * {@link #Failing} while that compensation runs, and holds the provisioning lock until it ends.
 */
public enum RunStatus {
    Running, Succeeded, Failed, Canceling, Canceled, Failing;

    /** Whether the run still holds the provisioning lock: no other run may start meanwhile. */
    public boolean active() {
        return this == Running || this == Canceling || this == Failing;
    }

    /** Whether the run is compensating before it ends. */
    public boolean compensating() {
        return this == Canceling || this == Failing;
    }

    /** The status a compensating run ends in. */
    RunStatus settled() {
        return switch (this) {
            case Canceling -> Canceled;
            case Failing -> Failed;
            default -> this;
        };
    }
}
