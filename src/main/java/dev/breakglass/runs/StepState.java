package dev.breakglass.runs;

/** Where one unit of work of a run stands. */
public enum StepState {
    /** Its message is on the queue; no worker has claimed it yet. */
    Pending,
    /** A worker holds the lease and is running it. */
    Running,
    /** It asked to be retried later (replication lag, throttling, a prerequisite). */
    Waiting,
    Done,
    Failed,
    /** Not run: the run was canceled, or failed elsewhere, before this unit of work got to act. */
    Canceled
}
