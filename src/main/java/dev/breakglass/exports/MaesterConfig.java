package dev.breakglass.exports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Maester {@code tests/Custom/maester-config.json} declaring the emergency access in
 * {@code GlobalSettings.EmergencyAccessAccounts}, entries of {@code Type} {@code User} or {@code Group}
 * with an {@code Id} (https://maester.dev/docs/tests/MT.1005, maester365/maester
 * {@code Test-MtCaEmergencyAccessExists.ps1}). Only the exclusion group is declared: MT.1005 then checks
 * that every policy excludes that group, which is what breakglass maintains. Declaring the users too
 * would make MT.1005 require each of them in every policy's {@code excludeUsers}, which breakglass
 * deliberately leaves alone (one exclusion, the group, to keep and to audit).
 */
final class MaesterConfig {

    private MaesterConfig() {
    }

    static String render(Inventory inventory) {
        ObjectNode root = Documents.JSON.createObjectNode();
        ArrayNode accounts = root.putObject("GlobalSettings").putArray("EmergencyAccessAccounts");
        accounts.addObject().put("Type", "Group").put("Id", inventory.exclusionGroup().objectId());
        return Documents.json(root);
    }
}
