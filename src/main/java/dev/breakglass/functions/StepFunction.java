package dev.breakglass.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.breakglass.runs.StepMessage;
import dev.breakglass.runs.StepQueue;
import java.util.function.Supplier;

/**
 * Runs one unit of work per message of {@code breakglass-steps}. Waiting is done by re-enqueuing with
 * a visibility delay, never by sleeping here. An exception means "a bug or an outage": the host
 * retries the message up to {@code maxDequeueCount} times, then moves it to the poison queue. No
 * retry annotation: they do not apply to queue triggers
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries).
 */
public final class StepFunction {

    private final Supplier<FunctionsApp> app;

    public StepFunction() {
        this(FunctionsApp::get);
    }

    StepFunction(Supplier<FunctionsApp> app) {
        this.app = app;
    }

    @FunctionName("step")
    public void step(
            @QueueTrigger(name = "message", queueName = StepQueue.NAME, connection = "AzureWebJobsStorage") String message,
            @BindingName("Id") String messageId,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        StepMessage parsed = StepMessage.parse(message);
        LogRedaction.logger(context).fine(() -> "Handling " + parsed.key() + " of run " + parsed.runId() + " (delivery "
                + dequeueCount + ")");
        app.get().runs().handle(parsed, messageId);
    }
}
