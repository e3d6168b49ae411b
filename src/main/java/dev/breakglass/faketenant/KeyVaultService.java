package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Key Vault secrets data plane (api-version 7.x), following {@code api-contracts/keyvault/secrets_7.6.trimmed.json}
 * and the recorded soft-delete traffic: PUT always 200 with a new version, attributes in Unix seconds, DELETE 200
 * with a DeletedSecretBundle, and a soft-deleted name refused with 409 until it is recovered or purged.
 */
final class KeyVaultService implements Service {
    private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
    private static final int MAX_RESULTS = 25;

    private final String vaultUri;
    private final String challenge;
    private final TenantState state;

    KeyVaultService(String vaultUri, String challengeResource, String tenantId, TenantState state) {
        this.vaultUri = vaultUri;
        this.state = state;
        // The SDK reads authorization (or authorization_uri) for the tenant and resource (or scope) for the
        // token audience, and with verification on requires the vault host to end with "." + resource host
        // (KeyVaultCredentialPolicy; https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses).
        this.challenge = "Bearer authorization=\"https://login.microsoftonline.com/" + tenantId + "\", resource=\"" + challengeResource + "\"";
    }

    @Override
    public boolean owns(Call call) {
        String first = call.segment(0);
        return "secrets".equals(first) || "deletedsecrets".equals(first);
    }

    @Override
    public Reply handle(Call call) {
        if (call.query.get("api-version") == null) {
            throw ApiError.of(400, "BadParameter", "The request URI contains an invalid or missing api-version.");
        }
        List<String> path = call.segments;
        return path.get(0).equals("secrets") ? secrets(call, path) : deletedSecrets(call, path);
    }

    private Reply secrets(Call call, List<String> path) {
        if (path.size() == 1) {
            requireMethod(call, "GET");
            List<ObjectNode> items = new ArrayList<>();
            for (SecretStore.Secret secret : state.secrets.activeSecrets()) {
                items.add(item(secret, secret.latest(), false));
            }
            return page(call, items, "/secrets");
        }
        String name = name(path.get(1));
        String version = path.size() > 2 ? path.get(2) : "";
        if (path.size() > 3) {
            throw notFoundPath();
        }
        if (version.equals("versions")) {
            requireMethod(call, "GET");
            SecretStore.Secret secret = requireActive(name);
            List<ObjectNode> items = new ArrayList<>();
            secret.versions.values().forEach(v -> items.add(item(secret, v, true)));
            return page(call, items, "/secrets/" + secret.name + "/versions");
        }
        switch (call.method) {
            case "PUT":
                if (path.size() > 2) {
                    throw methodNotAllowed();
                }
                return set(name, call.jsonBody());
            case "GET":
                return get(name, version);
            case "PATCH":
                return update(name, version, call.jsonBody());
            case "DELETE":
                if (path.size() > 2) {
                    throw methodNotAllowed();
                }
                SecretStore.Secret secret = requireActive(name);
                state.secrets.softDelete(name, now());
                return Reply.json(200, deletedBundle(secret));
            default:
                throw methodNotAllowed();
        }
    }

    private Reply deletedSecrets(Call call, List<String> path) {
        if (path.size() == 1) {
            requireMethod(call, "GET");
            List<ObjectNode> items = new ArrayList<>();
            for (SecretStore.Secret secret : state.secrets.deleted.values()) {
                ObjectNode item = deletedBundle(secret);
                item.put("id", vaultUri + "/secrets/" + secret.name);
                items.add(item);
            }
            return page(call, items, "/deletedsecrets");
        }
        String name = name(path.get(1));
        SecretStore.Secret secret = state.secrets.deleted(name);
        if (secret == null) {
            throw ApiError.of(404, "SecretNotFound", "Deleted Secret not found: " + name);
        }
        if (path.size() == 3 && path.get(2).equals("recover")) {
            requireMethod(call, "POST");
            state.secrets.deleted.remove(name.toLowerCase(java.util.Locale.ROOT));
            state.secrets.active.put(name.toLowerCase(java.util.Locale.ROOT), secret);
            return Reply.json(200, bundle(secret, secret.latest(), false));
        }
        if (path.size() > 2) {
            throw notFoundPath();
        }
        switch (call.method) {
            case "GET":
                return Reply.json(200, deletedBundle(secret));
            case "DELETE":
                state.secrets.deleted.remove(name.toLowerCase(java.util.Locale.ROOT));
                return Reply.empty(204);
            default:
                throw methodNotAllowed();
        }
    }

    private Reply set(String name, ObjectNode body) {
        if (state.secrets.deleted(name) != null) {
            throw ApiError.withInner(409, "Conflict", "Secret " + name + " is currently in a deleted but recoverable state, and its name cannot be reused; "
                    + "in this state, the secret can only be recovered or purged.", "ObjectIsDeletedButRecoverable");
        }
        String value = Json.text(body, "value");
        if (value == null) {
            throw ApiError.of(400, "BadParameter", "Property 'value' is required.");
        }
        SecretStore.Version version = state.secrets.add(name, UUID.randomUUID().toString().replace("-", ""), value, now());
        version.contentType = Json.text(body, "contentType");
        applyTags(version, body);
        applyAttributes(version, body.get("attributes"));
        return Reply.json(200, bundle(state.secrets.active(name), version, true));
    }

    private Reply get(String name, String versionId) {
        SecretStore.Secret secret = requireActive(name);
        SecretStore.Version version = version(secret, versionId);
        if (!version.enabled) {
            throw ApiError.withInner(403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
        }
        return Reply.json(200, bundle(secret, version, true));
    }

    private Reply update(String name, String versionId, ObjectNode body) {
        SecretStore.Secret secret = requireActive(name);
        SecretStore.Version version = version(secret, versionId);
        if (body.has("contentType")) {
            version.contentType = Json.text(body, "contentType");
        }
        applyTags(version, body);
        applyAttributes(version, body.get("attributes"));
        version.updated = now();
        return Reply.json(200, bundle(secret, version, false));
    }

    private static void applyTags(SecretStore.Version version, ObjectNode body) {
        if (body.get("tags") instanceof ObjectNode tags) {
            version.tags = tags.deepCopy();
        }
    }

    private static void applyAttributes(SecretStore.Version version, JsonNode attributes) {
        if (attributes == null || !attributes.isObject()) {
            return;
        }
        if (attributes.has("enabled")) {
            version.enabled = attributes.get("enabled").asBoolean(true);
        }
        if (attributes.has("nbf")) {
            version.notBefore = attributes.get("nbf").isNull() ? null : attributes.get("nbf").asLong();
        }
        if (attributes.has("exp")) {
            version.expires = attributes.get("exp").isNull() ? null : attributes.get("exp").asLong();
        }
    }

    private SecretStore.Secret requireActive(String name) {
        SecretStore.Secret secret = state.secrets.active(name);
        if (secret == null) {
            throw secretNotFound(name);
        }
        return secret;
    }

    private static SecretStore.Version version(SecretStore.Secret secret, String versionId) {
        SecretStore.Version version = versionId.isEmpty() ? secret.latest() : secret.versions.get(versionId.toLowerCase(java.util.Locale.ROOT));
        if (version == null) {
            throw secretNotFound(secret.name + "/" + versionId);
        }
        return version;
    }

    private static ApiError secretNotFound(String nameOrId) {
        return ApiError.of(404, "SecretNotFound", "A secret with (name/id) " + nameOrId + " was not found in this key vault. "
                + "If you recently deleted this secret you may be able to recover it using the correct recovery command. "
                + "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");
    }

    private ObjectNode bundle(SecretStore.Secret secret, SecretStore.Version version, boolean withValue) {
        ObjectNode out = Json.object();
        if (withValue) {
            out.put("value", version.value);
        }
        if (version.contentType != null) {
            out.put("contentType", version.contentType);
        }
        out.put("id", vaultUri + "/secrets/" + secret.name + "/" + version.version);
        out.set("attributes", attributes(version));
        if (version.tags != null) {
            out.set("tags", version.tags.deepCopy());
        }
        return out;
    }

    private ObjectNode deletedBundle(SecretStore.Secret secret) {
        ObjectNode out = Json.object();
        out.put("recoveryId", vaultUri + "/deletedsecrets/" + secret.name);
        out.put("deletedDate", secret.deletedDate);
        out.put("scheduledPurgeDate", secret.deletedDate + SecretStore.RETENTION_SECONDS);
        out.setAll(bundle(secret, secret.latest(), false));
        return out;
    }

    /** A list item: no value; the {@code /secrets} list names the secret, {@code /versions} names each version. */
    private ObjectNode item(SecretStore.Secret secret, SecretStore.Version version, boolean withVersion) {
        ObjectNode out = Json.object();
        out.put("id", vaultUri + "/secrets/" + secret.name + (withVersion ? "/" + version.version : ""));
        out.set("attributes", attributes(version));
        if (version.tags != null) {
            out.set("tags", version.tags.deepCopy());
        }
        if (version.contentType != null) {
            out.put("contentType", version.contentType);
        }
        return out;
    }

    private static ObjectNode attributes(SecretStore.Version version) {
        ObjectNode attributes = Json.object();
        attributes.put("enabled", version.enabled);
        if (version.notBefore != null) {
            attributes.put("nbf", version.notBefore);
        }
        if (version.expires != null) {
            attributes.put("exp", version.expires);
        }
        attributes.put("created", version.created);
        attributes.put("updated", version.updated);
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        return attributes;
    }

    /** Pages of {@code maxresults} (at most 25) with an absolute {@code nextLink}, null on the last page. */
    private Reply page(Call call, List<ObjectNode> items, String path) {
        int size = MAX_RESULTS;
        String max = call.query.get("maxresults");
        if (max != null) {
            try {
                size = Integer.parseInt(max);
            } catch (NumberFormatException e) {
                size = 0;
            }
            if (size < 1 || size > MAX_RESULTS) {
                throw ApiError.of(400, "BadParameter", "The value for maxresults must be between 1 and 25.");
            }
        }
        int offset = 0;
        String token = call.query.get("$skiptoken");
        if (token != null) {
            try {
                offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiError.of(400, "BadParameter", "The $skiptoken is invalid.");
            }
        }
        int end = Math.min(items.size(), offset + size);
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        items.subList(Math.min(offset, items.size()), end).forEach(value::add);
        if (end < items.size()) {
            String next = Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8));
            body.put("nextLink", vaultUri + path + "?api-version=" + call.query.get("api-version") + "&$skiptoken=" + next
                    + "&maxresults=" + size);
        } else {
            body.putNull("nextLink");
        }
        return Reply.json(200, body);
    }

    private static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ApiError.of(400, "BadParameter", "The request URI contains an invalid name: " + name);
        }
        return name;
    }

    private static void requireMethod(Call call, String method) {
        if (!call.method.equals(method)) {
            throw methodNotAllowed();
        }
    }

    private static ApiError methodNotAllowed() {
        return ApiError.of(405, "MethodNotAllowed", "The requested method is not allowed on this resource.");
    }

    private static ApiError notFoundPath() {
        return ApiError.of(404, "NotFound", "The requested resource was not found.");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Override
    public Reply error(ApiError error) {
        ObjectNode body = Json.object();
        ObjectNode inner = body.putObject("error").put("code", error.code).put("message", error.message());
        if (error.innerCode != null) {
            inner.putObject("innererror").put("code", error.innerCode);
        }
        return Reply.json(error.status, body);
    }

    /** The 401 challenge the SDK's first, token-less request must receive (recorded traffic). */
    @Override
    public Reply unauthorized(Call call) {
        String message = call.authorization == null ? "Request is missing a Bearer or PoP token." : "The access token is invalid.";
        return error(ApiError.of(401, "Unauthorized", message)).header("WWW-Authenticate", challenge);
    }

    @Override
    public void decorate(Reply reply) {
        reply.headers.putIfAbsent("x-ms-request-id", UUID.randomUUID().toString());
        reply.headers.putIfAbsent("x-ms-keyvault-service-version", "1.9.0.0");
        reply.headers.putIfAbsent("Cache-Control", "no-cache");
        if (reply.body.length > 0) {
            reply.headers.putIfAbsent("Content-Type", "application/json; charset=utf-8");
        }
    }

    /** Key Vault's throttling error (https://learn.microsoft.com/azure/key-vault/general/overview-throttling). */
    @Override
    public ApiError throttled() {
        return ApiError.of(429, "Throttled", "Request was not processed because too many requests were received.");
    }

    @Override
    public ApiError serverError(int status) {
        return ApiError.of(status, status == 503 ? "ServiceUnavailable" : "InternalServerError",
                "The service encountered an internal error. Please retry the request.");
    }
}
