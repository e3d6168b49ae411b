package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code /users/{id}/authentication/methods} (https://learn.microsoft.com/graph/api/authentication-list-methods) and
 * {@code /users/{id}/authentication/temporaryAccessPassMethods}: list, create, get, delete
 * (https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods,
 * https://learn.microsoft.com/graph/api/resources/temporaryaccesspassauthenticationmethod). Every user has the
 * password method under its well-known id. The pass itself is in the POST's answer only; a POST while a pass exists
 * replaces it, as the create documentation says. Not recorded: the 400 bodies for a lifetime outside the policy's
 * range and for a policy that does not allow passes (codes and messages are plausible, statuses documented).
 */
final class AuthenticationMethodsApi {
    static final String PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";
    private static final String TAP_TYPE = "#microsoft.graph.temporaryAccessPassAuthenticationMethod";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TAP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789@#$%&*+=?";

    private final GraphService graph;
    private final TenantState state;

    AuthenticationMethodsApi(GraphService graph, TenantState state) {
        this.graph = graph;
        this.state = state;
    }

    /** @param path {@code users, {id}, authentication, …} */
    Reply handle(Call call, Directory.User user, List<String> path) {
        if (path.size() < 4) {
            throw GraphService.unknownSegment("authentication");
        }
        String collection = path.get(3);
        String context = "users('" + user.id + "')/authentication/" + collection;
        if (collection.equals("methods") && path.size() == 4) {
            requireGet(call);
            return list(context, methods(user));
        }
        if (!collection.equals("temporaryAccessPassMethods") || path.size() > 5) {
            throw GraphService.unknownSegment(path.get(path.size() - 1));
        }
        if (path.size() == 4) {
            switch (call.method) {
                case "GET":
                    return list(context, user.temporaryAccessPass == null ? List.of() : List.of(render(user.temporaryAccessPass)));
                case "POST":
                    return create(context, user, call.jsonBody());
                default:
                    throw GraphService.methodNotAllowed();
            }
        }
        if (user.temporaryAccessPass == null || !user.temporaryAccessPass.data.get("id").asText().equals(path.get(4))) {
            throw ApiError.of(404, "itemNotFound", "The requested resource could not be found.");
        }
        switch (call.method) {
            case "GET":
                return graph.entity(200, context + "/$entity", render(user.temporaryAccessPass));
            case "DELETE":
                user.temporaryAccessPass = null;
                return Reply.empty(204);
            default:
                throw GraphService.methodNotAllowed();
        }
    }

    private Reply create(String context, Directory.User user, ObjectNode body) {
        if (!state.temporaryAccessPassPolicyEnabled) {
            throw ApiError.of(400, "badRequest", "Temporary Access Pass is not enabled for this user by the authentication methods policy.");
        }
        int lifetime = body.path("lifetimeInMinutes").asInt(60);
        if (lifetime < 10 || lifetime > 43200) {
            throw ApiError.of(400, "badRequest", "The lifetime of the Temporary Access Pass must be within the range allowed by policy.");
        }
        Instant now = Instant.now();
        Instant start = body.hasNonNull("startDateTime") ? Instant.parse(body.get("startDateTime").asText()) : now;
        ObjectNode data = Json.object();
        data.put("id", UUID.randomUUID().toString());
        data.put("createdDateTime", GraphService.timestamp(now));
        data.put("startDateTime", GraphService.timestamp(start));
        data.put("lifetimeInMinutes", lifetime);
        data.put("isUsableOnce", body.path("isUsableOnce").asBoolean(false));
        user.temporaryAccessPass = new Directory.TemporaryAccessPass(data, newPass());
        ObjectNode answer = render(user.temporaryAccessPass);
        answer.put("temporaryAccessPass", user.temporaryAccessPass.value);
        return graph.entity(201, context + "/$entity", answer);
    }

    /** The stored pass with what Graph computes on every read: whether it is usable now, and why. */
    static ObjectNode render(Directory.TemporaryAccessPass pass) {
        ObjectNode out = Json.object();
        out.put("@odata.type", TAP_TYPE);
        out.setAll(pass.data.deepCopy());
        Instant now = Instant.now();
        Instant start = Instant.parse(pass.data.get("startDateTime").asText());
        Instant end = start.plusSeconds(60L * pass.data.get("lifetimeInMinutes").asInt());
        String reason = pass.used ? "OneTimeUsed" : now.isBefore(start) ? "NotYetValid" : now.isBefore(end) ? "EnabledByPolicy" : "Expired";
        out.put("isUsable", reason.equals("EnabledByPolicy"));
        out.put("methodUsabilityReason", reason);
        out.putNull("temporaryAccessPass");
        return out;
    }

    private static List<ObjectNode> methods(Directory.User user) {
        List<ObjectNode> all = new ArrayList<>();
        ObjectNode password = Json.object();
        password.put("@odata.type", "#microsoft.graph.passwordAuthenticationMethod");
        password.put("id", PASSWORD_METHOD_ID);
        password.putNull("password");
        password.set("createdDateTime", user.data.get("lastPasswordChangeDateTime"));
        all.add(password);
        user.methods.forEach(method -> all.add(method.deepCopy()));
        if (user.temporaryAccessPass != null) {
            all.add(render(user.temporaryAccessPass));
        }
        return all;
    }

    private Reply list(String context, List<ObjectNode> items) {
        ObjectNode body = Json.object();
        body.put("@odata.context", graph.context(context));
        body.set("value", Json.MAPPER.valueToTree(items));
        return Reply.json(200, body);
    }

    private static void requireGet(Call call) {
        if (!call.method.equals("GET")) {
            throw GraphService.methodNotAllowed();
        }
    }

    /** Passes are 8 to 48 characters (policy default 8); breakglass's tests only need unguessable ones. */
    private static String newPass() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            out.append(TAP_ALPHABET.charAt(RANDOM.nextInt(TAP_ALPHABET.length())));
        }
        return out.toString();
    }

    /** A FIDO2 method as an admin's or the user's registration leaves it (https://learn.microsoft.com/graph/api/resources/fido2authenticationmethod). */
    static ObjectNode fido2(String displayName, Instant now) {
        ObjectNode method = Json.object();
        method.put("@odata.type", "#microsoft.graph.fido2AuthenticationMethod");
        method.put("id", UUID.randomUUID().toString());
        method.put("displayName", displayName);
        method.put("createdDateTime", GraphService.timestamp(now));
        method.put("aaGuid", "cb69481e-8ff7-4039-93ec-0a2729a154a8");
        method.put("model", "YubiKey 5 Series");
        method.set("attestationCertificates", Json.array());
        method.put("attestationLevel", "attested");
        return method;
    }
}
