package dev.breakglass.steps.ca;

import java.util.ArrayList;
import java.util.List;

/** The six id arrays of a policy's {@code conditions.users}, exactly as read. */
public record PolicyUsers(List<String> includeUsers, List<String> excludeUsers, List<String> includeGroups,
        List<String> excludeGroups, List<String> includeRoles, List<String> excludeRoles) {

    public PolicyUsers {
        includeUsers = List.copyOf(includeUsers);
        excludeUsers = List.copyOf(excludeUsers);
        includeGroups = List.copyOf(includeGroups);
        excludeGroups = List.copyOf(excludeGroups);
        includeRoles = List.copyOf(includeRoles);
        excludeRoles = List.copyOf(excludeRoles);
    }

    /** True when {@code groupId} is among the excluded groups (Graph ids compare case-insensitively). */
    public boolean excludesGroup(String groupId) {
        return excludeGroups.stream().anyMatch(groupId::equalsIgnoreCase);
    }

    /**
     * The union of these exclusions and {@code groupId}: every existing entry of every array kept in
     * order, the group appended once. Nothing is ever removed.
     */
    public PolicyUsers withExcludedGroup(String groupId) {
        if (excludesGroup(groupId)) {
            return this;
        }
        List<String> groups = new ArrayList<>(excludeGroups);
        groups.add(groupId);
        return new PolicyUsers(includeUsers, excludeUsers, includeGroups, groups, includeRoles, excludeRoles);
    }
}
