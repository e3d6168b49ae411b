package dev.breakglass.steps.role;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.SideBySide;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Owns each account's Global Administrator role: a permanent (no expiry) active assignment at
 * directory scope, made through PIM so it is visible where administrators look.
 *
 * <p>Natural key: (principal, role, scope). Depends on {@code EmergencyUser}, and only ever assigns
 * the role to a user {@link OwnedAccounts} recognises as ours and that passes the {@link AccountIntegrity}
 * check (D5) right before the request; an assigned user that gained another sign-in method or membership is
 * reported as drift (E4) and never silently re-granted. Permissions:
 * {@code RoleAssignmentSchedule.Read.Directory} / {@code RoleManagement.Read.Directory} to observe,
 * {@code UserAuthenticationMethod.Read.All} for the integrity check,
 * {@code RoleAssignmentSchedule.ReadWrite.Directory} and {@code RoleManagement.ReadWrite.Directory} to apply.
 *
 * <p>Quirks: the <em>schedule</em> is observed, never the request (requests are history, schedules are state;
 * https://learn.microsoft.com/graph/api/resources/privilegedidentitymanagementv3-overview). A user created
 * seconds ago is unknown to PIM for up to a couple of minutes, so "not found" then means wait. A duplicate is
 * {@code 400 RoleAssignmentExists}, resolved by re-reading. Without Entra ID P2, PIM answers
 * {@code AadPremiumLicenseRequired}: the role is then assigned directly, which is also permanent and active.
 * A PIM policy that forbids permanent active assignments fails the run: an expiring emergency
 * account is worse than a clear error, so there is no fallback to an eligible or time-bound assignment.
 */
public final class GlobalAdminAssignment implements Step {

    /** The Global Administrator role template id, the same in every tenant. */
    public static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
    private static final Check CHECK = new Check("BG.1004",
            "Each emergency account is a permanent active Global Administrator");
    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(15);
    private static final Set<String> NOT_REPLICATED_YET = Set.of("Request_ResourceNotFound", "SubjectNotFound",
            "ResourceNotFound");
    private static final String NO_P2 = "AadPremiumLicenseRequired";
    private static final String JUSTIFICATION = "breakglass: permanent Global Administrator for an emergency-access account";

    private final RoleManagement roles;
    private final OwnedAccounts owned;
    private final AccountIntegrity integrity;

    public GlobalAdminAssignment(RoleManagement roles, OwnedAccounts owned, AccountIntegrity integrity) {
        this.roles = roles;
        this.owned = owned;
        this.integrity = integrity;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perAccount(CHECK, new Permissions(
                Set.of("RoleAssignmentSchedule.Read.Directory", "RoleManagement.Read.Directory",
                        "UserAuthenticationMethod.Read.All", "User.Read.All"),
                Set.of("RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory",
                        "UserAuthenticationMethod.Read.All", "User.Read.All"))).after("EmergencyUser");
    }

    @Override
    public Observation observe(StepContext context) {
        Account account = context.requireAccount();
        Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, account);
        if (user.isEmpty()) {
            return new Observation.Absent("user " + owned.upn(context, account) + " does not exist yet");
        }
        // The integrity reads go out beside the role read: verification then costs one round trip here, not two.
        var foreignAccess = SideBySide.start(() -> integrity.foreignAccess(user.get().id(),
                context.spec().exclusionGroupName()));
        Assignments assignments = read(user.get().id());
        if (assignments.list().stream().anyMatch(RoleManagement.Assignment::isPermanentAtDirectoryScope)) {
            Optional<String> foreign = SideBySide.get(foreignAccess);
            if (foreign.isPresent()) {
                return new Observation.Drifted(List.of("Global Administrator " + user.get().userPrincipalName()
                        + " may be used by someone else: " + foreign.get()));
            }
            return new Observation.UpToDate("permanent active Global Administrator"
                    + (assignments.viaPim() ? " (PIM)" : " (direct assignment: the tenant has no Entra ID P2)"));
        }
        if (assignments.list().isEmpty()) {
            return new Observation.Absent("user " + user.get().userPrincipalName() + " is not a Global Administrator");
        }
        return new Observation.Drifted(assignments.list().stream()
                .map(assignment -> "Global Administrator at scope " + assignment.directoryScopeId()
                        + (assignment.expires() == null ? "" : " expires " + assignment.expires()))
                .toList());
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Account account = context.requireAccount();
        Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, account);
        if (user.isEmpty()) {
            return new Outcome.RequeueAfter(REPLICATION_WAIT, "waiting for EmergencyUser to create "
                    + owned.upn(context, account));
        }
        String principalId = user.get().id();
        Optional<String> violations = integrity.violations(principalId, context.spec().exclusionGroupName(),
                owned.passwordSetOn(context, account).orElse(null));
        if (violations.isPresent()) {
            return new Outcome.Terminal("IntegrityCheckFailed", "refusing to make " + user.get().userPrincipalName()
                    + " Global Administrator: " + violations.get() + ". Someone else may hold a credential of this "
                    + "account: investigate its audit and sign-in logs, then delete the user and its secret and run again");
        }
        String action = observed instanceof Observation.Drifted ? "adminUpdate" : "adminAssign";
        try {
            roles.requestPermanentAssignment(action, principalId, GLOBAL_ADMINISTRATOR, JUSTIFICATION);
            return new Outcome.Done("assigned Global Administrator permanently through PIM to " + account.key());
        } catch (CloudException e) {
            return resolve(e, context, principalId);
        }
    }

    private Outcome resolve(CloudException e, StepContext context, String principalId) {
        if (NOT_REPLICATED_YET.contains(e.code())) {
            return new Outcome.RequeueAfter(REPLICATION_WAIT, "PIM does not see new user " + principalId + " yet");
        }
        if (e.hasCode("RoleAssignmentExists")) {
            Observation again = observe(context);
            if (again instanceof Observation.UpToDate upToDate) {
                return new Outcome.Done(upToDate.detail());
            }
            return new Outcome.Terminal("RoleAssignmentExists", "PIM says the assignment exists but it is not "
                    + "permanent and active at directory scope: " + again.summary());
        }
        if (e.hasCode(NO_P2)) {
            assignDirectly(principalId);
            return new Outcome.Done("assigned Global Administrator directly (warning: the tenant has no Entra ID P2, "
                    + "so PIM could not be used)");
        }
        if (e.hasCode("RoleAssignmentRequestPolicyValidationFailed")) {
            return new Outcome.Terminal("PimPolicyForbidsPermanentAssignment", "the PIM settings of the Global "
                    + "Administrator role do not allow permanent active assignments (" + e.getMessage() + "). In "
                    + "Entra admin center > Roles > Global Administrator > Settings, allow permanent active "
                    + "assignment, then run again");
        }
        throw e;
    }

    /**
     * Whether the user holds Global Administrator in any form (through PIM, or directly without Entra ID P2, at any
     * scope, expiring or not): compensation never disables such an account automatically (D13).
     */
    public boolean assigned(String principalId) {
        return !read(principalId).list().isEmpty();
    }

    private void assignDirectly(String principalId) {
        try {
            roles.assignDirectly(principalId, GLOBAL_ADMINISTRATOR);
        } catch (CloudException e) {
            boolean exists = roles.listDirectAssignments(principalId, GLOBAL_ADMINISTRATOR).stream()
                    .anyMatch(RoleManagement.Assignment::isPermanentAtDirectoryScope);
            if (!exists) {
                throw e;
            }
        }
    }

    private Assignments read(String principalId) {
        try {
            return new Assignments(roles.listAssignmentSchedules(principalId, GLOBAL_ADMINISTRATOR), true);
        } catch (CloudException e) {
            if (!e.hasCode(NO_P2)) {
                throw e;
            }
            return new Assignments(roles.listDirectAssignments(principalId, GLOBAL_ADMINISTRATOR), false);
        }
    }

    private record Assignments(List<RoleManagement.Assignment> list, boolean viaPim) {
    }
}
