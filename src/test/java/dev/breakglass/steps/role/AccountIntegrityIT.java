package dev.breakglass.steps.role;

import static dev.breakglass.testing.StepTable.done;
import static dev.breakglass.testing.StepTable.once;
import static dev.breakglass.testing.StepTable.requests;
import static dev.breakglass.testing.StepTable.row;
import static dev.breakglass.testing.StepTable.succeeded;
import static dev.breakglass.testing.StepTable.terminal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.StepTable;
import dev.breakglass.testing.StepTable.Given;
import dev.breakglass.testing.StepTable.Then;
import dev.breakglass.testing.StepTable.When;
import dev.breakglass.testing.StepTable.World;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * D5: {@link GlobalAdminAssignment} checks {@link AccountIntegrity} right before it asks PIM, and refuses
 * ({@code IntegrityCheckFailed}, no PIM request, no schedule) a user whose password changed after creation,
 * that has another authentication method, or that is a member of a group other than the exclusion group. E4:
 * an assigned user that gained another method or membership is drift (verification fails BG.1004) and apply
 * changes nothing.
 */
class AccountIntegrityIT {

    private static final String STEP = "GlobalAdminAssignment";
    private static final String PIM_REQUESTS = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests";
    private static final String METHODS = "/v1.0/users/[0-9a-f-]+/authentication/methods";
    private static final String MEMBER_OF = "/v1.0/users/[0-9a-f-]+/memberOf";

    static Stream<Arguments> rows() {
        return Stream.of(
                // Observe reads the integrity facts beside the role read (one round trip in verification); apply
                // reads them again right before the PIM request, so GA is granted on what the tenant holds then.
                row("untouched user → checked, then one PIM request", ready(), once(), done(),
                        requests("GET", METHODS, 2), requests("GET", MEMBER_OF, 2), succeeded("POST", PIM_REQUESTS, 1),
                        schedules(1)),
                row("password changed 30 s after creation (within the minute) → assigned",
                        ready().then(passwordChangedAfter(Duration.ofSeconds(30))), once(), done(), schedules(1)),
                row("password changed 2 min after creation → refused", ready().then(passwordChangedAfter(
                        Duration.ofMinutes(2))), once(), refused("password was changed after breakglass set it")),
                row("a passkey registered (what BG.1011 asks the custodians for) → assigned",
                        ready().then(method("#microsoft.graph.fido2AuthenticationMethod")), once(), done(), schedules(1)),
                row("the Authenticator app registered → refused", ready().then(method("#microsoft.graph.microsoftAuthenticatorAuthenticationMethod")),
                        once(), refused("microsoftAuthenticatorAuthenticationMethod")),
                row("a phone registered → refused", ready().then(method("#microsoft.graph.phoneAuthenticationMethod")),
                        once(), refused("phoneAuthenticationMethod")),
                row("member of another group → refused", ready().then(memberOf("helpdesk-admins")), once(),
                        refused("group helpdesk-admins")),
                row("GA removed later, user in the exclusion group only → assigned again", inExclusionGroupWithoutGa(),
                        once(), done(), succeeded("POST", PIM_REQUESTS, 1), schedules(1)),
                row("GA removed after breakglass rotated the password long after creation → assigned again",
                        inExclusionGroupWithoutGa().then(rotatedByBreakglassLongAfterCreation()), once(), done(),
                        succeeded("POST", PIM_REQUESTS, 1), schedules(1)),
                row("GA removed, then the password changed after breakglass's rotation → refused",
                        inExclusionGroupWithoutGa().then(rotatedByBreakglassLongAfterCreation())
                                .then(passwordChangedAfter(Duration.ofDays(1).plusMinutes(5))), once(),
                        refused("password was changed after breakglass set it")),
                row("E4 assigned, then the Authenticator app registered → drift, refused, nothing written",
                        assigned().then(method("#microsoft.graph.microsoftAuthenticatorAuthenticationMethod")), once(),
                        refusedKeepingTheAssignment("microsoftAuthenticatorAuthenticationMethod")),
                row("E4 assigned, then added to a group → drift, refused, nothing written",
                        assigned().then(memberOf("helpdesk-admins")), once(),
                        refusedKeepingTheAssignment("group helpdesk-admins")),
                row("E4 assigned and in the exclusion group → up to date, zero writes", assigned().then(world ->
                        assertThat(world.tenant().runToEnd("ExclusionGroup", null)).isInstanceOf(Outcome.Done.class)),
                        once(), done(), StepTable.noWrites(), schedules(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @Covers(value = {"D5", "E4"}, proves = "Global Administrator is requested only for a user whose password was not changed "
            + "after creation, with no authentication method but the password, passkeys, certificates and breakglass's pass, and no membership but the exclusion group; "
            + "otherwise IntegrityCheckFailed and no PIM request; an assigned user that gained a method or a "
            + "membership is drift, and apply writes nothing")
    void grantsGlobalAdministratorOnlyToAnUntouchedUser(String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.ACCOUNT_COUNT, "1")) {
            StepTable.play(tenant, STEP, "bg01", given, when, then);
        }
    }

    @org.junit.jupiter.api.Test
    @Covers(value = "E4", proves = "Verification reports BG.1004 Failed (not Passed) when an assigned emergency account "
            + "gains an authentication method breakglass does not expect")
    void verificationFailsWhenAnAssignedAccountGainsAMethod() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.ACCOUNT_COUNT, "1")) {
            tenant.fake().pimLicensed(true);
            tenant.apply();
            String userId = tenant.fake().state().user(tenant.spec().account("bg01").upn(tenant.fake().initialDomain()))
                    .orElseThrow().get("id").asText();
            tenant.fake().state().addAuthenticationMethod(userId, JsonNodeFactory.instance.objectNode()
                    .put("@odata.type", "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod").put("id", "k1"));
            Ledger.faultsInjected(1);

            var result = tenant.verify().checks().stream().filter(check -> check.id().equals("BG.1004")).toList();

            assertThat(result).singleElement().satisfies(check -> {
                assertThat(check.status()).isEqualTo(dev.breakglass.reconcile.CheckStatus.Failed);
                assertThat(check.detail()).contains("microsoftAuthenticatorAuthenticationMethod");
            });
        }
    }

    // ---- given

    private static Given ready() {
        return world -> {
            world.fake().pimLicensed(true);
            world.prerequisites();
        };
    }

    private static Given passwordChangedAfter(Duration afterCreation) {
        return world -> {
            Instant created = Instant.parse(user(world).get("createdDateTime").asText());
            world.state().passwordChanged(userId(world), "Someone-Else-Knows-This-1", created.plus(afterCreation));
            Ledger.faultsInjected(1);
        };
    }

    /** The account was created a day ago; breakglass rotates its password now (a new version, then the reset). */
    private static Given rotatedByBreakglassLongAfterCreation() {
        return world -> {
            world.state().userCreatedAt(userId(world), Instant.now().minus(Duration.ofDays(1)));
            world.tenant().engine().passwordRotation().rotate(new StepContext(world.tenant().spec(),
                    world.tenant().spec().account("bg01"), new RunReads()));
        };
    }

    private static Given method(String odataType) {
        return world -> {
            ObjectNode method = JsonNodeFactory.instance.objectNode().put("@odata.type", odataType)
                    .put("id", java.util.UUID.randomUUID().toString());
            world.state().addAuthenticationMethod(userId(world), method);
            Ledger.faultsInjected(1);
        };
    }

    private static Given memberOf(String mailNickname) {
        return world -> {
            String group = world.state().addGroup(JsonNodeFactory.instance.objectNode().put("displayName", mailNickname)
                    .put("mailNickname", mailNickname).put("securityEnabled", true).put("mailEnabled", false));
            world.state().addMember(group, userId(world));
            Ledger.faultsInjected(1);
        };
    }

    private static Given assigned() {
        return ready().then(world -> assertThat(world.tenant().runToEnd(STEP, "bg01")).isInstanceOf(Outcome.Done.class));
    }

    private static Given inExclusionGroupWithoutGa() {
        return ready().then(world -> {
            assertThat(world.tenant().runToEnd(STEP, "bg01")).isInstanceOf(Outcome.Done.class);
            assertThat(world.tenant().runToEnd("ExclusionGroup", null)).isInstanceOf(Outcome.Done.class);
            world.state().removeRoleAssignment(userId(world), GlobalAdminAssignment.GLOBAL_ADMINISTRATOR);
            Ledger.faultsInjected(1);
        });
    }

    // ---- then

    private static Then refused(String why) {
        return Then.all(terminal("IntegrityCheckFailed"),
                world -> assertThat(((Outcome.Terminal) world.outcome()).message()).contains(why),
                requests("POST", PIM_REQUESTS, 0), requests("POST", "/v1.0/roleManagement/directory/roleAssignments", 0),
                schedules(0));
    }

    private static Then refusedKeepingTheAssignment(String why) {
        return Then.all(terminal("IntegrityCheckFailed"),
                world -> assertThat(((Outcome.Terminal) world.outcome()).message()).contains(why),
                StepTable.noWrites(), schedules(1));
    }

    private static Then schedules(int expected) {
        return world -> assertThat(world.state().roleSchedules()).as("role schedules").hasSize(expected);
    }

    private static ObjectNode user(World world) {
        return world.state().user(world.upn()).orElseThrow();
    }

    private static String userId(World world) {
        return user(world).get("id").asText();
    }
}
