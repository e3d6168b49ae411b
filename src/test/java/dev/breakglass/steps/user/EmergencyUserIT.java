package dev.breakglass.steps.user;

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
import static dev.breakglass.testing.StepTable.waitedAfter;
import static dev.breakglass.testing.StepTable.wholeApply;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState.SecretVersion;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.spec.Setting;
import dev.breakglass.steps.password.EmergencyPassword;
import dev.breakglass.testing.StepTable;
import dev.breakglass.testing.StepTable.Given;
import dev.breakglass.testing.StepTable.Then;
import dev.breakglass.testing.StepTable.When;
import dev.breakglass.testing.StepTable.World;
import dev.breakglass.testing.TestTenant;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EmergencyUser} against the fake tenant's Graph and Key Vault through the real SDK clients: one
 * cloud-only user per account, stamped with the provenance marker, whose password is the Key Vault secret's.
 *
 * <p>Covers D1 (up to date → zero writes), C4 and B2/D2 (lost response after {@code POST /users} →
 * exactly one user, adopted, password still the vault's), C5 (connection dropped after the POST), B1 (two
 * workers race: the loser's {@code ObjectConflict} is resolved by re-reading and matching the provenance),
 * C1 (three 429s with Retry-After 3, waited each time), B3 (403 {@code Authorization_RequestDenied} is
 * terminal after one attempt), D4 (a user we did not create, with no marker or another nonce, is never
 * adopted, and no PIM request is sent), E4 (a disabled account is reported, never silently re-enabled),
 * H1 (no outcome carries the password).
 */
class EmergencyUserIT {

    private static final String STEP = "EmergencyUser";
    private static final String USERS = "/v1.0/users";
    private static final String ROLES = "/v1.0/roleManagement/directory/(roleAssignmentScheduleRequests|roleAssignments)";

    static Stream<Arguments> rows() {
        return Stream.of(
                row("absent → created: enabled, password never expires, marked, the vault's password",
                        ready(), once(), done(), exactlyOneUser(), createdAsSpecified(), passwordIsTheVaults(),
                        secretRecordsTheUser()),
                row("up to date → zero writes", created(), once(), done(), noWrites(), exactlyOneUser()),
                row("disabled out of band → reported as drift and left disabled", createdThenDisabled(), once(),
                        doneSaying("left disabled"), requests("PATCH", USERS + "/.*", 0), stillDisabledAndReported()),
                row("run twice → exactly one user", ready(), twice(), allDone(), requests("POST", USERS, 1),
                        exactlyOneUser(), passwordIsTheVaults()),
                row("C4 lost response after POST /users → one user, adopted, password still the vault's",
                        lostResponseToPost(), once(), done(), answered(503), requests("POST", USERS, 1),
                        exactlyOneUser(), passwordIsTheVaults(), secretRecordsTheUser()),
                row("C5 connection dropped after POST /users → one user, never re-sent blindly", droppedAfterPost(),
                        once(), done(), answered(0), requests("POST", USERS, 1), exactlyOneUser(),
                        passwordIsTheVaults(), secretRecordsTheUser()),
                row("B1 two workers race, Graph answers ObjectConflict → adopted by provenance, one user",
                        postHeldFor(Duration.ofSeconds(5)), twoWorkersAtOnce(Duration.ofMillis(1500)), allDone(),
                        answered(400), succeeded("POST", USERS, 1), exactlyOneUser(), passwordIsTheVaults(),
                        secretRecordsTheUser()),
                row("C1 throttled three times, Retry-After 3 → waited ≥ 3 s before each retry, one user",
                        throttledPost(3, "3"), once(), done(), requests("POST", USERS, 4),
                        waitedAfter(429, "POST", USERS, Duration.ofSeconds(3)), exactlyOneUser()),
                row("forbidden 403 Authorization_RequestDenied → terminal after one attempt, no user", forbiddenPost(),
                        once(), terminal("Authorization_RequestDenied"), answered(403), requests("POST", USERS, 1),
                        noUser()),
                row("D4 foreign user without a marker → terminal, untouched", ready().then(squatter(null)), once(),
                        terminal("ForeignObjectExists"), noWrites(), squatterUnchanged()),
                row("D4 foreign user with another nonce → terminal, untouched",
                        ready().then(squatter("breakglass:00000000000000000000000000000000")), once(),
                        terminal("ForeignObjectExists"), noWrites(), squatterUnchanged()),
                row("D4 foreign user, whole apply → fails closed, no role request", squatter(null), wholeApply(),
                        terminal("ForeignObjectExists"), requests("*", ROLES, 0), squatterUnchanged(), noSecret()),
                row("D4 foreign user with a forged marker, whole apply → fails closed, no role request",
                        squatter("breakglass:00000000000000000000000000000000"), wholeApply(), terminal("SecretMissing"),
                        requests("*", ROLES, 0), squatterUnchanged(), noSecret()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keepsOneEnabledUserOfOursPerAccount(String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.ACCOUNT_COUNT, "1")) {
            StepTable.play(tenant, STEP, "bg01", given, when, then);
        }
    }

    // ---- given

    /** The prerequisites applied: the secret is stored, pending; its provenance nonce is remembered. */
    private static Given ready() {
        return world -> {
            world.prerequisites();
            world.remember("provenance", secret(world).tags().get("provenance"));
        };
    }

    private static Given created() {
        return ready().then(world -> assertThat(world.runUntilItEnds()).isInstanceOf(Outcome.Done.class));
    }

    private static Given createdThenDisabled() {
        return created().then(world -> world.state().disableUser(user(world).get("id").asText()));
    }

    private static Given lostResponseToPost() {
        return ready().then(world -> world.fake().faults().on("POST", USERS).times(1).lostResponse());
    }

    /** Graph creates the user, then the connection closes before any answer. */
    private static Given droppedAfterPost() {
        return ready().then(world -> world.fake().faults().on("POST", USERS).times(1).lostResponseWithReset());
    }

    /** The first POST /users is held this long before the fake performs it. */
    private static Given postHeldFor(Duration delay) {
        return ready().then(world -> world.fake().faults().on("POST", USERS).times(1).delay(delay));
    }

    private static Given throttledPost(int times, String retryAfter) {
        return ready().then(world -> world.fake().faults().on("POST", USERS).times(times).throttle(retryAfter));
    }

    private static Given forbiddenPost() {
        return ready().then(world -> world.fake().faults().on("POST", USERS).always().error(403,
                "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    }

    /** Someone else creates the account's UPN first, with no marker or with {@code marker}. */
    private static Given squatter(String marker) {
        return world -> {
            ObjectNode user = JsonNodeFactory.instance.objectNode()
                    .put("userPrincipalName", world.upn()).put("displayName", "Emergency access 01")
                    .put("mailNickname", "bg01").put("accountEnabled", true)
                    .put("passwordPolicies", "DisablePasswordExpiration");
            if (marker != null) {
                user.putObject("onPremisesExtensionAttributes").put("extensionAttribute15", marker);
            }
            String id = world.state().putUser(user, "Squatters-Know-This-1");
            world.remember("squatter", world.state().user(id).orElseThrow());
        };
    }

    // ---- then

    private static Then exactlyOneUser() {
        return world -> {
            assertThat(world.state().users()).as("users in the tenant").hasSize(1);
            assertThat(world.state().users().get(0).get("userPrincipalName").asText()).isEqualTo(world.upn());
        };
    }

    private static Then noUser() {
        return world -> assertThat(world.state().users()).as("users in the tenant").isEmpty();
    }

    private static Then createdAsSpecified() {
        return world -> {
            ObjectNode user = user(world);
            assertThat(world.upn()).isEqualTo("bg01@" + world.fake().initialDomain());
            assertThat(user.get("accountEnabled").asBoolean()).as("accountEnabled").isTrue();
            assertThat(user.get("passwordPolicies").asText()).isEqualTo("DisablePasswordExpiration");
            assertThat(user.get("displayName").asText()).isEqualTo("Emergency access 01");
            assertThat(user.path("onPremisesExtensionAttributes").path("extensionAttribute15").asText())
                    .as("provenance marker").isEqualTo("breakglass:" + secret(world).tags().get("provenance"));
        };
    }

    private static Then passwordIsTheVaults() {
        return world -> assertThat(world.state().passwordOf(user(world).get("id").asText())).as("password at the fake")
                .contains(secret(world).value());
    }

    private static Then secretRecordsTheUser() {
        return world -> {
            SecretVersion secret = secret(world);
            assertThat(secret.tags())
                    .containsEntry("state", "active")
                    .containsEntry("userObjectId", user(world).get("id").asText())
                    .containsEntry("provenance", world.<String>remembered("provenance"));
            assertThat(secret.contentType()).as("content type after the tag update")
                    .isEqualTo(EmergencyPassword.CONTENT_TYPE);
        };
    }

    private static Then stillDisabledAndReported() {
        return world -> {
            assertThat(user(world).get("accountEnabled").asBoolean()).as("accountEnabled").isFalse();
            assertThat(world.tenant().observe(STEP, world.account())).isInstanceOfSatisfying(Observation.Drifted.class,
                    drifted -> assertThat(drifted.differences()).anySatisfy(d -> assertThat(d).contains("disabled")));
        };
    }

    private static Then squatterUnchanged() {
        return world -> {
            ObjectNode before = world.remembered("squatter");
            String id = before.get("id").asText();
            assertThat(world.state().users()).as("users in the tenant").hasSize(1);
            assertThat(world.state().user(id)).contains(before);
            assertThat(world.state().passwordOf(id)).contains("Squatters-Know-This-1");
        };
    }

    private static Then noSecret() {
        return world -> assertThat(world.state().secretVersions(world.secretName())).as("secret versions").isEmpty();
    }

    private static ObjectNode user(World world) {
        return world.state().user(world.upn()).orElseThrow(() -> new AssertionError("no user " + world.upn()));
    }

    private static SecretVersion secret(World world) {
        var versions = world.state().secretVersions(world.secretName());
        assertThat(versions).as("versions of %s", world.secretName()).hasSize(1);
        return versions.get(0);
    }
}
