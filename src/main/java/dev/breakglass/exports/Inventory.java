package dev.breakglass.exports;

import java.util.List;

/**
 * What the exports describe, read from the live tenant: the emergency accounts breakglass created
 * (provenance marker checked) and the Conditional Access exclusion group. Never a secret.
 *
 * @param tenantId       the Entra tenant id
 * @param exclusionGroup the group every blocking or restricting Conditional Access policy excludes
 */
public record Inventory(String tenantId, Group exclusionGroup, List<Member> accounts) {

    public Inventory {
        accounts = List.copyOf(accounts);
    }

    /** @param key the account key from the spec ({@code bg01}) */
    public record Member(String key, String userPrincipalName, String objectId, String displayName) {
    }

    public record Group(String objectId, String displayName, String mailNickname) {
    }
}
