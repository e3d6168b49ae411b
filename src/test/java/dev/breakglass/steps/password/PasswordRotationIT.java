package dev.breakglass.steps.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState.SecretVersion;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.Setting;
import dev.breakglass.steps.password.EmergencyPassword.SecretTags;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PasswordRotation} against the fake tenant's Graph and Key Vault through the real SDK clients.
 * Covers the rotation's crash matrix (TESTS.md D3, as it applies to rotation): the rotation stops right after
 * each of its writes (the next write is refused), and a retry always converges to exactly one enabled
 * {@code active} version whose value is the user's password at the fake, every older version disabled;
 * at no point is the user's password in no enabled version. Also: a lost response retried in-process, 30
 * rotations (version paging, same-second versions), only our own users, H1 (no password in a result or
 * an exception).
 */
class PasswordRotationIT {

    private static final String USERS = "/v1.0/users/.*";

    private TestTenant tenant;
    private Account account;
    private String userId;

    @BeforeEach
    void provisionOneAccount() {
        tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring();
        tenant.applyBefore("GlobalAdminAssignment");
        account = tenant.spec().account("bg01");
        userId = tenant.fake().state().user(account.upn(tenant.fake().initialDomain())).orElseThrow().get("id").asText();
        tenant.fake().journal().clear();
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    void writesTheNewVersionFirstThenResetsTheUserThenDisablesTheOldOne() {
        SecretVersion before = onlyVersion();

        PasswordRotation.Rotated rotated = rotate();

        assertConverged();
        SecretVersion active = enabledVersion();
        assertThat(active.version()).isEqualTo(rotated.version()).isNotEqualTo(before.version());
        assertThat(active.tags()).containsEntry(SecretTags.SUPERSEDES, before.version())
                .containsEntry(SecretTags.GENERATION, "1").containsEntry(SecretTags.USER_OBJECT_ID, userId)
                .containsEntry(SecretTags.PROVENANCE, before.tags().get(SecretTags.PROVENANCE));
        assertThat(rotated.disabled()).containsExactly(before.version());
        assertThat(rotated.resumed()).isFalse();
        assertThat(tenant.fake().state().user(userId).orElseThrow().get("lastPasswordChangeDateTime").asText())
                .isNotEmpty();
        List<String> writes = tenant.fake().journal().writes().stream().map(w -> w.method() + " " + w.path()).toList();
        assertThat(writes).containsExactly(
                "PUT /secrets/" + account.secretName(),
                "PATCH /v1.0/users/" + userId,
                "PATCH /secrets/" + account.secretName() + "/" + before.version(),
                "PATCH /secrets/" + account.secretName() + "/" + rotated.version());
        assertThat(rotated.toString()).doesNotContain(active.value());
        assertPasswordAndUserChecksPass();
    }

    static Stream<Arguments> crashes() {
        return Stream.of(
                Arguments.of("after the new version is written (the user PATCH is refused)",
                        (Function<String, String[]>) old -> new String[] {"PATCH", USERS}, false),
                Arguments.of("after the user PATCH (disabling the old version is refused)",
                        (Function<String, String[]>) old -> new String[] {"PATCH", "/secrets/.*/" + old}, true),
                Arguments.of("after disabling the old version (marking the new one active is refused)",
                        (Function<String, String[]>) old -> new String[] {"PATCH", "/secrets/.*/(?!" + old + ").*"}, true));
    }

    @ParameterizedTest(name = "crash {0} → the retry converges")
    @MethodSource("crashes")
    void aRetryAfterACrashAtAnyPointConverges(String reason, Function<String, String[]> refused,
            boolean userAlreadyUpdated) {
        SecretVersion old = onlyVersion();
        String[] rule = refused.apply(old.version());
        tenant.fake().faults().on(rule[0], rule[1]).always().error(403, "Forbidden", "crash simulated by the test");

        assertThatThrownBy(this::rotate).isInstanceOf(CloudException.class);

        assertUserPasswordIsInAnEnabledVersion();
        SecretVersion written = newest();
        assertThat(written.version()).isNotEqualTo(old.version());
        assertThat(written.tags()).containsEntry(SecretTags.SUPERSEDES, old.version());
        assertThat(tenant.fake().state().passwordOf(userId)).contains(userAlreadyUpdated ? written.value() : old.value());

        tenant.fake().faults().clear();
        PasswordRotation.Rotated retried = rotate();

        assertConverged();
        assertThat(retried.resumed()).as("the retry finishes the interrupted rotation").isTrue();
        assertThat(retried.version()).isEqualTo(written.version());
        assertThat(tenant.fake().state().secretVersions(account.secretName())).as("no third version").hasSize(2);
    }

    @Test
    void aRetryAfterTheWholeRotationSucceededStartsAnotherThatAlsoConverges() {
        rotate();
        PasswordRotation.Rotated second = rotate();

        assertConverged();
        assertThat(second.resumed()).isFalse();
        assertThat(second.generation()).isEqualTo(2);
        assertThat(tenant.fake().state().secretVersions(account.secretName())).hasSize(3);
    }

    @Test
    void aLostResponseToTheNewVersionIsRetriedInProcessAndResumedNotDuplicated() {
        tenant.fake().faults().on("PUT", "/secrets/.*").lostResponse();

        PasswordRotation.Rotated rotated = rotate();

        assertConverged();
        assertThat(rotated.resumed()).isTrue();
        assertThat(tenant.fake().state().secretVersions(account.secretName())).hasSize(2);
    }

    @Test
    void thirtyRotationsInARowKeepExactlyOneEnabledVersionAcrossPagesOfVersions() {
        PasswordRotation.Rotated last = null;
        for (int i = 0; i < 30; i++) {
            last = rotate();
        }

        assertConverged();
        assertThat(tenant.fake().state().secretVersions(account.secretName())).as("more than one page of 25").hasSize(31);
        assertThat(tenant.fake().journal().entries()).as("the version list was paged through nextLink")
                .anySatisfy(entry -> assertThat(String.valueOf(entry.query())).contains("skiptoken"));
        assertThat(last.generation()).isEqualTo(30);
        assertThat(enabledVersion().version()).isEqualTo(last.version());
        assertPasswordAndUserChecksPass();
    }

    @Test
    void refusesAUserBreakglassDidNotCreate() {
        tenant.close();
        tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring();
        account = tenant.spec().account("bg01");
        tenant.fake().state().putUser(JsonNodeFactory.instance.objectNode()
                .put("userPrincipalName", account.upn(tenant.fake().initialDomain())).put("displayName", "squatter")
                .put("accountEnabled", true).put("mailNickname", "bg01"), "Squatters-Know-This-1");

        assertThatThrownBy(this::rotate).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.code()).isEqualTo("ForeignObjectExists"));
        assertThat(tenant.fake().state().passwordOf(tenant.fake().state()
                .user(account.upn(tenant.fake().initialDomain())).orElseThrow().get("id").asText()))
                .contains("Squatters-Know-This-1");
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    void refusesAnAccountThatIsNotProvisioned() {
        tenant.set(Setting.ACCOUNT_COUNT, "3");
        Account third = tenant.spec().account("bg03");

        assertThatThrownBy(() -> tenant.engine().passwordRotation().rotate(new StepContext(tenant.spec(), third,
                new RunReads()))).isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.code()).isEqualTo("AccountNotProvisioned"));
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    @Covers(value = "D13", proves = "A disabled account (compensated by a canceled or failed run, or disabled by "
            + "someone) is not rotated: AccountDisabled, nothing written, so the next provisioning run can still "
            + "restore a compensated account")
    void refusesADisabledAccount() {
        tenant.fake().state().disableUser(userId);

        assertThatThrownBy(this::rotate).isInstanceOfSatisfying(CloudException.class, e -> {
            assertThat(e.code()).isEqualTo("AccountDisabled");
            assertThat(e.kind()).isEqualTo(CloudException.Kind.TERMINAL);
        });
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    void aForbiddenPasswordResetIsTerminalAndLeavesTheOldPasswordUsable() {
        SecretVersion old = onlyVersion();
        tenant.fake().faults().on("PATCH", USERS).always().error(403, "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.");

        assertThatThrownBy(this::rotate).isInstanceOfSatisfying(CloudException.class, e -> {
            assertThat(e.kind()).isEqualTo(CloudException.Kind.TERMINAL);
            assertThat(e.getMessage()).doesNotContain(newest().value());
        });
        assertThat(tenant.fake().journal().count("PATCH", USERS)).isEqualTo(1);
        assertThat(tenant.fake().state().passwordOf(userId)).contains(old.value());
        assertUserPasswordIsInAnEnabledVersion();
    }

    private PasswordRotation.Rotated rotate() {
        return tenant.engine().passwordRotation().rotate(new StepContext(tenant.spec(), account, new RunReads()));
    }

    /** Exactly one enabled version, tagged active, holding the user's password; every other one disabled. */
    private void assertConverged() {
        List<SecretVersion> versions = tenant.fake().state().secretVersions(account.secretName());
        assertThat(versions.stream().filter(SecretVersion::enabled)).as("enabled versions").hasSize(1);
        SecretVersion active = enabledVersion();
        assertThat(active.tags()).containsEntry(SecretTags.STATE, SecretTags.ACTIVE);
        assertThat(tenant.fake().state().passwordOf(userId)).contains(active.value());
        assertThat(versions.stream().filter(version -> !version.enabled()))
                .allSatisfy(version -> assertThat(version.tags()).containsEntry(SecretTags.STATE, SecretTags.SUPERSEDED));
    }

    /** BG.1002 (the password secret) and BG.1003 (the user) still pass for the rotated account. */
    private void assertPasswordAndUserChecksPass() {
        assertThat(tenant.verify().checks()).filteredOn(check -> check.target().equals(account.key()))
                .filteredOn(check -> check.id().equals("BG.1002") || check.id().equals("BG.1003"))
                .hasSize(2).allSatisfy(check -> assertThat(check.status()).as(check.detail()).isEqualTo(CheckStatus.Passed));
    }

    private void assertUserPasswordIsInAnEnabledVersion() {
        String password = tenant.fake().state().passwordOf(userId).orElseThrow();
        assertThat(tenant.fake().state().secretVersions(account.secretName()))
                .anySatisfy(version -> {
                    assertThat(version.enabled()).isTrue();
                    assertThat(version.value()).isEqualTo(password);
                });
    }

    private SecretVersion onlyVersion() {
        return tenant.fake().state().secretVersions(account.secretName()).stream().reduce((a, b) -> {
            throw new AssertionError("more than one version");
        }).orElseThrow();
    }

    private SecretVersion enabledVersion() {
        return tenant.fake().state().secretVersions(account.secretName()).stream().filter(SecretVersion::enabled)
                .findFirst().orElseThrow();
    }

    /** The last written version (the fake lists versions in the order they were written). */
    private SecretVersion newest() {
        List<SecretVersion> versions = tenant.fake().state().secretVersions(account.secretName());
        return versions.get(versions.size() - 1);
    }
}
