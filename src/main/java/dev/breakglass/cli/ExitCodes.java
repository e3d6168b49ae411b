package dev.breakglass.cli;

/** The CLI's exit codes, stable for scripts and pipelines. */
final class ExitCodes {

    /** Everything is in the desired state (or the apply succeeded and verification passed). */
    static final int OK = 0;
    /** Drift was found, a check could not be made, or an apply stopped on a terminal outcome. */
    static final int NOT_IN_DESIRED_STATE = 1;
    /** The configuration breaks a rule; nothing was called. */
    static final int INVALID_CONFIGURATION = 2;
    /** An unexpected failure; the message says what was being done. */
    static final int UNEXPECTED = 3;

    private ExitCodes() {
    }
}
