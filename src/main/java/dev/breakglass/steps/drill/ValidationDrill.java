package dev.breakglass.steps.drill;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * The validation drill: Microsoft asks that each emergency account be signed in with, end to end, at least every
 * 90 days (https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access#validate-accounts-regularly).
 * Passes when the account's {@code signInActivity.lastSuccessfulSignInDateTime} is within
 * {@code BREAKGLASS_DRILL_WINDOW_DAYS}. Owns nothing and never writes: only people can run a drill.
 *
 * <p>Depends on {@code EmergencyUser}. Permissions: {@code AuditLog.Read.All} and {@code User.Read.All}. Sign-in
 * activity needs an Entra ID P1 or P2 licence (https://learn.microsoft.com/graph/api/resources/signinactivity): without
 * the licence or the permission the check is Skipped with the reason, never Passed.
 */
public final class ValidationDrill implements Step {

    private static final Check CHECK = new Check("BG.1012",
            "Each emergency account signed in successfully within the validation-drill window");
    private static final String NOT_LICENSED = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";
    private static final String DENIED = "Authorization_RequestDenied";

    private final SignInActivity activity;
    private final OwnedAccounts owned;
    private final Clock clock;

    public ValidationDrill(SignInActivity activity, OwnedAccounts owned, Clock clock) {
        this.activity = activity;
        this.owned = owned;
        this.clock = clock;
    }

    @Override
    public StepInfo info() {
        // The drill reads the account's user and nothing else.
        return StepInfo.perAccount(CHECK, new Permissions(
                Set.of("AuditLog.Read.All", "User.Read.All", "Key Vault: secrets/readMetadata"),
                Set.of())).after("EmergencyUser");
    }

    @Override
    public Observation observe(StepContext context) {
        Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, context.requireAccount());
        if (user.isEmpty()) {
            return new Observation.Absent("the account's user does not exist yet");
        }
        Optional<Instant> last;
        try {
            last = activity.lastSuccessfulSignIn(user.get().id());
        } catch (CloudException e) {
            if (e.hasCode(NOT_LICENSED)) {
                return new Observation.Skipped("NotLicensed: sign-in activity needs Entra ID P1 or P2");
            }
            if (e.status() == 403 && e.hasCode(DENIED)) {
                return new Observation.Skipped("NotAuthorized: breakglass's identity lacks AuditLog.Read.All");
            }
            throw e;
        }
        int window = context.spec().readiness().drillWindowDays();
        if (last.isEmpty()) {
            return new Observation.AwaitingPeople("never signed in successfully: run the validation drill (window "
                    + window + " days)");
        }
        Instant now = Instant.now(clock);
        long days = Duration.between(last.get(), now).toDays();
        String when = "last successful sign-in " + last.get().truncatedTo(ChronoUnit.SECONDS) + " (" + days + " days ago)";
        if (last.get().isBefore(now.minus(Duration.ofDays(window)))) {
            return new Observation.AwaitingPeople(when + ", older than the " + window + "-day window: run the "
                    + "validation drill");
        }
        return new Observation.UpToDate(when + ", within the " + window + "-day window");
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        return new Outcome.Done("nothing to change (a drill is run by people): " + observed.summary());
    }
}
