package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The starting state of a fake tenant, read from JSON:
 *
 * <pre>{@code
 * {
 *   "tenantId": "…guid…",                        // optional: random when absent
 *   "initialDomain": "contoso.onmicrosoft.com",  // required
 *   "domains": [ {"id": "contoso.com", "isDefault": true, "isVerified": true} ],   // or just "contoso.com"
 *   "subscribedSkus": [ {"skuPartNumber": "AAD_PREMIUM_P2", "skuId": "…", "prepaidUnits": 25, "consumedUnits": 7,
 *                        "servicePlans": [ {"servicePlanName": "AAD_PREMIUM_P2", "servicePlanId": "…"} ]} ],
 *   "users": [ {…Graph user properties…, "id": "optional fixed id", "password": "optional",
 *               "fido2Methods": ["YubiKey 5C"],                      // optional: registered passkeys
 *               "authorizationInfo": {"certificateUserIds": ["X509:<PN>…"]},   // optional: certificate bindings
 *               "signInActivity": {"lastSuccessfulSignInDateTime": "2026-01-02T03:04:05Z", …}} ],   // optional
 *   "groups": [ {…Graph group properties…, "members": ["user id or UPN", …]} ],
 *   "roleAssignments": [ {"principal": "user id or UPN", "roleDefinitionId": "…", "directoryScopeId": "/"} ],
 *   "conditionalAccessPolicies": [ {…short Graph policy: omitted collections and complex values are filled in…} ],
 *   "azure": {                                    // optional: the default is one resource group "rg-breakglass"
 *     "subscriptionId": "…guid…",                 // holding workspace "law-breakglass" (westeurope) with every Entra table
 *     "resourceGroups": ["rg-security"],
 *     "workspaces": [ {"id": "/subscriptions/…/workspaces/law", "location": "westeurope", "tables": ["AuditLogs"]} ],
 *     "diagnosticSettings": [ {"name": "siem", "properties": {"workspaceId": "…", "logs": [{"category": "AuditLogs", "enabled": true}]}} ],
 *     "diagnosticCategories": ["AuditLogs", "SignInLogs", …]   // default: every Entra category
 *   }
 * }
 * }</pre>
 *
 * Role assignments in a seed are direct (non-PIM) ones. PIM counts as licensed when a licence carries the
 * AAD_PREMIUM_P2 service plan ({@link FakeTenant#pimLicensed} overrides).
 */
public final class TenantSeed {

    /** The demo tenant's "Require phishing-resistant MFA for emergency accounts": the allow-list example. */
    public static final String DEMO_ALLOW_LISTED_POLICY_ID = "ca0e0e0e-0000-4000-8000-00000000b9a5";

    /** The most Conditional Access policies Entra ID allows in one tenant. */
    public static final int MAX_POLICIES = 195;

    private final ObjectNode json;

    private TenantSeed(ObjectNode json) {
        if (Json.text(json, "initialDomain") == null || !json.get("initialDomain").asText().endsWith(".onmicrosoft.com")) {
            throw new IllegalArgumentException("a tenant seed needs an initialDomain ending in .onmicrosoft.com");
        }
        this.json = json;
    }

    public static TenantSeed fromJson(InputStream in) {
        try {
            return new TenantSeed(Json.parseObject(in));
        } catch (IOException e) {
            throw new UncheckedIOException("not a tenant seed: " + e.getMessage(), e);
        }
    }

    public static TenantSeed fromJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tenant seed " + file, e);
        }
    }

    /** The bundled "Contoso" tenant: P2, a custom domain, ordinary users, and a realistic set of CA policies. */
    public static TenantSeed demo() {
        try (InputStream in = TenantSeed.class.getResourceAsStream("/faketenant/demo-tenant.json")) {
            if (in == null) {
                throw new IllegalStateException("faketenant/demo-tenant.json is missing from the classpath");
            }
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The demo tenant with {@code policies} Conditional Access policies instead of 16, for benchmarks at the size of
     * the largest tenants: the demo's allow-listed policy, plus {@code policies - 1} copies of its other 15 kinds
     * taken in turn (block, MFA, authentication strength, device, app protection, terms of use, risk, location,
     * session controls, report-only, disabled, Microsoft-managed…), each with its own id and name.
     *
     * @param policies 1 to {@value #MAX_POLICIES}, the most Entra ID allows in one tenant
     */
    public static TenantSeed sized(int policies) {
        if (policies < 1 || policies > MAX_POLICIES) {
            throw new IllegalArgumentException("a tenant holds 1 to " + MAX_POLICIES + " Conditional Access policies, not "
                    + policies);
        }
        ObjectNode json = demo().json();
        List<JsonNode> kinds = new ArrayList<>();
        JsonNode allowListed = null;
        for (JsonNode policy : json.path("conditionalAccessPolicies")) {
            if (DEMO_ALLOW_LISTED_POLICY_ID.equals(policy.path("id").asText())) {
                allowListed = policy;
            } else {
                kinds.add(policy);
            }
        }
        ArrayNode sized = json.putArray("conditionalAccessPolicies");
        for (int i = 0; i < policies - 1; i++) {
            ObjectNode copy = (ObjectNode) kinds.get(i % kinds.size()).deepCopy();
            String kindName = copy.path("displayName").asText().replaceFirst("^CA\\d+: ", "");
            copy.put("id", String.format("cb000000-0000-4000-8000-%012d", i + 1));
            copy.put("displayName", String.format("CA%03d: %s", i + 1, kindName)
                    + (i < kinds.size() ? "" : " (" + (i / kinds.size() + 1) + ")"));
            sized.add(copy);
        }
        sized.add(allowListed);
        return new TenantSeed(json);
    }

    /** A tenant with its initial domain only: no users, no licences, no policies. */
    public static TenantSeed minimal() {
        ObjectNode json = Json.object();
        json.put("initialDomain", "fabrikam.onmicrosoft.com");
        return new TenantSeed(json);
    }

    /** A copy of the seed's JSON. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    boolean hasServicePlan(String servicePlanName) {
        for (JsonNode sku : json.path("subscribedSkus")) {
            for (JsonNode plan : sku.path("servicePlans")) {
                if (servicePlanName.equals(plan.path("servicePlanName").asText())) {
                    return true;
                }
            }
        }
        return false;
    }
}
