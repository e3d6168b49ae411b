package dev.breakglass.functions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /api/provision}: small and strict. The desired state comes from app
 * settings, never from the caller: a property other than {@code reason} and {@code dryRun} (a role,
 * a principal, a workspace, a recipient, a policy) is refused rather than ignored.
 *
 * @param reason why the run was started, for the audit trail (printable, at most 200 characters)
 * @param dryRun observe and report only
 */
record ProvisionRequest(String reason, boolean dryRun) {

    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final int MAX_REASON = 200;
    private static final Set<String> FIELDS = Set.of("reason", "dryRun");
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build());
    }

    /** @throws InvalidRequest naming what is wrong */
    static ProvisionRequest parse(String body) {
        if (body == null || body.isBlank()) {
            return new ProvisionRequest("", false);
        }
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequest("the body is not valid JSON (duplicate keys, nesting deeper than 8 and "
                    + "trailing content are refused)");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequest("the body must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidRequest("unknown property '" + printable(name) + "': only reason and dryRun are "
                        + "accepted; the desired state comes from the app settings");
            }
        }
        JsonNode reason = node.get("reason");
        if (reason != null && !reason.isTextual()) {
            throw new InvalidRequest("reason must be a string");
        }
        String text = reason == null ? "" : reason.asText();
        if (text.length() > MAX_REASON || text.codePoints().anyMatch(ProvisionRequest::isUnsafe)) {
            throw new InvalidRequest("reason must be at most " + MAX_REASON + " printable characters");
        }
        JsonNode dryRun = node.get("dryRun");
        if (dryRun != null && !dryRun.isBoolean()) {
            throw new InvalidRequest("dryRun must be true or false");
        }
        return new ProvisionRequest(text, dryRun != null && dryRun.asBoolean());
    }

    /** A digest of what the request asks for, to tell a retried request from a different one. */
    String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((dryRun + "\n" + reason)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isUnsafe(int codePoint) {
        return Character.isISOControl(codePoint) || (codePoint >= 0x202A && codePoint <= 0x202E)
                || (codePoint >= 0x2066 && codePoint <= 0x2069);
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) : text;
        return cut.codePoints().allMatch(cp -> !isUnsafe(cp)) ? cut : "(unprintable)";
    }

    static final class InvalidRequest extends RuntimeException {
        InvalidRequest(String message) {
            super(message);
        }
    }
}
