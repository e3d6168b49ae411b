package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Conditional Access policies, stored in their full wire shape. Not thread-safe: callers hold {@link TenantState}'s lock. */
final class PolicyStore {
    private static final List<String> STATES = List.of("enabled", "disabled", "enabledForReportingButNotEnforced");
    private static final List<String> READ_ONLY = List.of("id", "createdDateTime", "modifiedDateTime", "templateId", "deletedDateTime");

    /** The built-in authentication strengths, combinations separated by ';' (https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths). */
    private static final Map<String, String[]> BUILT_IN_STRENGTHS = Map.of(
            "00000000-0000-0000-0000-000000000002", new String[] {"Multifactor authentication",
                "Combinations of methods that satisfy strong authentication, such as a password + SMS",
                "windowsHelloForBusiness;fido2;x509CertificateMultiFactor;deviceBasedPush;temporaryAccessPassOneTime;"
                        + "temporaryAccessPassMultiUse;password,microsoftAuthenticatorPush;password,softwareOath;password,hardwareOath;"
                        + "password,sms;password,voice;federatedMultiFactor;microsoftAuthenticatorPush,federatedSingleFactor;"
                        + "softwareOath,federatedSingleFactor;hardwareOath,federatedSingleFactor;sms,federatedSingleFactor;"
                        + "voice,federatedSingleFactor"},
            "00000000-0000-0000-0000-000000000003", new String[] {"Passwordless MFA",
                "Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator",
                "windowsHelloForBusiness;fido2;x509CertificateMultiFactor;deviceBasedPush"},
            "00000000-0000-0000-0000-000000000004", new String[] {"Phishing-resistant MFA",
                "Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key",
                "windowsHelloForBusiness;fido2;x509CertificateMultiFactor"});

    final Map<String, ObjectNode> policies = new LinkedHashMap<>();

    /** Creates a policy from a client body: read-only fields are assigned by the service. */
    ObjectNode create(ObjectNode body, Instant now) {
        PolicyShape.POLICY.validate(body);
        if (Json.text(body, "displayName") == null) {
            throw ApiError.of(400, "BadRequest", "The property 'displayName' is required.");
        }
        checkState(body, true);
        ObjectNode copy = body.deepCopy();
        copy.remove(READ_ONLY);
        return store(UUID.randomUUID().toString(), copy, now);
    }

    /** Stores a seeded or drift-simulated policy, keeping its id and templateId when given. */
    ObjectNode put(ObjectNode body, Instant now) {
        String id = Json.text(body, "id") != null ? Json.text(body, "id").toLowerCase(Locale.ROOT) : UUID.randomUUID().toString();
        return store(id, body, now);
    }

    /**
     * Graph PATCH: objects merge, arrays named in the body replace the stored ones, so {@code excludeUsers: []}
     * clears the list (https://learn.microsoft.com/graph/api/conditionalaccesspolicy-update; field report
     * Microsoft365DSC #4342). Read-only properties cannot be changed.
     */
    void patch(ObjectNode policy, ObjectNode body, Instant now) {
        PolicyShape.POLICY.validate(body);
        for (String field : READ_ONLY) {
            if (body.has(field) && !sameValue(body.get(field), policy.get(field))) {
                throw ApiError.of(400, "BadRequest", "The property '" + field + "' is read-only and cannot be modified.");
            }
        }
        if (body.has("displayName") && Json.text(body, "displayName") == null) {
            throw ApiError.of(400, "BadRequest", "The property 'displayName' cannot be null.");
        }
        checkState(body, false);
        ObjectNode patch = body.deepCopy();
        patch.remove(READ_ONLY);
        Json.mergePatch(policy, patch);
        ObjectNode normalized = normalize(policy);
        policy.removeAll();
        policy.setAll(normalized);
        policy.put("modifiedDateTime", GraphService.preciseTimestamp(now));
    }

    private ObjectNode store(String id, ObjectNode body, Instant now) {
        ObjectNode policy = body.deepCopy();
        policy.put("id", id);
        if (!policy.has("createdDateTime")) {
            policy.put("createdDateTime", GraphService.preciseTimestamp(now));
        }
        ObjectNode normalized = normalize(policy);
        policies.put(id, normalized);
        return normalized;
    }

    private static ObjectNode normalize(ObjectNode policy) {
        ObjectNode out = PolicyShape.POLICY.normalize(policy);
        PolicyShape.completeConditions(out);
        if (out.get("grantControls") instanceof ObjectNode grant && grant.get("authenticationStrength") instanceof ObjectNode strength) {
            expandStrength(strength);
        }
        return out;
    }

    /** A seed or client may name a built-in strength by id alone; Graph returns the whole policy object. */
    private static void expandStrength(ObjectNode strength) {
        String[] builtIn = BUILT_IN_STRENGTHS.get(Json.text(strength, "id"));
        if (builtIn == null || strength.has("displayName")) {
            return;
        }
        strength.put("createdDateTime", "2021-12-01T08:00:00Z");
        strength.put("modifiedDateTime", "2021-12-01T08:00:00Z");
        strength.put("displayName", builtIn[0]);
        strength.put("description", builtIn[1]);
        strength.put("policyType", "builtIn");
        strength.put("requirementsSatisfied", "mfa");
        var combinations = strength.putArray("allowedCombinations");
        for (String combination : builtIn[2].split(";")) {
            combinations.add(combination);
        }
    }

    private static void checkState(ObjectNode body, boolean required) {
        JsonNode state = body.get("state");
        if (state == null && !required) {
            return;
        }
        if (state == null || !state.isTextual() || !STATES.contains(state.asText())) {
            throw ApiError.of(400, "BadRequest", "The property 'state' must be one of " + String.join(", ", STATES) + ".");
        }
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || a.isNull()) {
            return b == null || b.isNull();
        }
        return b != null && a.asText().equalsIgnoreCase(b.asText());
    }
}
