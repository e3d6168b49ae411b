package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Azure side of the fake tenant: one subscription with its resource groups and Log Analytics
 * workspaces (given, never created through the API), and the monitoring resources breakglass manages:
 * action groups, scheduled query rules and the tenant-level Entra diagnostic settings, each stored
 * in its wire shape. Keys are lower-case, because ARM names and ids compare case-insensitively.
 */
final class ArmStore {

    /** The Entra log categories a tenant with Entra ID P1/P2 can export (learn.microsoft.com, Bicep sample for microsoft.aadiam). */
    static final List<String> ALL_CATEGORIES = List.of("AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs",
            "ServicePrincipalSignInLogs", "ManagedIdentitySignInLogs", "ProvisioningLogs", "ADFSSignInLogs", "RiskyUsers",
            "UserRiskEvents", "RiskyServicePrincipals", "ServicePrincipalRiskEvents", "NetworkAccessTrafficLogs",
            "EnrichedOffice365AuditLogs", "MicrosoftGraphActivityLogs", "RemoteNetworkHealthLogs");
    /** The Log Analytics tables the Entra categories above fill, as far as the alert queries use them. */
    static final List<String> ENTRA_TABLES = List.of("SigninLogs", "AADNonInteractiveUserSignInLogs", "AuditLogs");
    static final String DEFAULT_RESOURCE_GROUP = "rg-breakglass";
    static final String DEFAULT_WORKSPACE = "law-breakglass";
    static final String DEFAULT_LOCATION = "westeurope";

    /** A workspace: its id as given, its region, and the tables that already hold data. */
    static final class Workspace {
        final String id;
        final String location;
        final Set<String> tables;

        Workspace(String id, String location, Set<String> tables) {
            this.id = id;
            this.location = location;
            this.tables = new LinkedHashSet<>(tables);
        }
    }

    final String subscriptionId;
    final Map<String, String> resourceGroups = new LinkedHashMap<>();
    final Map<String, Workspace> workspaces = new LinkedHashMap<>();
    final List<String> diagnosticCategories = new ArrayList<>();
    final Map<String, ObjectNode> actionGroups = new LinkedHashMap<>();
    final Map<String, ObjectNode> alertRules = new LinkedHashMap<>();
    final Map<String, ObjectNode> diagnosticSettings = new LinkedHashMap<>();

    /**
     * @param azure the seed's {@code azure} object, or a missing node for the default: one resource group
     *              {@value #DEFAULT_RESOURCE_GROUP} holding workspace {@value #DEFAULT_WORKSPACE} with every Entra table
     */
    ArmStore(JsonNode azure) {
        subscriptionId = azure.path("subscriptionId").asText(UUID.randomUUID().toString()).toLowerCase(Locale.ROOT);
        azure.path("resourceGroups").forEach(group -> addResourceGroup(group.asText()));
        for (JsonNode workspace : azure.path("workspaces")) {
            Set<String> tables = new LinkedHashSet<>();
            JsonNode given = workspace.path("tables");
            if (given.isMissingNode()) {
                tables.addAll(ENTRA_TABLES);
            } else {
                given.forEach(table -> tables.add(table.asText()));
            }
            addWorkspace(workspace.path("id").asText(), workspace.path("location").asText(DEFAULT_LOCATION), tables);
        }
        if (workspaces.isEmpty() && !azure.has("workspaces")) {
            addResourceGroup(DEFAULT_RESOURCE_GROUP);
            addWorkspace("/subscriptions/" + subscriptionId + "/resourceGroups/" + DEFAULT_RESOURCE_GROUP
                    + "/providers/Microsoft.OperationalInsights/workspaces/" + DEFAULT_WORKSPACE, DEFAULT_LOCATION,
                    new LinkedHashSet<>(ENTRA_TABLES));
        }
        JsonNode categories = azure.path("diagnosticCategories");
        if (categories.isMissingNode()) {
            diagnosticCategories.addAll(ALL_CATEGORIES);
        } else {
            categories.forEach(category -> diagnosticCategories.add(category.asText()));
        }
    }

    void addResourceGroup(String name) {
        resourceGroups.put(name.toLowerCase(Locale.ROOT), name);
    }

    private void addWorkspace(String id, String location, Set<String> tables) {
        workspaces.put(id.toLowerCase(Locale.ROOT), new Workspace(id, location, tables));
        String[] parts = id.split("/");
        if (parts.length > 4 && parts[3].equalsIgnoreCase("resourceGroups")) {
            resourceGroups.putIfAbsent(parts[4].toLowerCase(Locale.ROOT), parts[4]);
        }
    }

    Workspace workspace(String id) {
        return workspaces.get(id.toLowerCase(Locale.ROOT));
    }

    static String key(String resourceGroup, String name) {
        return (resourceGroup + "/" + name).toLowerCase(Locale.ROOT);
    }

    /** The stored resource named {@code name} in any resource group. */
    static ObjectNode byName(Map<String, ObjectNode> resources, String name) {
        String suffix = "/" + name.toLowerCase(Locale.ROOT);
        return resources.entrySet().stream().filter(entry -> entry.getKey().endsWith(suffix))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
