package dev.breakglass.runs;

import com.azure.storage.queue.QueueClient;
import java.time.Duration;

/**
 * The {@code breakglass-steps} queue. The client must encode messages as base64, as the Functions
 * queue trigger expects by default (host.json {@code messageEncoding}); a mismatch makes every
 * message undecodable (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#encoding).
 */
public final class StepQueue {

    public static final String NAME = "breakglass-steps";
    public static final String POISON = NAME + "-poison";
    /** Azure Storage caps a message's initial invisibility at seven days. */
    private static final Duration MAX_DELAY = Duration.ofDays(7).minusSeconds(1);

    private final QueueClient queue;
    private final Signatures signatures;

    public StepQueue(QueueClient queue) {
        this(queue, null);
    }

    private StepQueue(QueueClient queue, Signatures signatures) {
        this.queue = queue;
        this.signatures = signatures;
    }

    /**
     * The same queue, signing every message it sends (G2): signing here, not in each sender, means no code path can
     * send a message that workers would reject. {@link Runs} sends through the signing queue only.
     */
    public StepQueue signedWith(Signatures signer) {
        return new StepQueue(queue, signer);
    }

    /** Sends a message, signed when this queue signs (a re-sent message is signed again: same fields, same tag). */
    public void send(StepMessage message, Duration delay) {
        Duration visibility = delay.isNegative() ? Duration.ZERO : delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
        StepMessage out = signatures == null ? message : signatures.sign(message);
        queue.sendMessageWithResponse(out.toJson(), visibility, null, null, null);
    }
}
