package dev.breakglass.exports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A configuration file for Microsoft's Zero Trust Assessment ({@code Invoke-ZtAssessment -ConfigurationFile}).
 * The assessment has no setting that declares emergency accounts: its test 21835 ("Emergency access
 * accounts are configured appropriately") finds them itself, as cloud-only permanent Global Administrators
 * with only phishing-resistant methods that every enabled Conditional Access policy excludes
 * (microsoft/zerotrustassessment {@code Test-Assessment.21835.ps1}). So the file runs that test
 * ({@code Tests}, one of the keys the assessment reads from the file) and records, under keys the
 * assessment ignores, the accounts and group it should find, to compare with its report.
 */
final class ZeroTrustAssessmentConfig {

    static final String EMERGENCY_ACCESS_TEST = "21835";

    private ZeroTrustAssessmentConfig() {
    }

    static String render(Inventory inventory) {
        ObjectNode root = Documents.JSON.createObjectNode();
        root.putArray("Tests").add(EMERGENCY_ACCESS_TEST);
        ObjectNode expected = root.putObject("BreakGlass");
        expected.put("TenantId", inventory.tenantId());
        ArrayNode accounts = expected.putArray("EmergencyAccessAccounts");
        inventory.accounts().forEach(account -> accounts.addObject()
                .put("UserPrincipalName", account.userPrincipalName()).put("Id", account.objectId()));
        expected.putObject("ExclusionGroup").put("Id", inventory.exclusionGroup().objectId())
                .put("DisplayName", inventory.exclusionGroup().displayName());
        return Documents.json(root);
    }
}
