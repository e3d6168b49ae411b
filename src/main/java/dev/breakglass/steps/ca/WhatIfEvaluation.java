package dev.breakglass.steps.ca;

import java.util.List;

/** Conditional Access What If: which policies a sign-in would meet. */
public interface WhatIfEvaluation {

    /**
     * {@code POST /identity/conditionalAccess/evaluate} for a browser sign-in by the user to the application from an
     * ordinary, untrusted location with no risk: the policies that would apply, in any state but disabled.
     */
    List<ConditionalAccessPolicies.Policy> applyingPolicies(String userId, String applicationId);
}
