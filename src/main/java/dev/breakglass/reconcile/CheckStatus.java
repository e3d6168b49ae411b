package dev.breakglass.reconcile;

/** Maester's result vocabulary: "could not check" is Error or Skipped, never Passed. */
public enum CheckStatus {
    Passed, Failed, Skipped, Error
}
