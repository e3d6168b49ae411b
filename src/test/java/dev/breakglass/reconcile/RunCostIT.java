package dev.breakglass.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.Journal;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.TestTenant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a verify and a re-apply cost at the size of the largest tenants (195 Conditional Access policies, two list
 * pages), counted on the fake's journal rather than timed: the number of requests, zero writes (D1), and the round
 * trips, as the longest chain of requests each sent after the previous one was answered, against the bound of the
 * workflow's longest chain of prerequisites plus one per Conditional Access page. The latency is injected so that
 * requests in flight together overlap clearly; only their order is asserted, never a duration.
 */
class RunCostIT {

    private static final int LARGEST_TENANT = TenantSeed.MAX_POLICIES;
    private static final int READS_PER_ACCOUNT = 10;
    private static final Duration LATENCY = Duration.ofMillis(300);
    private static final String CA_LIST = "/v1\\.0/identity/conditionalAccess/policies";
    /** Every Conditional Access request (policies and What If), all under the tenant's 1 request/s. */
    private static final String CA_REQUESTS = "/v1\\.0/identity/conditionalAccess/.*";
    /** Conditional Access allows one request per second: operations start apart so one's pacing does not delay the next. */
    private static final Duration CA_INTERVAL = Duration.ofMillis(1100);

    @Test
    void atTheLargestTenantSizeVerifyTakesItsLongestChainPlusOneRoundTripPerPageAndReapplyWritesNothing()
            throws InterruptedException {
        try (TestTenant tenant = TestTenant.start(TenantSeed.sized(14))) {
            tenant.set(Setting.CA_ALLOW_LIST, TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID);
            assertThat(tenant.apply().succeeded()).isTrue();
            tenant.custodiansRegisterKeysAndDrill();
            growToTheLargestTenant(tenant);
            tenant.fake().latency(LATENCY);
            Journal journal = tenant.fake().journal();

            Thread.sleep(CA_INTERVAL.toMillis());
            journal.clear();
            DriftReport report = tenant.verify();

            assertThat(report.allPassed()).as("verify: %s", report.problems()).isTrue();
            assertThat(journal.writes()).isEmpty();
            long pages = journal.count("GET", CA_LIST);
            assertThat(pages).as("Conditional Access pages of %d policies", LARGEST_TENANT).isEqualTo(2);
            int longestChain = tenant.engine().workflow().longestChain(tenant.spec());
            // Conditional Access requests (the pages and each account's What If) follow one another at 1/s.
            long caRequests = journal.count("*", CA_REQUESTS);
            assertThat(caRequests).as("pages and one What If per account").isEqualTo(pages + tenant.spec().accountCount());
            assertThat(journal.longestSequentialChain()).as("sequential round trips of verify")
                    .isLessThanOrEqualTo(longestChain + (int) caRequests);
            // Per account: its secret, its user, its role schedule, the integrity check's user, methods and memberships,
            // readiness's methods and certificate bindings, its sign-in activity and its What If evaluation (sent side
            // by side within each step). Per tenant: domains, SKUs, the group and its
            // members, the CA pages, the two diagnostic reads, the action group and the two alert rules.
            int accounts = tenant.spec().accountCount();
            assertThat(journal.reads()).as("reads of verify").hasSize(READS_PER_ACCOUNT * accounts + 9 + (int) pages);
            assertThat(journal.maxPerSecond("*", CA_REQUESTS)).isLessThanOrEqualTo(1);

            Thread.sleep(CA_INTERVAL.toMillis());
            journal.clear();
            ApplyReport again = tenant.apply();

            assertThat(again.succeeded()).isTrue();
            assertThat(journal.writes()).as("writes of the second apply").isEmpty();
            assertThat(journal.reads()).as("reads of the second apply").hasSize(READS_PER_ACCOUNT * accounts + 9 + (int) pages);
            String groupId = groupId(tenant);
            assertThat(tenant.fake().state().policies()).hasSize(LARGEST_TENANT)
                    .filteredOn(policy -> !policy.path("id").asText().equals(TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID))
                    .allSatisfy(policy -> assertThat(policy.at("/conditions/users/excludeGroups").toString())
                            .contains(groupId));
        }
    }

    /** Policies created after provisioning, each already excluding the group: the tenant grows to 195 converged. */
    private static void growToTheLargestTenant(TestTenant tenant) {
        List<ObjectNode> converged = tenant.fake().state().policies().stream()
                .filter(policy -> !policy.path("id").asText().equals(TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID)).toList();
        for (int i = tenant.fake().state().policies().size(); i < LARGEST_TENANT; i++) {
            ObjectNode copy = converged.get(i % converged.size()).deepCopy();
            copy.remove("id");
            copy.put("displayName", copy.path("displayName").asText() + " (added later " + i + ")");
            tenant.fake().state().addPolicy(copy);
        }
    }

    private static String groupId(TestTenant tenant) {
        return tenant.fake().state().groups().stream()
                .filter(group -> group.path("mailNickname").asText().equals(tenant.spec().exclusionGroupName()))
                .map(group -> group.path("id").asText()).findFirst().orElseThrow();
    }
}
