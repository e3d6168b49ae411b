package dev.breakglass.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantState;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.testing.reliability.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The happy path's final state, as invariants on the fake tenant: one user per account, one enabled
 * secret version per account holding that user's password, one Global Administrator schedule per user,
 * one exclusion group holding the users, each enforced policy excluding it exactly once next to the
 * exclusions it already had, one diagnostic setting, one action group, two alert rules. What differs is
 * counted into the {@link Ledger} (duplicates created, exclusions lost) before the assertions fail.
 */
public final class HappyPath {

    /** An exclusion someone else made before breakglass came: it must survive everything. */
    public static final String FOREIGN_EXCLUDED_GROUP = UUID.nameUUIDFromBytes("someone-else".getBytes()).toString();

    private HappyPath() {
    }

    /** Adds an enforced MFA policy that already excludes {@link #FOREIGN_EXCLUDED_GROUP}; returns its id. */
    public static String seedPolicy(TestTenant tenant) {
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        policy.put("displayName", "Require MFA for everyone");
        policy.put("state", "enabled");
        ObjectNode users = policy.putObject("conditions").putObject("users");
        users.putArray("includeUsers").add("All");
        users.putArray("excludeGroups").add(FOREIGN_EXCLUDED_GROUP);
        ((ObjectNode) policy.get("conditions")).putObject("applications").putArray("includeApplications").add("All");
        ObjectNode grant = policy.putObject("grantControls");
        grant.put("operator", "OR");
        grant.putArray("builtInControls").add("mfa");
        return tenant.fake().state().addPolicy(policy);
    }

    /** Counts what differs from the happy path into the ledger, then asserts there is nothing. */
    public static void assertReached(TestTenant tenant) {
        TenantState state = tenant.fake().state();
        BreakGlassSpec spec = tenant.spec();
        List<String> problems = new ArrayList<>();
        long duplicates = 0;
        List<String> userIds = new ArrayList<>();
        for (Account account : spec.accounts()) {
            String upn = account.upn(tenant.fake().initialDomain());
            List<ObjectNode> users = state.users().stream()
                    .filter(user -> user.path("userPrincipalName").asText().equalsIgnoreCase(upn)).toList();
            duplicates += Math.max(0, users.size() - 1);
            if (users.size() != 1) {
                problems.add(users.size() + " users " + upn);
                continue;
            }
            String userId = users.get(0).get("id").asText();
            userIds.add(userId);
            var enabled = state.secretVersions(account.secretName()).stream()
                    .filter(TenantState.SecretVersion::enabled).toList();
            duplicates += Math.max(0, enabled.size() - 1);
            if (enabled.size() != 1) {
                problems.add(enabled.size() + " enabled versions of " + account.secretName());
            } else if (!enabled.get(0).value().equals(state.passwordOf(userId).orElse(null))) {
                problems.add("the secret of " + upn + " is not its password");
            }
            long schedules = state.roleSchedules().stream()
                    .filter(schedule -> schedule.path("principalId").asText().equalsIgnoreCase(userId)).count();
            duplicates += Math.max(0, schedules - 1);
            if (schedules != 1) {
                problems.add(schedules + " role schedules for " + upn);
            }
        }
        List<ObjectNode> groups = state.groups().stream()
                .filter(group -> group.path("mailNickname").asText().equals(spec.exclusionGroupName())).toList();
        duplicates += Math.max(0, groups.size() - 1);
        long exclusionsLost = 0;
        if (groups.size() != 1) {
            problems.add(groups.size() + " exclusion groups");
        } else {
            String groupId = groups.get(0).get("id").asText();
            if (!state.members(groupId).containsAll(userIds)) {
                problems.add("exclusion group members " + state.members(groupId) + " lack one of " + userIds);
            }
            for (ObjectNode policy : state.policies()) {
                List<String> excluded = texts(policy.at("/conditions/users/excludeGroups"));
                long ours = excluded.stream().filter(groupId::equalsIgnoreCase).count();
                duplicates += Math.max(0, ours - 1);
                exclusionsLost += ours == 0 ? 1 : 0;
                exclusionsLost += excluded.contains(FOREIGN_EXCLUDED_GROUP) ? 0 : 1;
                if (ours != 1 || !excluded.contains(FOREIGN_EXCLUDED_GROUP)) {
                    problems.add("policy " + policy.path("displayName").asText() + " excludes " + excluded);
                }
            }
        }
        var monitoring = spec.monitoring();
        long settings = state.diagnosticSettings().stream()
                .filter(setting -> setting.path("name").asText().equals(monitoring.diagnosticSettingName())).count();
        duplicates += Math.max(0, settings - 1) + Math.max(0, state.actionGroups().size() - 1)
                + Math.max(0, state.alertRules().size() - 2);
        if (settings != 1 || state.actionGroups().size() != 1 || state.alertRules().size() != 2) {
            problems.add(settings + " diagnostic settings, " + state.actionGroups().size() + " action groups, "
                    + state.alertRules().size() + " alert rules");
        }
        Ledger.duplicatesCreated(duplicates);
        Ledger.exclusionsLost(exclusionsLost);
        assertThat(problems).as("differences from the happy path").isEmpty();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }
}
