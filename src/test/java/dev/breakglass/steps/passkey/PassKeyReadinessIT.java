package dev.breakglass.steps.passkey;

import static dev.breakglass.testing.StepTable.answered;
import static dev.breakglass.testing.StepTable.done;
import static dev.breakglass.testing.StepTable.doneSaying;
import static dev.breakglass.testing.StepTable.noWrites;
import static dev.breakglass.testing.StepTable.once;
import static dev.breakglass.testing.StepTable.requests;
import static dev.breakglass.testing.StepTable.row;
import static dev.breakglass.testing.StepTable.terminal;
import static dev.breakglass.testing.StepTable.twice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState.IssuedPass;
import dev.breakglass.faketenant.TenantState.SecretVersion;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.StepTable;
import dev.breakglass.testing.StepTable.Given;
import dev.breakglass.testing.StepTable.Then;
import dev.breakglass.testing.StepTable.When;
import dev.breakglass.testing.StepTable.World;
import dev.breakglass.testing.TestTenant;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PassKeyReadiness} against the fake tenant's Graph authentication methods and Key Vault through the real SDK
 * clients: a passkey or certificate passes; otherwise, with Temporary Access Passes turned on, exactly one one-time
 * pass is issued and lands in Key Vault beside the password, never while another pass is usable, never in an outcome
 * (H1); a failed vault write takes the pass back; the password method is never touched.
 */
class PassKeyReadinessIT {

    private static final String STEP = "PassKeyReadiness";
    private static final String PASSES = "/v1.0/users/[^/]+/authentication/temporaryAccessPassMethods.*";
    private static final String METHODS = "/v1.0/users/[^/]+/authentication/.*";

    static Stream<Arguments> rows() {
        return Stream.of(
                row("passes off, no key → PendingKeyRegistration reported, nothing issued or written", ready(false),
                        once(), doneSaying("PendingKeyRegistration"), noWrites(), noPass(),
                        reported(CheckStatus.Failed, "BREAKGLASS_TAP_ENABLED is off")),
                row("passes on, no key → one one-time pass in Key Vault beside the password, expiring with it",
                        ready(true), once(), doneSaying("issued a one-time Temporary Access Pass"),
                        requests("POST", PASSES, 1), onePassInTheVault(), passIsOneTime(60),
                        reported(CheckStatus.Failed, "is in Key Vault as breakglass-bg01-tap"), passwordMethodKept()),
                row("run twice → still exactly one pass and one vault version", ready(true), twice(),
                        requests("POST", PASSES, 1), onePassInTheVault()),
                row("a configured lifetime reaches Graph", ready(true).then(w -> lifetime(w, "240")), once(),
                        done(), passIsOneTime(240)),
                row("passkey registered → Passed, nothing written", ready(true).then(PassKeyReadinessIT::passkey),
                        once(), done(), noWrites(), noPass(), reported(CheckStatus.Passed, "passkey 'YubiKey 5C'")),
                row("certificate bound → Passed, nothing written", ready(true).then(PassKeyReadinessIT::certificate),
                        once(), done(), noWrites(), noPass(), reported(CheckStatus.Passed, "1 certificate binding")),
                row("a valid pass an administrator issued → never replaced", ready(true).then(PassKeyReadinessIT::adminPass),
                        once(), doneSaying("never replaces a valid pass"), noWrites(), adminPassKept(),
                        reported(CheckStatus.Failed, "not in breakglass's Key Vault")),
                row("our pass expired → a new one replaces it in the vault", issued().then(PassKeyReadinessIT::expire),
                        once(), done(), requests("POST", PASSES, 1), newestVersionIsTheNewPass(2)),
                row("our pass was used once → a new one", issued().then(PassKeyReadinessIT::use), once(), done(),
                        requests("POST", PASSES, 1), newestVersionIsTheNewPass(2)),
                row("lost response to the POST → no second pass, the unknown one reported", ready(true).then(w ->
                        w.fake().faults().on("POST", PASSES).times(1).lostResponse()), once(),
                        doneSaying("never replaces a valid pass"), answered(503), requests("POST", PASSES, 1),
                        noSecret()),
                row("vault write forbidden → terminal, the unreadable pass deleted", ready(true).then(w ->
                        w.fake().faults().on("PUT", "/secrets/breakglass-bg01-tap").always().error(403, "Forbidden",
                                "The user, group or application does not have secrets set permission.")),
                        once(), terminalOfAnyReason(), requests("DELETE", PASSES, 1), noPass(), noSecret()),
                row("passes disabled by policy → terminal badRequest, nothing stored", ready(true).then(w ->
                        w.state().temporaryAccessPassPolicy(false)), once(), terminal("badRequest"), noPass(),
                        noSecret()),
                row("forbidden to read methods → terminal, nothing issued", ready(true).then(w ->
                        w.fake().faults().on("GET", METHODS).always().error(403, "Authorization_RequestDenied",
                                "Insufficient privileges to complete the operation.")),
                        once(), terminal("Authorization_RequestDenied"), requests("POST", PASSES, 0), noPass()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void issuesAtMostOnePassUntilAKeyIsRegistered(String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.ACCOUNT_COUNT, "1").withoutMonitoring()) {
            StepTable.play(tenant, STEP, "bg01", given, when, then);
        }
    }

    @Test
    void aReadFailureIsErrorNeverPassed() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.ACCOUNT_COUNT, "1").withoutMonitoring()) {
            tenant.applyBefore(STEP);
            tenant.fake().faults().on("GET", METHODS).always().serverError(503);
            assertThat(check(tenant)).satisfies(result -> {
                assertThat(result.status()).isEqualTo(CheckStatus.Error);
                assertThat(result.detail()).contains("503");
            });
        }
    }

    @Test
    void permissionsToIssueAreDeclaredOnlyWhenPassesAreOn() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring()) {
            assertThat(step(tenant).permissions().observe()).contains("UserAuthenticationMethod.Read.All")
                    .doesNotContain("UserAuthenticationMethod.ReadWrite.All");
            assertThat(step(tenant).permissions().apply()).isEmpty();
            tenant.set(Setting.TAP_ENABLED, "true");
            assertThat(step(tenant).permissions().apply()).contains("UserAuthenticationMethod.ReadWrite.All");
        }
    }

    private static PassKeyReadiness step(TestTenant tenant) {
        return (PassKeyReadiness) tenant.engine().workflow().step(STEP).orElseThrow();
    }

    private static CheckResult check(TestTenant tenant) {
        return tenant.verify().checks().stream().filter(c -> c.id().equals("BG.1011") && c.target().equals("bg01"))
                .findFirst().orElseThrow();
    }

    // ---- given

    private static Given ready(boolean passesOn) {
        return world -> {
            world.tenant().set(Setting.TAP_ENABLED, Boolean.toString(passesOn));
            world.prerequisites();
        };
    }

    private static Given issued() {
        return ready(true).then(world -> assertThat(world.run()).isInstanceOf(Outcome.Done.class));
    }

    private static void lifetime(World world, String minutes) {
        world.tenant().set(Setting.TAP_LIFETIME_MINUTES, minutes);
    }

    private static void passkey(World world) {
        world.state().addFido2Method(userId(world), "YubiKey 5C");
    }

    private static void certificate(World world) {
        world.state().bindCertificate(userId(world), "X509:<PN>" + world.upn());
    }

    private static void adminPass(World world) {
        world.remember("adminPass", world.state().issueTemporaryAccessPass(userId(world), 480));
    }

    private static void expire(World world) {
        world.remember("oldPass", pass(world).id());
        world.state().expireTemporaryAccessPass(userId(world));
    }

    private static void use(World world) {
        world.remember("oldPass", pass(world).id());
        world.state().useTemporaryAccessPass(userId(world));
    }

    // ---- then

    private static Then noPass() {
        return world -> assertThat(world.state().temporaryAccessPass(userId(world))).as("pass at the fake").isEmpty();
    }

    private static Then noSecret() {
        return world -> assertThat(world.state().secretVersions(tapSecret(world))).as("pass secret versions").isEmpty();
    }

    private static Then onePassInTheVault() {
        return world -> {
            List<SecretVersion> versions = world.state().secretVersions(tapSecret(world));
            assertThat(versions).as("versions of %s", tapSecret(world)).hasSize(1);
            IssuedPass pass = pass(world);
            assertThat(pass.usable()).isTrue();
            assertThat(versions.get(0).value()).as("the vault holds the pass Graph issued").isEqualTo(pass.value());
            assertThat(versions.get(0).tags()).containsEntry(PassKeyReadiness.METHOD_ID_TAG, pass.id())
                    .containsEntry("account", "bg01").containsKey(PassKeyReadiness.EXPIRES_TAG);
            assertThat(Instant.parse(versions.get(0).tags().get(PassKeyReadiness.EXPIRES_TAG)))
                    .isAfter(Instant.now()).isBefore(Instant.now().plusSeconds(60L * pass.lifetimeInMinutes() + 5));
            assertThat(versions.get(0).contentType()).isEqualTo(PassKeyReadiness.CONTENT_TYPE);
            assertThat(world.state().secretVersions(world.secretName())).as("the password secret beside it").hasSize(1);
        };
    }

    private static Then passIsOneTime(int minutes) {
        return world -> assertThat(pass(world)).satisfies(pass -> {
            assertThat(pass.usableOnce()).as("usable once").isTrue();
            assertThat(pass.lifetimeInMinutes()).isEqualTo(minutes);
        });
    }

    private static Then adminPassKept() {
        return world -> assertThat(pass(world).id()).isEqualTo(world.<String>remembered("adminPass"));
    }

    private static Then newestVersionIsTheNewPass(int versions) {
        return world -> {
            IssuedPass pass = pass(world);
            assertThat(pass.id()).isNotEqualTo(world.<String>remembered("oldPass"));
            assertThat(pass.usable()).isTrue();
            List<SecretVersion> all = world.state().secretVersions(tapSecret(world));
            assertThat(all).hasSize(versions);
            assertThat(all.get(all.size() - 1).value()).isEqualTo(pass.value());
            assertThat(all.get(all.size() - 1).tags()).containsEntry(PassKeyReadiness.METHOD_ID_TAG, pass.id());
        };
    }

    /** The password method is listed and never deleted: breakglass sends no DELETE but for its own passes. */
    private static Then passwordMethodKept() {
        return world -> {
            assertThat(world.journal().count("DELETE", METHODS)).isZero();
            assertThat(world.state().passwordOf(userId(world))).isPresent();
        };
    }

    private static Then terminalOfAnyReason() {
        return world -> assertThat(world.outcome()).isInstanceOf(Outcome.Terminal.class);
    }

    /** The drift report's line for the account, which also must not carry the pass. */
    private static Then reported(CheckStatus status, String detail) {
        return world -> {
            CheckResult result = check(world.tenant());
            assertThat(result.status()).isEqualTo(status);
            assertThat(result.detail()).contains(detail);
            world.state().temporaryAccessPass(userId(world))
                    .ifPresent(pass -> assertThat(result.toString()).doesNotContain(pass.value()));
        };
    }

    private static IssuedPass pass(World world) {
        return world.state().temporaryAccessPass(userId(world)).orElseThrow(() -> new AssertionError("no pass"));
    }

    private static String userId(World world) {
        return world.state().user(world.upn()).orElseThrow().get("id").asText();
    }

    private static String tapSecret(World world) {
        return world.secretName() + "-tap";
    }
}
