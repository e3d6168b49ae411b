package dev.breakglass.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * B9: every five minutes, looks for a provisioning run without progress for longer than a worker's lease
 * and the host's retries could explain, and re-enqueues its ready work or fails it as stuck
 * ({@link dev.breakglass.runs.Runs#supervise}). Missed ticks need no catching up: the next one sees the same state.
 */
public final class SupervisorFunction {

    /** Longer than the 10-minute step lease plus the host's retry delays: less would race a live worker. */
    static final Duration NO_PROGRESS = Duration.ofMinutes(15);

    private final Supplier<FunctionsApp> app;

    public SupervisorFunction() {
        this(FunctionsApp::get);
    }

    SupervisorFunction(Supplier<FunctionsApp> app) {
        this.app = app;
    }

    @FunctionName("superviseRuns")
    public void supervise(@TimerTrigger(name = "timer", schedule = "0 */5 * * * *") String timer,
            ExecutionContext context) {
        app.get().runs().supervise(NO_PROGRESS).ifPresent(action -> LogRedaction.logger(context).warning(action));
    }
}
