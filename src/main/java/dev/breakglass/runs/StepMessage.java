package dev.breakglass.runs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.reconcile.StepKey;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a queue message carries: keys only (run, step, account, generation) and their HMAC
 * ({@link Signatures}), never an instruction, a principal or a secret. The step re-reads everything else, and
 * verifies the signature first, so a forged message, or one whose fields were swapped or edited, is rejected
 * before any cloud call (TESTS.md G1, G2).
 *
 * @param signature the base64url HMAC-SHA256 of the other fields, or null before signing
 */
public record StepMessage(String runId, StepKey key, long generation, String signature) {

    /** Version 2 added the signature: an unsigned version-1 message left in the queue by an upgrade is rejected. */
    static final int VERSION = 2;
    private static final Set<String> FIELDS = Set.of("v", "run", "step", "account", "generation", "sig");
    /** 32 bytes of HMAC-SHA256 in unpadded base64url. */
    private static final Pattern SIGNATURE = Pattern.compile("^[A-Za-z0-9_-]{43}$");
    private static final Pattern RUN_ID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9'._!#^~-]{1,64}$");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4)
                .maxStringLength(1024).build());
    }

    /** An unsigned message; {@link Signatures#sign} signs it before it is sent. */
    public StepMessage(String runId, StepKey key, long generation) {
        this(runId, key, generation, null);
    }

    public StepMessage withSignature(String signature) {
        return new StepMessage(runId, key, generation, signature);
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("run", runId);
        node.put("step", key.step());
        if (key.account() != null) {
            node.put("account", key.account());
        }
        node.put("generation", generation);
        if (signature != null) {
            node.put("sig", signature);
        }
        return node.toString();
    }

    /**
     * Parses a message strictly: known fields only, version 2, well-formed ids and a signature-shaped {@code sig}
     * (verified later, against the key: {@link Signatures#verifies(StepMessage)}).
     *
     * @throws InvalidMessageException saying what is wrong, without echoing the message
     */
    public static StepMessage parse(String text) {
        JsonNode node;
        try {
            node = text == null || text.length() > 4096 ? null : JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidMessageException("not JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidMessageException("not a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidMessageException("unknown field '" + (name.length() > 32 ? name.substring(0, 32) : name)
                        + "'");
            }
        }
        if (!node.path("v").isInt() || node.get("v").asInt() != VERSION) {
            throw new InvalidMessageException("unsupported schema version");
        }
        String run = node.path("run").asText("");
        String step = node.path("step").asText("");
        JsonNode account = node.get("account");
        if (!RUN_ID.matcher(run).matches() || !NAME.matcher(step).matches()
                || (account != null && !(account.isTextual() && NAME.matcher(account.asText()).matches()))
                || !node.path("generation").canConvertToLong()) {
            throw new InvalidMessageException("malformed run, step, account or generation");
        }
        String signature = node.path("sig").asText("");
        if (!node.path("sig").isTextual() || !SIGNATURE.matcher(signature).matches()) {
            throw new InvalidMessageException("missing or malformed signature");
        }
        return new StepMessage(run, new StepKey(step, account == null ? null : account.asText()),
                node.get("generation").asLong(), signature);
    }

    /** A message that is not one of ours: it goes to the poison queue unprocessed. */
    public static final class InvalidMessageException extends RuntimeException {
        public InvalidMessageException(String reason) {
            super("rejected queue message: " + reason);
        }
    }
}
