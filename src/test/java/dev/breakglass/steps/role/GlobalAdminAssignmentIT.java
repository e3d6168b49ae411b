package dev.breakglass.steps.role;

import static dev.breakglass.testing.StepTable.allDone;
import static dev.breakglass.testing.StepTable.answered;
import static dev.breakglass.testing.StepTable.done;
import static dev.breakglass.testing.StepTable.doneSaying;
import static dev.breakglass.testing.StepTable.noWrites;
import static dev.breakglass.testing.StepTable.once;
import static dev.breakglass.testing.StepTable.requests;
import static dev.breakglass.testing.StepTable.row;
import static dev.breakglass.testing.StepTable.succeeded;
import static dev.breakglass.testing.StepTable.terminal;
import static dev.breakglass.testing.StepTable.twice;
import static dev.breakglass.testing.StepTable.twoWorkersAtOnce;
import static dev.breakglass.testing.StepTable.untilItEnds;
import static dev.breakglass.testing.StepTable.waitedThenDone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.StepTable;
import dev.breakglass.testing.StepTable.Given;
import dev.breakglass.testing.StepTable.Then;
import dev.breakglass.testing.StepTable.When;
import dev.breakglass.testing.StepTable.World;
import dev.breakglass.testing.TestTenant;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GlobalAdminAssignment} against the fake tenant's Graph role management API through the real SDK
 * client: one permanent, active Global Administrator assignment at directory scope, made through PIM
 * when the tenant has Entra ID P2 and directly when it has not.
 *
 * <p>Covers D1 (up to date → zero writes), E4 (GA removed out of band → assigned again), C10 (PIM does not
 * see a new user yet → the step waits, then assigns once, never terminal), D6 (lost PIM response, and PIM's
 * {@code RoleAssignmentExists} when two workers race, as in B1 → resolved by re-reading, one schedule), D7
 * ({@code ExpirationRule} → terminal, one PIM request, no fallback to an eligible or direct assignment), B3
 * (403 is terminal after one attempt), D4 (GA is never requested for a user breakglass did not create).
 */
class GlobalAdminAssignmentIT {

    private static final String STEP = "GlobalAdminAssignment";
    private static final String GA = GlobalAdminAssignment.GLOBAL_ADMINISTRATOR;
    private static final String PIM_REQUESTS = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests";
    private static final String DIRECT = "/v1.0/roleManagement/directory/roleAssignments";
    private static final String ELIGIBILITY = "/v1.0/roleManagement/directory/roleEligibility.*";
    private static final String ASSIGNMENTS = "/v1.0/roleManagement/directory/"
            + "(roleAssignmentScheduleRequests|roleAssignments)";

    static Stream<Arguments> rows() {
        return Stream.of(
                row("absent → one permanent PIM schedule at / for our user", ready(), once(), done(),
                        succeeded("POST", PIM_REQUESTS, 1), onePermanentAssignment(true)),
                row("up to date → zero writes", assigned(), once(), done(), noWrites(), onePermanentAssignment(true)),
                row("removed out of band → assigned again", assignedThenRemoved(), once(), done(),
                        succeeded("POST", PIM_REQUESTS, 1), onePermanentAssignment(true)),
                row("run twice → one schedule", ready(), twice(), allDone(), requests("POST", PIM_REQUESTS, 1),
                        onePermanentAssignment(true)),
                row("C10 PIM does not see the new user for 4 s → waits, then exactly one schedule",
                        replicationLag(Duration.ofSeconds(4)), untilItEnds(), waitedThenDone(), answered(404),
                        succeeded("POST", PIM_REQUESTS, 1), onePermanentAssignment(true)),
                row("D6 lost response after the PIM POST → resolved by re-reading, one schedule",
                        lostResponseToPimRequest(), once(), done(), answered(503), requests("POST", PIM_REQUESTS, 1),
                        onePermanentAssignment(true)),
                row("D6 two workers race, PIM answers RoleAssignmentExists → verified by re-reading, one schedule",
                        pimRequestHeldFor(Duration.ofSeconds(5)), twoWorkersAtOnce(Duration.ofMillis(1500)), allDone(),
                        answered(400), succeeded("POST", PIM_REQUESTS, 1), onePermanentAssignment(true)),
                row("no Entra ID P2 → direct assignment, with a warning", readyWithoutP2(), once(), doneSaying("warning"),
                        succeeded("POST", PIM_REQUESTS, 0), succeeded("POST", DIRECT, 1), onePermanentAssignment(false)),
                row("D7 PIM policy ExpirationRule → terminal, no direct assignment", expirationRuleForbidsPermanent(),
                        once(), terminal("PimPolicyForbidsPermanentAssignment"), messageNames("ExpirationRule"),
                        requests("POST", PIM_REQUESTS, 1), requests("*", ELIGIBILITY, 0), requests("POST", DIRECT, 0),
                        noAssignment()),
                row("forbidden 403 → terminal after one attempt, no assignment", forbiddenPimRequest(), once(),
                        terminal("Authorization_RequestDenied"), answered(403), requests("POST", PIM_REQUESTS, 1),
                        requests("POST", DIRECT, 0), noAssignment()),
                row("D4 foreign user holds the UPN → terminal, GA never requested", foreignUser(), once(),
                        terminal("ForeignObjectExists"), requests("*", ASSIGNMENTS, 0), noAssignment()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void makesOnlyOurUserAPermanentGlobalAdministratorOnce(String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.ACCOUNT_COUNT, "1")) {
            StepTable.play(tenant, STEP, "bg01", given, when, then);
        }
    }

    // ---- given

    private static Given ready() {
        return world -> {
            world.fake().pimLicensed(true);
            world.prerequisites();
        };
    }

    private static Given readyWithoutP2() {
        return world -> {
            world.fake().pimLicensed(false);
            world.prerequisites();
        };
    }

    private static Given assigned() {
        return ready().then(world -> assertThat(world.runUntilItEnds()).isInstanceOf(Outcome.Done.class));
    }

    private static Given assignedThenRemoved() {
        return assigned().then(world -> world.state().removeRoleAssignment(userId(world), GA));
    }

    /** The user is created (by the prerequisites) while PIM lags behind, and the step runs straight after. */
    private static Given replicationLag(Duration lag) {
        return world -> {
            world.fake().pimLicensed(true).replicationLag(lag);
            world.prerequisites();
        };
    }

    private static Given lostResponseToPimRequest() {
        return ready().then(world -> world.fake().faults().on("POST", PIM_REQUESTS).times(1).lostResponse());
    }

    /** The first PIM request is held this long before the fake performs it. */
    private static Given pimRequestHeldFor(Duration delay) {
        return ready().then(world -> world.fake().faults().on("POST", PIM_REQUESTS).times(1).delay(delay));
    }

    private static Given expirationRuleForbidsPermanent() {
        return ready().then(world -> world.fake().faults().on("POST", PIM_REQUESTS).always().error(400,
                "RoleAssignmentRequestPolicyValidationFailed", "The following policy rules failed: [\"ExpirationRule\"]"));
    }

    private static Given forbiddenPimRequest() {
        return ready().then(world -> world.fake().faults().on("POST", PIM_REQUESTS).always().error(403,
                "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    }

    /** Our secret exists, but someone else created the UPN before EmergencyUser could. */
    private static Given foreignUser() {
        return world -> {
            world.fake().pimLicensed(true);
            world.tenant().applyBefore("EmergencyUser");
            ObjectNode user = JsonNodeFactory.instance.objectNode()
                    .put("userPrincipalName", world.upn()).put("displayName", "Emergency access 01")
                    .put("mailNickname", "bg01").put("accountEnabled", true);
            world.state().putUser(user, "Squatters-Know-This-1");
        };
    }

    // ---- then

    /** Exactly one assignment in the tenant: GA, at "/", never expiring, for our user, through PIM or not. */
    private static Then onePermanentAssignment(boolean throughPim) {
        return world -> {
            List<ObjectNode> schedules = world.state().roleSchedules();
            assertThat(schedules).as("role assignment schedules").hasSize(1);
            JsonNode schedule = schedules.get(0);
            assertThat(schedule.get("principalId").asText()).as("principal").isEqualTo(userId(world));
            assertThat(schedule.get("roleDefinitionId").asText()).as("role").isEqualTo(GA);
            assertThat(schedule.get("directoryScopeId").asText()).as("scope").isEqualTo("/");
            assertThat(schedule.get("status").asText()).isEqualTo("Provisioned");
            assertThat(schedule.at("/scheduleInfo/expiration/type").asText()).isEqualTo("noExpiration");
            assertThat(schedule.get("createdUsing").isNull()).as("made without PIM").isEqualTo(!throughPim);
            assertThat(world.state().roleAssignments()).as("role assignments").hasSize(1);
        };
    }

    private static Then noAssignment() {
        return world -> {
            assertThat(world.state().roleAssignments()).as("role assignments").isEmpty();
            assertThat(world.state().roleSchedules()).as("role assignment schedules").isEmpty();
        };
    }

    private static Then messageNames(String text) {
        return world -> assertThat(world.outcome()).isInstanceOfSatisfying(Outcome.Terminal.class,
                terminal -> assertThat(terminal.message()).contains(text));
    }

    private static String userId(World world) {
        return world.state().user(world.upn()).orElseThrow(() -> new AssertionError("no user " + world.upn()))
                .get("id").asText();
    }
}
