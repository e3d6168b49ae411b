package dev.breakglass.steps.compensation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.role.GlobalAdminAssignment;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link AccountCompensation} must never disable (D13, D4): a Global Administrator, a user breakglass did not
 * create, an account that existed before the run being compensated. Each is observed, reported, and left enabled
 * with no write to Graph or Key Vault.
 */
class AccountCompensationIT {

    private TestTenant tenant;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        tenant.fake().pimLicensed(true);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    @Covers(value = "D13", proves = "An account the run made Global Administrator is not disabled by compensation "
            + "(runbook only): the unit reports it and writes nothing")
    void aGlobalAdministratorIsNeverDisabled() {
        tenant.apply();
        Account account = tenant.spec().accounts().get(0);
        tenant.fake().journal().clear();

        Outcome outcome = compensate(account, Instant.now().minusSeconds(30));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Done.class, done -> assertThat(done.message())
                .contains("already Global Administrator").contains("runbook"));
        assertUntouched(account);
    }

    @Test
    @Covers(value = {"D13", "D4"}, proves = "A user without breakglass's provenance marker at an account's UPN is "
            + "never disabled by compensation")
    void aUserBreakglassDidNotCreateIsNeverTouched() {
        Account account = tenant.spec().accounts().get(0);
        ObjectNode user = JsonNodeFactory.instance.objectNode();
        user.put("userPrincipalName", account.upn(tenant.fake().initialDomain()));
        user.put("displayName", "Squatter");
        user.put("accountEnabled", true);
        tenant.fake().state().putUser(user, "Squatter-Password-1!");
        tenant.fake().journal().clear();

        Outcome outcome = compensate(account, Instant.now());

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Done.class, done -> assertThat(done.message())
                .contains("not created by breakglass"));
        assertUntouched(account);
    }

    @Test
    @Covers(value = "D13", proves = "An account that existed before the failed run (here it lost Global "
            + "Administrator out of band) is left enabled: compensation only undoes what the run itself set up")
    void anAccountThatExistedBeforeTheRunIsLeftAsItWas() {
        tenant.apply();
        Account account = tenant.spec().accounts().get(0);
        String userId = user(account).get("id").asText();
        tenant.fake().state().removeRoleAssignment(userId, GlobalAdminAssignment.GLOBAL_ADMINISTRATOR);
        tenant.fake().journal().clear();

        Outcome outcome = compensate(account, Instant.now().plusSeconds(600));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Done.class, done -> assertThat(done.message())
                .contains("existed before this run"));
        assertUntouched(account);
    }

    private Outcome compensate(Account account, Instant runStarted) {
        var workflow = tenant.engine().workflow();
        return workflow.runner().run(tenant.engine().compensation(runStarted),
                workflow.context(tenant.spec(), new StepKey(AccountCompensation.NAME, account.key()), new RunReads()));
    }

    private void assertUntouched(Account account) {
        assertThat(user(account).get("accountEnabled").asBoolean()).isTrue();
        assertThat(tenant.fake().journal().writes()).isEmpty();
        assertThat(tenant.fake().state().secretVersions(account.secretName()))
                .allMatch(TenantState.SecretVersion::enabled);
    }

    private ObjectNode user(Account account) {
        return tenant.fake().state().user(account.upn(tenant.fake().initialDomain())).orElseThrow();
    }
}
