package dev.breakglass.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.breakglass.runs.StepQueue;
import java.util.function.Supplier;

/**
 * Marks the run of a message that failed on every delivery as failed, naming the step, so no run
 * stays "Running" forever. Messages that are not breakglass's are logged as security events.
 */
public final class PoisonFunction {

    private final Supplier<FunctionsApp> app;

    public PoisonFunction() {
        this(FunctionsApp::get);
    }

    PoisonFunction(Supplier<FunctionsApp> app) {
        this.app = app;
    }

    @FunctionName("stepPoison")
    public void poisoned(
            @QueueTrigger(name = "message", queueName = StepQueue.POISON, connection = "AzureWebJobsStorage") String message,
            ExecutionContext context) {
        app.get().runs().poisoned(message);
    }
}
