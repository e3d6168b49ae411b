package dev.breakglass.runs;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over the canonical fields of step messages and of run records (TESTS.md G2). Whoever can write to
 * the queue or the run table (Storage Queue/Table Data Contributor) cannot compute a valid signature without the
 * key, which lives in Key Vault, not in app settings; so a message whose fields were swapped between runs or edited,
 * and a run record whose immutable fields were edited, are detected before any cloud call. Each kind is signed under
 * its own label, so a message's signature never verifies as a record's seal. The signature is an HMAC, never the
 * key, and is not a secret.
 */
public final class Signatures {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String MESSAGE_LABEL = "breakglass step message v" + StepMessage.VERSION;
    private static final String RUN_LABEL = "breakglass run record v1";

    private final Supplier<byte[]> key;

    /** @param key the 256-bit key, fetched lazily (on the first message) and cached by the supplier */
    public Signatures(Supplier<byte[]> key) {
        this.key = key;
    }

    public StepMessage sign(StepMessage message) {
        return message.withSignature(mac(canonical(message)));
    }

    /** Whether the message carries the signature of exactly its fields. */
    public boolean verifies(StepMessage message) {
        return message.signature() != null && matches(mac(canonical(message)), message.signature());
    }

    /** The seal of a run's immutable fields, stored with the record when it is created. */
    public String seal(Run run) {
        return mac(canonical(run));
    }

    /** Whether {@code seal} is the seal of this run's immutable fields as read now. */
    public boolean verifies(Run run, String seal) {
        return seal != null && matches(mac(canonical(run)), seal);
    }

    /** Fields cannot contain a newline (StepMessage validates them), and an absent account is empty. */
    private static String canonical(StepMessage message) {
        return String.join("\n", MESSAGE_LABEL, message.runId(), message.key().step(),
                message.key().account() == null ? "" : message.key().account(), Long.toString(message.generation()));
    }

    /** The reason is free text, so it comes last, marked present or absent. */
    private static String canonical(Run run) {
        return String.join("\n", RUN_LABEL, run.id(), Boolean.toString(run.dryRun()), Long.toString(run.generation()),
                run.createdAt().toString(), run.reason() == null ? "-" : "+" + run.reason());
    }

    private String mac(String canonical) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.get(), ALGORITHM));
            byte[] tag = mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("computing an HMAC-SHA256", e);
        }
    }

    /** Constant-time, so that timing does not reveal how much of a forged signature was right. */
    private static boolean matches(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
    }
}
