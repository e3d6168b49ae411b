package dev.breakglass.steps.ca;

import java.util.List;
import java.util.Optional;

/**
 * Conditional Access policies. The service allows one request per second per tenant for all apps
 * and its 429s carry no Retry-After (https://learn.microsoft.com/graph/throttling-limits): the
 * adapter paces every call through one limiter and backs off on 429.
 */
public interface ConditionalAccessPolicies {

    /** {@code GET /identity/conditionalAccess/policies}, every page. */
    List<Policy> list();

    /** {@code GET /identity/conditionalAccess/policies/{id}}; empty on 404. */
    Optional<Policy> get(String id);

    /**
     * {@code PATCH /identity/conditionalAccess/policies/{id}} with {@code conditions.users} carrying all six
     * arrays. Graph replaces every array named in a PATCH, so each array sent is the complete new list.
     */
    void updateUsers(String id, PolicyUsers users);

    /**
     * @param grantControls   built-in controls plus {@code authenticationStrength}, {@code termsOfUse} and
     *                        {@code customAuthenticationFactors} when set
     * @param sessionControls the names of the session controls that are set
     */
    record Policy(String id, String displayName, String state, String templateId, PolicyUsers users,
            List<String> grantControls, List<String> sessionControls) {

        public Policy {
            grantControls = List.copyOf(grantControls);
            sessionControls = List.copyOf(sessionControls);
        }

        /** A policy with any grant or session control can block or restrict a sign-in. */
        public boolean canBlockOrRestrict() {
            return !grantControls.isEmpty() || !sessionControls.isEmpty();
        }
    }
}
