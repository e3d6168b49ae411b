package dev.breakglass.functions;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.microsoft.azure.functions.ExecutionContext;
import dev.breakglass.runs.StepQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Plays the Functions host's part for the queue triggers, as host.json configures it: receive,
 * base64-decode, invoke the {@code @FunctionName} method, delete on success, make the message visible
 * again after {@code visibilityTimeout} on failure, and move it to {@code <queue>-poison} once it has
 * been dequeued {@code maxDequeueCount} times
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#poison-messages).
 */
final class FunctionsHost {

    static final int MAX_DEQUEUE_COUNT = 5;
    private static final Duration PROCESSING_VISIBILITY = Duration.ofMinutes(1);
    private static final Duration RETRY_VISIBILITY = Duration.ofMillis(500);

    private final String connectionString;
    private final QueueClient steps;
    private final QueueClient poison;
    private final Invoker invoker;
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Predicate<String> acknowledges = text -> true;
    private int lostAcks;
    private int stepDeliveries;

    FunctionsHost(String connectionString, FunctionsApp app) {
        this(connectionString, Invoker.of(new StepFunction(() -> app), new PoisonFunction(() -> app)));
    }

    /** A host whose function invocations are {@code invoker}'s (e.g. runs over a workflow with injected crashes). */
    FunctionsHost(String connectionString, Invoker invoker) {
        this.connectionString = connectionString;
        this.steps = queue(connectionString, StepQueue.NAME);
        this.poison = queue(connectionString, StepQueue.POISON);
        this.invoker = invoker;
    }

    /** What the host invokes for a step message and for a poison message. */
    interface Invoker {
        void step(String text, String messageId, long dequeueCount);

        void poisoned(String text);

        static Invoker of(StepFunction stepFunction, PoisonFunction poisonFunction) {
            return new Invoker() {
                @Override
                public void step(String text, String messageId, long dequeueCount) {
                    stepFunction.step(text, messageId, dequeueCount, context());
                }

                @Override
                public void poisoned(String text) {
                    poisonFunction.poisoned(text, context());
                }
            };
        }
    }

    /**
     * Makes the host die between a successful invocation and the delete of its message, for the messages
     * (decoded text) this predicate rejects: the message becomes visible again, as when a worker's lease lapses.
     */
    FunctionsHost losingAcknowledgements(Predicate<String> acknowledged) {
        this.acknowledges = acknowledged;
        return this;
    }

    /** How many acknowledgements were lost so far. */
    int lostAcknowledgements() {
        return lostAcks;
    }

    /** How many step messages were delivered to the step function so far (redeliveries included). */
    int stepDeliveries() {
        return stepDeliveries;
    }

    /** The host reads messages raw and decodes base64 itself, failing the invocation when it cannot. */
    static QueueClient queue(String connectionString, String name) {
        QueueClient queue = new QueueClientBuilder().connectionString(connectionString).queueName(name)
                .messageEncoding(QueueMessageEncoding.NONE).buildClient();
        queue.createIfNotExists();
        return queue;
    }

    /** Processes messages until both queues are empty (delayed messages included), or the deadline passes. */
    void runUntilIdle(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            boolean worked = drain(steps, true) | drain(poison, false);
            if (!worked) {
                if (count(steps) == 0 && count(poison) == 0) {
                    return;
                }
                pause();
            }
        }
        throw new AssertionError("queues not idle after " + timeout + "; failures: " + failures);
    }

    /** One polling round of the host: whatever is visible now is processed. */
    void runOnce() {
        if (!(drain(steps, true) | drain(poison, false))) {
            pause();
        }
    }

    /** Invocation errors seen so far (what the host would log). */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Queue clients as a producer uses them: base64, as the host expects. */
    QueueClient stepsQueue() {
        return producer(StepQueue.NAME);
    }

    QueueClient poisonQueue() {
        return producer(StepQueue.POISON);
    }

    private QueueClient producer(String name) {
        return new QueueClientBuilder().connectionString(connectionString).queueName(name)
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    }

    private boolean drain(QueueClient queue, boolean isSteps) {
        boolean worked = false;
        for (QueueMessageItem message : queue.receiveMessages(4, PROCESSING_VISIBILITY, null, null)) {
            worked = true;
            String raw = message.getBody().toString();
            try {
                String text = new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8);
                if (isSteps) {
                    stepDeliveries++;
                    invoker.step(text, message.getMessageId(), message.getDequeueCount());
                } else {
                    invoker.poisoned(text);
                }
                if (isSteps && !acknowledges.test(text)) {
                    lostAcks++;
                    queue.updateMessage(message.getMessageId(), message.getPopReceipt(), raw, RETRY_VISIBILITY);
                    continue;
                }
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            } catch (RuntimeException e) {
                failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                if (message.getDequeueCount() >= MAX_DEQUEUE_COUNT) {
                    if (isSteps) {
                        poison.sendMessage(raw);
                    }
                    queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                } else {
                    queue.updateMessage(message.getMessageId(), message.getPopReceipt(), raw, RETRY_VISIBILITY);
                }
            }
        }
        return worked;
    }

    private static int count(QueueClient queue) {
        return queue.getProperties().getApproximateMessagesCount();
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ExecutionContext context() {
        return new ExecutionContext() {
            @Override
            public Logger getLogger() {
                return Logger.getLogger("dev.breakglass.functions");
            }

            @Override
            public String getInvocationId() {
                return "test-invocation";
            }

            @Override
            public String getFunctionName() {
                return "test";
            }
        };
    }
}
