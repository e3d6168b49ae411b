package dev.breakglass.exports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A ScubaGear configuration file for the Entra ID (AAD) baseline: {@code CapExclusions} (the accounts and
 * the exclusion group) for every policy that accepts them, and {@code RoleExclusions} (the accounts) for
 * MS.AAD.7.4v1, which otherwise fails on their permanent active Global Administrator assignment
 * (cisagov/ScubaGear {@code docs/configuration/configuration.md}, "Entra ID Configuration").
 */
final class ScubaGearConfig {

    /** The policies whose checks read {@code CapExclusions}, as the ScubaGear configuration reference lists them. */
    static final List<String> CAP_EXCLUSION_POLICIES = List.of("MS.AAD.1.1v1", "MS.AAD.2.1v1", "MS.AAD.2.3v1",
            "MS.AAD.3.1v1", "MS.AAD.3.2v1", "MS.AAD.3.6v1", "MS.AAD.3.7v1", "MS.AAD.3.8v1");
    static final String ROLE_EXCLUSION_POLICY = "MS.AAD.7.4v1";

    private ScubaGearConfig() {
    }

    static String render(Inventory inventory) {
        ObjectNode root = Documents.JSON.createObjectNode();
        root.putArray("ProductNames").add("aad");
        ObjectNode aad = root.putObject("Aad");
        for (String policy : CAP_EXCLUSION_POLICIES) {
            ObjectNode exclusions = aad.putObject(policy).putObject("CapExclusions");
            users(exclusions, inventory);
            exclusions.putArray("Groups").add(inventory.exclusionGroup().objectId());
        }
        users(aad.putObject(ROLE_EXCLUSION_POLICY).putObject("RoleExclusions"), inventory);
        return Documents.yaml(root);
    }

    private static void users(ObjectNode exclusions, Inventory inventory) {
        ArrayNode users = exclusions.putArray("Users");
        inventory.accounts().forEach(account -> users.add(account.objectId()));
    }
}
