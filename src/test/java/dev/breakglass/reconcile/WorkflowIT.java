package dev.breakglass.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.testing.TestTenant;
import org.junit.jupiter.api.Test;

/** The whole workflow against the demo tenant: converges, verifies, and a second apply writes nothing (D1). */
class WorkflowIT {

    @Test
    void provisionsTheDemoTenantAndASecondApplyWritesNothing() {
        try (TestTenant tenant = TestTenant.demo()) {
            ApplyReport first = tenant.apply();
            assertThat(first.succeeded()).as("first apply: %s", first.failure()).isTrue();

            tenant.fake().journal().clear();
            ApplyReport second = tenant.apply();

            assertThat(second.succeeded()).isTrue();
            assertThat(tenant.fake().journal().writes()).as("writes of the second apply").isEmpty();
            assertThat(tenant.fake().journal().reads()).isNotEmpty();
            assertThat(tenant.custodiansRegisterKeysAndDrill().verify().allPassed()).isTrue();
            assertThat(tenant.fake().state().users()).filteredOn(u -> u.path("userPrincipalName").asText()
                    .startsWith("bg")).hasSize(2);
        }
    }

    @Test
    void findsTheAccountsAgainFromTheTenantAloneWithAFreshEngine() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            assertThat(tenant.apply().succeeded()).isTrue();
            int users = tenant.fake().state().users().size();

            // A new engine has no memory of the first: like the CLI on a laptop after the Functions app provisioned.
            tenant.set(dev.breakglass.spec.Setting.DISPLAY_NAME, "Emergency access");
            tenant.fake().journal().clear();
            assertThat(tenant.apply().succeeded()).isTrue();

            assertThat(tenant.fake().state().users()).hasSize(users);
            assertThat(tenant.fake().journal().writes()).isEmpty();
        }
    }
}
