package dev.breakglass.azure;

import com.microsoft.graph.identity.conditionalaccess.evaluate.EvaluatePostRequestBody;
import com.microsoft.graph.identity.conditionalaccess.evaluate.EvaluatePostResponse;
import com.microsoft.graph.models.ApplicationContext;
import com.microsoft.graph.models.ConditionalAccessClientApp;
import com.microsoft.graph.models.ConditionalAccessConditionSet;
import com.microsoft.graph.models.ConditionalAccessDevicePlatform;
import com.microsoft.graph.models.ConditionalAccessGrantControls;
import com.microsoft.graph.models.ConditionalAccessPolicy;
import com.microsoft.graph.models.ConditionalAccessSessionControls;
import com.microsoft.graph.models.ConditionalAccessUsers;
import com.microsoft.graph.models.SignInConditions;
import com.microsoft.graph.models.UserSignIn;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.breakglass.reconcile.Backoff;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Sleeper;
import dev.breakglass.steps.ca.ConditionalAccessPolicies;
import dev.breakglass.steps.ca.PolicyUsers;
import dev.breakglass.steps.ca.WhatIfEvaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ConditionalAccessPolicies} on Microsoft Graph. Every call goes through one pacer (one
 * request per second) and a 429, which this service sends without Retry-After, is retried here
 * with exponential backoff and jitter before it ever reaches the step runner.
 */
final class GraphConditionalAccess implements ConditionalAccessPolicies, WhatIfEvaluation {

    /**
     * An address from the documentation range (RFC 5737): public, in no tenant's trusted ranges, so location
     * conditions see an ordinary untrusted sign-in.
     */
    private static final String ORDINARY_ADDRESS = "203.0.113.10";

    private static final int THROTTLE_ATTEMPTS = 6;
    /**
     * What {@link #toPolicy} reads, and nothing else: a policy's conditions carry every application, location and
     * platform list, so the dates and other properties are left behind
     * (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-policies#optional-query-parameters).
     */
    private static final String[] SELECT = {"id", "displayName", "state", "templateId", "conditions", "grantControls",
        "sessionControls"};

    private final GraphServiceClient graph;
    private final RequestPacer pacer;
    private final Backoff backoff;
    private final Sleeper sleeper;

    GraphConditionalAccess(GraphServiceClient graph, RequestPacer pacer, Backoff backoff, Sleeper sleeper) {
        this.graph = graph;
        this.pacer = pacer;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    @Override
    public List<Policy> list() {
        var policies = graph.identity().conditionalAccess().policies();
        String doing = "listing Conditional Access policies";
        return GraphPages.all(paced(doing, () -> policies.get(request -> request.queryParameters.select = SELECT)),
                page -> page.getValue(),
                link -> paced(doing, () -> policies.withUrl(link).get()))
                .stream().map(GraphConditionalAccess::toPolicy).toList();
    }

    @Override
    public Optional<Policy> get(String id) {
        try {
            return Optional.of(toPolicy(paced("reading Conditional Access policy " + id,
                    () -> graph.identity().conditionalAccess().policies().byConditionalAccessPolicyId(id)
                            .get(request -> request.queryParameters.select = SELECT))));
        } catch (CloudException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void updateUsers(String id, PolicyUsers users) {
        ConditionalAccessPolicy patch = usersPatch(users);
        paced("updating the user exclusions of Conditional Access policy " + id, () -> {
            graph.identity().conditionalAccess().policies().byConditionalAccessPolicyId(id).patch(patch);
            return null;
        });
    }

    /**
     * What If through the SDK's request builder: the evaluate action is in Graph v1.0 and in this SDK
     * (https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-1.0), so no beta call is needed.
     */
    @Override
    public List<Policy> applyingPolicies(String userId, String applicationId) {
        UserSignIn identity = new UserSignIn();
        identity.setUserId(userId);
        ApplicationContext application = new ApplicationContext();
        application.setIncludeApplications(new ArrayList<>(List.of(applicationId)));
        SignInConditions conditions = new SignInConditions();
        conditions.setClientAppType(ConditionalAccessClientApp.Browser);
        conditions.setDevicePlatform(ConditionalAccessDevicePlatform.Windows);
        conditions.setIpAddress(ORDINARY_ADDRESS);
        EvaluatePostRequestBody body = new EvaluatePostRequestBody();
        body.setSignInIdentity(identity);
        body.setSignInContext(application);
        body.setSignInConditions(conditions);
        body.setAppliedPoliciesOnly(true);
        EvaluatePostResponse response = paced("evaluating Conditional Access for user " + userId,
                () -> graph.identity().conditionalAccess().evaluate().post(body));
        if (response == null || response.getValue() == null) {
            return List.of();
        }
        return response.getValue().stream().filter(result -> Boolean.TRUE.equals(result.getPolicyApplies()))
                .map(GraphConditionalAccess::toPolicy).toList();
    }

    /**
     * The PATCH body: {@code conditions.users} with all six arrays, each complete, in a fresh model (a
     * model that was read back would serialise only what changed since it was read).
     */
    static ConditionalAccessPolicy usersPatch(PolicyUsers users) {
        ConditionalAccessUsers body = new ConditionalAccessUsers();
        body.setIncludeUsers(new ArrayList<>(users.includeUsers()));
        body.setExcludeUsers(new ArrayList<>(users.excludeUsers()));
        body.setIncludeGroups(new ArrayList<>(users.includeGroups()));
        body.setExcludeGroups(new ArrayList<>(users.excludeGroups()));
        body.setIncludeRoles(new ArrayList<>(users.includeRoles()));
        body.setExcludeRoles(new ArrayList<>(users.excludeRoles()));
        ConditionalAccessConditionSet conditions = new ConditionalAccessConditionSet();
        conditions.setUsers(body);
        ConditionalAccessPolicy patch = new ConditionalAccessPolicy();
        patch.setConditions(conditions);
        return patch;
    }

    private <T> T paced(String doing, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return pacer.call(call);
            } catch (ODataError e) {
                if (e.getResponseStatusCode() != 429 || attempt >= THROTTLE_ATTEMPTS) {
                    throw CloudErrors.translate(doing, e);
                }
                sleeper.sleep(backoff.delay(attempt));
            } catch (RuntimeException e) {
                throw CloudErrors.translate(doing, e);
            }
        }
    }

    private static Policy toPolicy(ConditionalAccessPolicy policy) {
        ConditionalAccessUsers users = policy.getConditions() == null ? null : policy.getConditions().getUsers();
        PolicyUsers policyUsers = users == null
                ? new PolicyUsers(List.of(), List.of(), List.of(), List.of(), List.of(), List.of())
                : new PolicyUsers(orEmpty(users.getIncludeUsers()), orEmpty(users.getExcludeUsers()),
                        orEmpty(users.getIncludeGroups()), orEmpty(users.getExcludeGroups()),
                        orEmpty(users.getIncludeRoles()), orEmpty(users.getExcludeRoles()));
        return new Policy(policy.getId(), policy.getDisplayName(),
                policy.getState() == null ? "unknown" : policy.getState().getValue(), policy.getTemplateId(),
                policyUsers, grantControls(policy.getGrantControls()), sessionControls(policy.getSessionControls()));
    }

    private static List<String> grantControls(ConditionalAccessGrantControls grant) {
        List<String> controls = new ArrayList<>();
        if (grant == null) {
            return controls;
        }
        if (grant.getBuiltInControls() != null) {
            grant.getBuiltInControls().forEach(control -> controls.add(control.getValue()));
        }
        if (grant.getAuthenticationStrength() != null) {
            controls.add("authenticationStrength");
        }
        if (grant.getTermsOfUse() != null && !grant.getTermsOfUse().isEmpty()) {
            controls.add("termsOfUse");
        }
        if (grant.getCustomAuthenticationFactors() != null && !grant.getCustomAuthenticationFactors().isEmpty()) {
            controls.add("customAuthenticationFactors");
        }
        return controls;
    }

    private static List<String> sessionControls(ConditionalAccessSessionControls session) {
        List<String> controls = new ArrayList<>();
        if (session == null) {
            return controls;
        }
        if (session.getApplicationEnforcedRestrictions() != null) {
            controls.add("applicationEnforcedRestrictions");
        }
        if (session.getCloudAppSecurity() != null) {
            controls.add("cloudAppSecurity");
        }
        if (session.getPersistentBrowser() != null) {
            controls.add("persistentBrowser");
        }
        if (session.getSignInFrequency() != null) {
            controls.add("signInFrequency");
        }
        if (session.getSecureSignInSession() != null) {
            controls.add("secureSignInSession");
        }
        if (Boolean.TRUE.equals(session.getDisableResilienceDefaults())) {
            controls.add("disableResilienceDefaults");
        }
        return controls;
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }
}
