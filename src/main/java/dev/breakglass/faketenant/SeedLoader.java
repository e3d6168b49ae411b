package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Expands a short {@link TenantSeed} into the full Graph shapes the services return. */
final class SeedLoader {
    /** Seeded users with no password get this one; it satisfies Entra ID's complexity rule. */
    private static final String DEFAULT_PASSWORD = "Seeded-Passw0rd!";

    private final TenantState state;

    SeedLoader(TenantState state) {
        this.state = state;
    }

    void load(ObjectNode seed) {
        Instant now = Instant.now();
        boolean otherDefault = false;
        for (JsonNode domain : seed.path("domains")) {
            otherDefault |= domain.path("isDefault").asBoolean(false);
        }
        state.directory.domains.add(domain(state.initialDomain, true, !otherDefault, true));
        for (JsonNode domain : seed.path("domains")) {
            ObjectNode given = domain.isTextual() ? Json.object().put("id", domain.asText()) : (ObjectNode) domain;
            ObjectNode full = domain(given.get("id").asText(), false, false, true);
            full.setAll(given.deepCopy());
            state.directory.domains.add(full);
        }
        seed.path("subscribedSkus").forEach(sku -> state.directory.skus.add(sku((ObjectNode) sku)));
        for (JsonNode user : seed.path("users")) {
            ObjectNode props = (ObjectNode) user.deepCopy();
            String password = props.has("password") ? props.remove("password").asText() : DEFAULT_PASSWORD;
            if (!props.has("accountEnabled")) {
                props.put("accountEnabled", true);
            }
            String upn = Json.text(props, "userPrincipalName");
            if (upn == null) {
                throw new IllegalArgumentException("seed user without userPrincipalName: " + user);
            }
            if (!props.has("mailNickname")) {
                props.put("mailNickname", upn.substring(0, upn.indexOf('@')));
            }
            List<String> passkeys = new ArrayList<>();
            if (props.remove("fido2Methods") instanceof ArrayNode names) {
                names.forEach(name -> passkeys.add(name.asText()));
            }
            Directory.User added = state.directory.addUser(props, password, now, now);
            passkeys.forEach(name -> added.methods.add(AuthenticationMethodsApi.fido2(name, now)));
        }
        for (JsonNode group : seed.path("groups")) {
            Directory.Group added = state.directory.addGroup(groupDefaults((ObjectNode) group), now);
            for (JsonNode member : group.path("members")) {
                added.members.add(user(member.asText()).id);
            }
        }
        for (JsonNode assignment : seed.path("roleAssignments")) {
            String principal = principal(assignment.path("principal").asText());
            state.roles.add(principal, assignment.path("roleDefinitionId").asText(),
                    assignment.path("directoryScopeId").asText("/"), null, RoleStore.permanentSchedule(now));
        }
        seed.path("conditionalAccessPolicies").forEach(policy -> state.policies.put((ObjectNode) policy, now));
        AadDiagnosticSettingsApi diagnostics = new AadDiagnosticSettingsApi(state.arm);
        for (JsonNode setting : seed.path("azure").path("diagnosticSettings")) {
            String name = setting.path("name").asText();
            state.arm.diagnosticSettings.put(name.toLowerCase(Locale.ROOT), diagnostics.setting(name, (ObjectNode) setting));
        }
    }

    private static ObjectNode domain(String id, boolean initial, boolean isDefault, boolean verified) {
        ObjectNode domain = Json.object();
        domain.put("authenticationType", "Managed");
        domain.putNull("availabilityStatus");
        domain.put("id", id);
        domain.put("isAdminManaged", true);
        domain.put("isDefault", isDefault);
        domain.put("isInitial", initial);
        domain.put("isRoot", true);
        domain.put("isVerified", verified);
        domain.putNull("passwordNotificationWindowInDays");
        domain.putNull("passwordValidityPeriodInDays");
        domain.putArray("supportedServices").add("Email").add("OfficeCommunicationsOnline");
        domain.putNull("state");
        return domain;
    }

    /** The subscribedSku shape of https://learn.microsoft.com/graph/api/resources/subscribedsku. */
    private ObjectNode sku(ObjectNode given) {
        String partNumber = given.path("skuPartNumber").asText();
        String skuId = given.path("skuId").asText(nameBasedId(partNumber));
        ObjectNode sku = Json.object();
        sku.put("accountName", state.initialDomain.substring(0, state.initialDomain.indexOf('.')));
        sku.put("accountId", state.tenantId);
        sku.put("appliesTo", "User");
        sku.put("capabilityStatus", "Enabled");
        sku.put("consumedUnits", given.path("consumedUnits").asInt(0));
        sku.put("id", state.tenantId + "_" + skuId);
        sku.putObject("prepaidUnits").put("enabled", given.path("prepaidUnits").asInt(25))
                .put("suspended", 0).put("warning", 0).put("lockedOut", 0);
        var plans = sku.putArray("servicePlans");
        for (JsonNode plan : given.path("servicePlans")) {
            String name = plan.isTextual() ? plan.asText() : plan.path("servicePlanName").asText();
            plans.addObject()
                    .put("servicePlanId", plan.path("servicePlanId").asText(nameBasedId(name)))
                    .put("servicePlanName", name)
                    .put("provisioningStatus", plan.path("provisioningStatus").asText("Success"))
                    .put("appliesTo", "User");
        }
        sku.put("skuId", skuId);
        sku.put("skuPartNumber", partNumber);
        sku.putArray("subscriptionIds").add(nameBasedId(state.tenantId + partNumber));
        return sku;
    }

    private static ObjectNode groupDefaults(ObjectNode group) {
        ObjectNode props = group.deepCopy();
        props.remove("members");
        if (!props.has("mailEnabled")) {
            props.put("mailEnabled", false);
        }
        if (!props.has("securityEnabled")) {
            props.put("securityEnabled", true);
        }
        if (!props.has("isAssignableToRole")) {
            props.putNull("isAssignableToRole");
        }
        return props;
    }

    private Directory.User user(String idOrUpn) {
        Directory.User user = state.directory.user(idOrUpn);
        if (user == null) {
            throw new IllegalArgumentException("seed refers to an unknown user: " + idOrUpn);
        }
        return user;
    }

    private String principal(String idOrUpn) {
        String lower = idOrUpn.toLowerCase(Locale.ROOT);
        return state.directory.groups.containsKey(lower) ? lower : user(idOrUpn).id;
    }

    private static String nameBasedId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
