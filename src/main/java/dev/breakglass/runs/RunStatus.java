package dev.breakglass.runs;

/** A provisioning run's life cycle: Running until every step is done, or one fails. */
public enum RunStatus {
    Running, Succeeded, Failed
}
