package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Users, groups, domains and licences. Not thread-safe: callers hold {@link TenantState}'s lock. */
final class Directory {

    /** Graph's default user projection, as in the recorded POST/GET /users responses. */
    static final List<String> USER_DEFAULT = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
            "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName");

    /** Graph's default group projection (v1.0 group resource, properties returned by default). */
    static final List<String> GROUP_DEFAULT = List.of("deletedDateTime", "classification", "createdDateTime",
            "creationOptions", "description", "displayName", "expirationDateTime", "groupTypes", "isAssignableToRole",
            "mail", "mailEnabled", "mailNickname", "membershipRule", "membershipRuleProcessingState",
            "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName", "onPremisesSamAccountName",
            "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation", "preferredLanguage",
            "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions",
            "securityEnabled", "securityIdentifier", "theme", "visibility", "onPremisesProvisioningErrors",
            "serviceProvisioningErrors");

    static final class User {
        final String id;
        final ObjectNode data;
        String password;
        /** Until this instant the user is invisible to PIM, role and membership writes (replication lag). */
        Instant replicatedAt;
        /** As {@code GET /users/{id}/authentication/methods} lists them: a new cloud user has its password only. */
        final List<ObjectNode> authenticationMethods = new ArrayList<>();

        User(String id, ObjectNode data, String password, Instant replicatedAt) {
            this.id = id;
            this.data = data;
            this.password = password;
            this.replicatedAt = replicatedAt;
            authenticationMethods.add(passwordMethod(Json.text(data, "createdDateTime")));
        }

        /**
         * The password method always has this id, and never shows the password
         * (https://learn.microsoft.com/graph/api/authentication-list-passwordmethods).
         */
        private static ObjectNode passwordMethod(String createdDateTime) {
            ObjectNode method = Json.object();
            method.put("@odata.type", "#microsoft.graph.passwordAuthenticationMethod");
            method.put("id", "28c10230-6103-485e-b985-444c60001490");
            method.putNull("password");
            method.put("createdDateTime", createdDateTime);
            return method;
        }

        String upn() {
            return Json.text(data, "userPrincipalName");
        }

        boolean replicated(Instant now) {
            return !now.isBefore(replicatedAt);
        }
    }

    static final class Group {
        final String id;
        final ObjectNode data;
        final Set<String> members = new LinkedHashSet<>();

        Group(String id, ObjectNode data) {
            this.id = id;
            this.data = data;
        }
    }

    final List<ObjectNode> domains = new ArrayList<>();
    final List<ObjectNode> skus = new ArrayList<>();
    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, Group> groups = new LinkedHashMap<>();

    /** A user by object id or by UPN (case-insensitive), or null. */
    User user(String idOrUpn) {
        User byId = users.get(idOrUpn.toLowerCase(Locale.ROOT));
        if (byId != null) {
            return byId;
        }
        for (User user : users.values()) {
            if (idOrUpn.equalsIgnoreCase(user.upn())) {
                return user;
            }
        }
        return null;
    }

    boolean isVerifiedDomain(String domain) {
        return domains.stream().anyMatch(d -> domain.equalsIgnoreCase(Json.text(d, "id"))
                && d.path("isVerified").asBoolean(false));
    }

    /**
     * Stores a user: {@code properties} minus the write-only password, plus the read-only values the
     * service computes (id, createdDateTime, lastPasswordChangeDateTime, userType, …).
     */
    User addUser(ObjectNode properties, String password, Instant now, Instant replicatedAt) {
        ObjectNode data = properties.deepCopy();
        String id = Json.text(data, "id") != null ? Json.text(data, "id").toLowerCase(Locale.ROOT) : UUID.randomUUID().toString();
        data.put("id", id);
        if (data.get("passwordProfile") instanceof ObjectNode profile) {
            profile.remove("password");
        }
        putIfAbsent(data, "businessPhones", Json.array());
        putIfAbsent(data, "createdDateTime", GraphService.timestamp(now));
        putIfAbsent(data, "lastPasswordChangeDateTime", GraphService.timestamp(now));
        putIfAbsent(data, "userType", "Member");
        putIfAbsent(data, "creationType", null);
        putIfAbsent(data, "onPremisesSyncEnabled", null);
        putIfAbsent(data, "deletedDateTime", null);
        User user = new User(id, data, password, replicatedAt);
        users.put(id, user);
        return user;
    }

    Group addGroup(ObjectNode properties, Instant now) {
        ObjectNode data = properties.deepCopy();
        String id = Json.text(data, "id") != null ? Json.text(data, "id").toLowerCase(Locale.ROOT) : UUID.randomUUID().toString();
        data.put("id", id);
        data.remove("members");
        putIfAbsent(data, "createdDateTime", GraphService.timestamp(now));
        putIfAbsent(data, "renewedDateTime", GraphService.timestamp(now));
        putIfAbsent(data, "groupTypes", Json.array());
        putIfAbsent(data, "creationOptions", Json.array());
        putIfAbsent(data, "proxyAddresses", Json.array());
        putIfAbsent(data, "resourceBehaviorOptions", Json.array());
        putIfAbsent(data, "resourceProvisioningOptions", Json.array());
        putIfAbsent(data, "onPremisesProvisioningErrors", Json.array());
        putIfAbsent(data, "serviceProvisioningErrors", Json.array());
        putIfAbsent(data, "securityIdentifier", "S-1-12-1-" + Math.abs(id.hashCode()));
        Group group = new Group(id, data);
        groups.put(id, group);
        return group;
    }

    /** The wire form of a user: the default projection, or exactly the selected properties (id always). */
    static ObjectNode projectUser(JsonNode data, List<String> select) {
        ObjectNode out = project(data, select, USER_DEFAULT);
        if (out.get("passwordProfile") instanceof ObjectNode profile) {
            profile.putNull("password"); // write-only: never read back
        }
        return out;
    }

    static ObjectNode projectGroup(JsonNode data, List<String> select) {
        return project(data, select, GROUP_DEFAULT);
    }

    private static ObjectNode project(JsonNode data, List<String> select, List<String> defaults) {
        ObjectNode out = Json.object();
        out.set("id", data.get("id"));
        for (String property : select == null ? defaults : select) {
            JsonNode value = data.get(property);
            out.set(property, value == null ? Json.object().nullNode() : value.deepCopy());
        }
        return out;
    }

    private static void putIfAbsent(ObjectNode data, String field, Object value) {
        if (!data.has(field)) {
            data.set(field, value == null ? Json.object().nullNode() : Json.MAPPER.valueToTree(value));
        }
    }
}
