package dev.breakglass.reconcile;

import java.util.Set;

/**
 * What a step needs: Microsoft Graph application permissions or Azure RBAC roles, to observe and
 * (additionally) to apply. {@code docs/permissions.md} is checked against these declarations.
 */
public record Permissions(Set<String> observe, Set<String> apply) {

    public Permissions {
        observe = Set.copyOf(observe);
        apply = Set.copyOf(apply);
    }
}
