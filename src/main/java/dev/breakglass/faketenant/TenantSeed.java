package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
