package dev.breakglass.steps.group;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owns the role-assignable security group that Conditional Access policies exclude: it must hold
 * every emergency account and nothing else. An extra member is drift of the highest severity
 * (someone bought themselves a Conditional Access bypass): it is always reported, and removed only
 * when remediation is on.
 *
 * <p>Natural key: {@code mailNickname} from the spec; only a role-assignable group is accepted,
 * because only Privileged Role Administrators and Global Administrators can change the members of
 * one (https://learn.microsoft.com/entra/identity/role-based-access-control/groups-concept). Depends
 * on {@code EmergencyUser}. Permissions: {@code GroupMember.Read.All} to observe;
 * {@code Group.Create}, {@code GroupMember.ReadWrite.All} and {@code RoleManagement.ReadWrite.Directory}
 * (required for role-assignable groups) to apply.
 */
public final class ExclusionGroup implements Step {

    public static final String DISPLAY_NAME = "Emergency access: Conditional Access exclusion";
    private static final String DESCRIPTION = "Managed by breakglass. Holds only the emergency-access accounts; "
            + "any other member bypasses Conditional Access and is reported as a security incident.";
    private static final Check CHECK = new Check("BG.1005",
            "The Conditional Access exclusion group holds exactly the emergency accounts");
    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(10);
    private static final String READS_KEY = "exclusion-group:";

    private final GroupDirectory groups;
    private final OwnedAccounts owned;

    public ExclusionGroup(GroupDirectory groups, OwnedAccounts owned) {
        this.groups = groups;
        this.owned = owned;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perTenant(CHECK, new Permissions(
                Set.of("GroupMember.Read.All", "User.Read.All"),
                Set.of("Group.Create", "GroupMember.ReadWrite.All", "RoleManagement.ReadWrite.Directory")))
                .after("EmergencyUser");
    }

    /** The exclusion group, when it exists; read once per run, and used by the Conditional Access step too. */
    public Optional<GroupDirectory.SecurityGroup> find(StepContext context) {
        String name = context.spec().exclusionGroupName();
        List<GroupDirectory.SecurityGroup> found = context.reads().remember(READS_KEY + name,
                () -> groups.findByMailNickname(name));
        if (found.size() > 1) {
            throw CloudException.terminal("DuplicateExclusionGroup", found.size() + " groups have mailNickname "
                    + context.spec().exclusionGroupName() + "; delete all but one ("
                    + found.stream().map(GroupDirectory.SecurityGroup::id).toList() + ")");
        }
        if (found.size() == 1 && !found.get(0).roleAssignable()) {
            throw CloudException.terminal("ForeignObjectExists", "group " + context.spec().exclusionGroupName()
                    + " (" + found.get(0).id() + ") is not role-assignable, so anyone with Groups Administrator could "
                    + "add members to it; breakglass does not use it. Delete it or set BREAKGLASS_EXCLUSION_GROUP_NAME");
        }
        return found.stream().findFirst();
    }

    @Override
    public Observation observe(StepContext context) {
        Optional<GroupDirectory.SecurityGroup> group = find(context);
        if (group.isEmpty()) {
            return new Observation.Absent("no group " + context.spec().exclusionGroupName());
        }
        Membership membership = membership(context, group.get());
        List<String> differences = new ArrayList<>();
        membership.extra().forEach((id, name) -> differences.add("SECURITY: " + name + " (" + id
                + ") is a member and so bypasses Conditional Access"));
        membership.missing().forEach(account -> differences.add(account + " is not a member"));
        membership.notCreated().forEach(account -> differences.add(account + " does not exist yet"));
        return differences.isEmpty()
                ? new Observation.UpToDate("group " + group.get().id() + " holds exactly the "
                        + context.spec().accountCount() + " emergency accounts")
                : new Observation.Drifted(differences);
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        GroupDirectory.SecurityGroup group = find(context).orElseGet(() -> {
            context.reads().forget(READS_KEY + context.spec().exclusionGroupName());
            return groups.createRoleAssignable(context.spec().exclusionGroupName(), DISPLAY_NAME, DESCRIPTION);
        });
        Membership membership = membership(context, group);
        if (!membership.notCreated().isEmpty()) {
            return new Outcome.RequeueAfter(REPLICATION_WAIT, "waiting for EmergencyUser to create "
                    + membership.notCreated());
        }
        for (Map.Entry<String, String> missing : membership.missingIds().entrySet()) {
            try {
                groups.addMember(group.id(), missing.getValue());
            } catch (CloudException e) {
                if (e.hasCode("Request_ResourceNotFound")) {
                    return new Outcome.RequeueAfter(REPLICATION_WAIT, "the group does not see new user "
                            + missing.getKey() + " yet");
                }
                if (!e.hasCode("MemberAlreadyExists")) {
                    throw e;
                }
            }
        }
        if (membership.extra().isEmpty()) {
            return new Outcome.Done("group " + group.id() + " holds exactly the emergency accounts");
        }
        if (!context.spec().remediation()) {
            return new Outcome.Done("SECURITY: left " + membership.extra().size() + " unexpected member(s) in group "
                    + group.id() + " because remediation is off: " + membership.extra().values()
                    + "; investigate, then remove them or set BREAKGLASS_REMEDIATION=true");
        }
        membership.extra().keySet().forEach(id -> groups.removeMember(group.id(), id));
        return new Outcome.Done("SECURITY: removed unexpected member(s) " + membership.extra().values()
                + " from group " + group.id());
    }

    private Membership membership(StepContext context, GroupDirectory.SecurityGroup group) {
        Map<String, String> extra = new LinkedHashMap<>();
        groups.listMembers(group.id()).forEach(member -> extra.put(member.id(), member.displayName()));
        Map<String, String> missing = new LinkedHashMap<>();
        List<String> notCreated = new ArrayList<>();
        for (Account account : context.spec().accounts()) {
            Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, account);
            if (user.isEmpty()) {
                notCreated.add(account.key());
            } else if (extra.remove(user.get().id()) == null) {
                missing.put(account.key(), user.get().id());
            }
        }
        return new Membership(extra, missing, notCreated);
    }

    /**
     * @param extra      members that are not emergency accounts, id → name
     * @param missingIds emergency accounts that are not members, account key → user id
     * @param notCreated accounts whose users do not exist yet
     */
    private record Membership(Map<String, String> extra, Map<String, String> missingIds, List<String> notCreated) {
        List<String> missing() {
            return List.copyOf(missingIds.keySet());
        }
    }
}
