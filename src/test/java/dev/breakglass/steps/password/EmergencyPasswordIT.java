package dev.breakglass.steps.password;

import static dev.breakglass.testing.StepTable.allDone;
import static dev.breakglass.testing.StepTable.answered;
import static dev.breakglass.testing.StepTable.done;
import static dev.breakglass.testing.StepTable.noWrites;
import static dev.breakglass.testing.StepTable.once;
import static dev.breakglass.testing.StepTable.requests;
import static dev.breakglass.testing.StepTable.row;
import static dev.breakglass.testing.StepTable.terminal;
import static dev.breakglass.testing.StepTable.twice;
import static dev.breakglass.testing.StepTable.untilItEnds;
import static dev.breakglass.testing.StepTable.waitedAfter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState.SecretVersion;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.StepTable;
import dev.breakglass.testing.StepTable.Given;
import dev.breakglass.testing.StepTable.Then;
import dev.breakglass.testing.StepTable.When;
import dev.breakglass.testing.TestTenant;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EmergencyPassword} against the fake tenant's Key Vault through the real SDK client: the secret is
 * written once, before the user, and never replaced.
 *
 * <p>Covers D1 (up to date → zero writes), D2 (lost response after the PUT), C5 (connection dropped after
 * the PUT: never silently re-sent, since every PUT makes a new version), C9 (Key Vault 429, honouring
 * Retry-After), B3 (403 is terminal), H5 (content type and tags), D4 (a user someone else created holds the
 * UPN: no secret is written for it), H1 (no outcome carries the password), and the soft-delete and
 * lost-secret cases of the step's own contract.
 */
class EmergencyPasswordIT {

    private static final String STEP = "EmergencyPassword";
    private static final String PUT_SECRET = "/secrets/breakglass-bg01";

    static Stream<Arguments> rows() {
        return Stream.of(
                row("absent → created: one 64-character version, pending, tagged", ready(), once(), done(),
                        oneVersion(), createdAsPending()),
                row("up to date → zero writes", stored(), once(), done(), noWrites(), oneVersion()),
                row("soft-deleted → recovered, never replaced", storedThenSoftDeleted(), untilItEnds(), done(),
                        requests("PUT", PUT_SECRET, 0), oneVersion(), sameValueAsBefore()),
                row("run twice → one version", ready(), twice(), allDone(), requests("PUT", PUT_SECRET, 1), oneVersion()),
                row("lost response after the PUT → still one version", lostResponseToPut(), once(), done(),
                        answered(503), requests("PUT", PUT_SECRET, 1), oneVersion()),
                row("C5 connection dropped after the PUT → still one version", droppedAfterPut(), once(), done(),
                        answered(0), requests("PUT", PUT_SECRET, 1), oneVersion()),
                row("throttled 429 Retry-After 1 → waited ≥ 1 s, one version", throttledPut("1"), once(), done(),
                        waitedAfter(429, "PUT", PUT_SECRET, Duration.ofSeconds(1)), oneVersion()),
                row("throttled 429 Retry-After 2 → waited the server's 2 s, not the 1 s default backoff",
                        throttledPut("2"), once(), done(), waitedAfter(429, "PUT", PUT_SECRET, Duration.ofSeconds(2)),
                        oneVersion()),
                row("forbidden 403 → terminal, no secret", forbiddenPut(), once(), terminal("Forbidden"),
                        answered(403), requests("PUT", PUT_SECRET, 1), noSecret()),
                row("user exists but its secret is missing → terminal SecretMissing, no new secret",
                        ourUserWithoutSecret(), once(), terminal("SecretMissing"), noWrites(), noSecret()),
                row("D4 a user without a breakglass marker holds the UPN → terminal ForeignObjectExists, no secret",
                        foreignUser(), once(), terminal("ForeignObjectExists"), noWrites(), noSecret()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void storesEachPasswordOnceAndNeverReplacesIt(String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.ACCOUNT_COUNT, "1")) {
            StepTable.play(tenant, STEP, "bg01", given, when, then);
        }
    }

    // ---- given

    private static Given ready() {
        return StepTable.World::prerequisites;
    }

    private static Given stored() {
        return ready().then(world -> assertThat(world.runUntilItEnds()).isInstanceOf(Outcome.Done.class));
    }

    private static Given storedThenSoftDeleted() {
        return stored().then(world -> {
            world.remember("value", only(world).value());
            world.state().deleteSecret(world.secretName());
        });
    }

    private static Given lostResponseToPut() {
        return ready().then(world -> world.fake().faults().on("PUT", PUT_SECRET).times(1).lostResponse());
    }

    /** The vault stores the secret, then the connection closes before any answer. */
    private static Given droppedAfterPut() {
        return ready().then(world -> world.fake().faults().on("PUT", PUT_SECRET).times(1).lostResponseWithReset());
    }

    private static Given throttledPut(String retryAfter) {
        return ready().then(world -> world.fake().faults().on("PUT", PUT_SECRET).times(1).throttle(retryAfter));
    }

    private static Given forbiddenPut() {
        return ready().then(world -> world.fake().faults().on("PUT", PUT_SECRET).always().error(403, "Forbidden",
                "Caller is not authorized to perform action on resource. Action: "
                        + "'Microsoft.KeyVault/vaults/secrets/setSecret/action'"));
    }

    /** The account's user exists (it carries a breakglass marker) but no secret holds its password. */
    private static Given ourUserWithoutSecret() {
        return ready().then(world -> putUser(world, "breakglass:0123456789abcdef0123456789abcdef"));
    }

    /** Someone else created the account's UPN: no breakglass marker. */
    private static Given foreignUser() {
        return ready().then(world -> putUser(world, null));
    }

    private static void putUser(StepTable.World world, String marker) {
        ObjectNode user = JsonNodeFactory.instance.objectNode()
                .put("userPrincipalName", world.upn()).put("displayName", "Emergency access 01")
                .put("mailNickname", "bg01").put("accountEnabled", true);
        if (marker != null) {
            user.putObject("onPremisesExtensionAttributes").put("extensionAttribute15", marker);
        }
        world.state().putUser(user, "Correct-Horse-Battery-Staple-42");
    }

    // ---- then

    private static Then oneVersion() {
        return world -> {
            assertThat(world.state().secretIsDeleted(world.secretName())).as("soft-deleted").isFalse();
            assertThat(world.state().secretVersions(world.secretName())).as("versions").hasSize(1)
                    .allSatisfy(version -> assertThat(version.enabled()).isTrue());
        };
    }

    private static Then createdAsPending() {
        return world -> {
            SecretVersion version = only(world);
            assertThat(version.value()).hasSize(PasswordGenerator.LENGTH).hasSize(64);
            assertThat(version.contentType()).isEqualTo(EmergencyPassword.CONTENT_TYPE);
            assertThat(version.tags())
                    .containsEntry("managed-by", "breakglass")
                    .containsEntry("account", "bg01")
                    .containsEntry("upn", world.upn())
                    .containsEntry("state", "pending")
                    .doesNotContainKey("userObjectId");
            assertThat(version.tags().get("provenance")).as("provenance nonce").matches("[0-9a-f]{32}");
        };
    }

    private static Then sameValueAsBefore() {
        return world -> assertThat(only(world).value()).as("password after recovery")
                .isEqualTo(world.<String>remembered("value"));
    }

    private static Then noSecret() {
        return world -> {
            assertThat(world.state().secretVersions(world.secretName())).as("versions").isEmpty();
            assertThat(world.state().secretIsDeleted(world.secretName())).as("soft-deleted").isFalse();
        };
    }

    private static SecretVersion only(StepTable.World world) {
        var versions = world.state().secretVersions(world.secretName());
        assertThat(versions).as("versions of %s", world.secretName()).hasSize(1);
        return versions.get(0);
    }
}
