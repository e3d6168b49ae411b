package dev.breakglass.steps.drill;

import java.time.Instant;
import java.util.Optional;

/** A user's sign-in activity. */
public interface SignInActivity {

    /**
     * {@code GET /users/{id}?$select=signInActivity}: when the user last signed in successfully, or empty when never
     * (or not within what Entra keeps). Needs {@code AuditLog.Read.All} and an Entra ID P1 or P2 licence; without them
     * Graph answers 403 ({@code Authorization_RequestDenied}, {@code Authentication_RequestFromNonPremiumTenantOrB2CTenant}).
     */
    Optional<Instant> lastSuccessfulSignIn(String userId);
}
