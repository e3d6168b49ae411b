package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState;
import dev.breakglass.functions.CrashingPipeline.CrashPoint;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.runs.Run;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.runs.StepMessage;
import dev.breakglass.runs.StepQueue;
import dev.breakglass.spec.Account;
import dev.breakglass.testing.Azurite;
import dev.breakglass.testing.HappyPath;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * K4: random interleavings of deliver, crash (at the three points of the crash matrix), duplicate and
 * reorder (any visible message first; a unit of work's message sent before its turn) across every step
 * of a provisioning run. After every action: at most one user per UPN; Global Administrator only for a user
 * whose secret exists and whose integrity was checked (D5); the enabled secret version is the user's
 * password. After the queue drains: the run has ended (or was reported failed, never left Running), and a
 * succeeded run left the happy path's state. Few tries, no shrinking: each try is a whole run on Azurite.
 */
class StateMachinePropertyIT {

    private static final Duration RECEIVE_VISIBILITY = Duration.ofSeconds(30);

    sealed interface Action permits Deliver, Crash, Duplicate, Early {
    }

    /** Deliver the {@code pick}-th visible message (mod how many there are): reordering. */
    record Deliver(int pick) implements Action {
    }

    record Crash(int pick, CrashPoint point) implements Action {
    }

    record Duplicate(int pick) implements Action {
    }

    /** Send the message of one unit of work now, whatever its prerequisites. */
    record Early(int unit) implements Action {
    }

    @Provide
    Arbitrary<List<Action>> schedules() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 31);
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, pick.map(Deliver::new)),
                net.jqwik.api.Tuple.of(3, net.jqwik.api.Combinators.combine(pick,
                        Arbitraries.of(CrashPoint.class)).as(Crash::new)),
                net.jqwik.api.Tuple.of(1, pick.map(Duplicate::new)),
                net.jqwik.api.Tuple.of(1, pick.map(Early::new)));
        return action.list().ofMinSize(5).ofMaxSize(40);
    }

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    @Covers(value = {"K4", "B2", "B8", "D2", "G3"}, proves = "Random interleavings of deliver/crash/duplicate/"
            + "reorder never create a second user, never grant GA before the secret exists and the integrity "
            + "check ran, keep the secret equal to the password, leave no password in queues or the run table, and "
            + "always end the run")
    void anyInterleavingKeepsTheInvariantsAndEndsTheRun(@ForAll("schedules") List<Action> actions) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            tenant.fake().pimLicensed(true);
            HappyPath.seedPolicy(tenant);
            CrashingPipeline pipeline = CrashingPipeline.start(tenant);
            Driver driver = new Driver(pipeline, tenant);
            String runId = pipeline.provision();

            for (Action action : actions) {
                driver.play(runId, action);
                invariants(tenant);
            }
            Run run = pipeline.runUntilIdle(runId, Duration.ofMinutes(3));
            invariants(tenant);

            Ledger.faultsInjected(pipeline.crashes() + driver.duplicates + driver.early);
            assertThat(run.status()).as("the run ended: " + run).isNotEqualTo(RunStatus.Running);
            if (run.status() == RunStatus.Succeeded) {
                Ledger.runCompleted();
                HappyPath.assertReached(tenant);
            } else {
                assertThat(run.errorCode()).as("a failed run says why").isNotBlank();
                System.out.println("K4: run ended " + run.status() + " " + run.errorCode() + " after " + actions);
            }
            long leaked = SecretSinks.occurrences(tenant, pipeline);
            Ledger.secretOccurrences(leaked);
            assertThat(leaked).isZero();
        }
    }

    private static void invariants(TestTenant tenant) {
        TenantState state = tenant.fake().state();
        Map<String, Long> usersPerUpn = state.users().stream().collect(Collectors.groupingBy(
                user -> user.path("userPrincipalName").asText().toLowerCase(Locale.ROOT), Collectors.counting()));
        assertThat(usersPerUpn).as("users per UPN").allSatisfy((upn, count) -> assertThat(count).isEqualTo(1L));
        for (Account account : tenant.spec().accounts()) {
            var user = state.user(account.upn(tenant.fake().initialDomain()));
            if (user.isEmpty()) {
                continue;
            }
            String userId = user.get().get("id").asText();
            var enabled = state.secretVersions(account.secretName()).stream()
                    .filter(TenantState.SecretVersion::enabled).toList();
            assertThat(enabled).as("enabled versions of " + account.secretName()).hasSize(1);
            assertThat(enabled.get(0).value()).as("the stored password is the user's")
                    .isEqualTo(state.passwordOf(userId).orElseThrow());
            boolean isAdmin = state.roleSchedules().stream()
                    .anyMatch(schedule -> schedule.path("principalId").asText().equalsIgnoreCase(userId));
            if (isAdmin) {
                assertThat(tenant.fake().journal().entries()).as("GA only after the integrity check of " + userId)
                        .anySatisfy(entry -> {
                            assertThat(entry.path()).isEqualTo("/v1.0/users/" + userId + "/authentication/methods");
                            assertThat(entry.status()).isEqualTo(200);
                        });
            }
        }
    }

    /** Plays the host one action at a time over the raw queue. */
    private static final class Driver {
        private final CrashingPipeline pipeline;
        private final TestTenant tenant;
        private final QueueClient raw;
        private final QueueClient poison;
        /** Failed invocations per message: the driver's put-backs raise dequeueCount, so the host's limit counts these. */
        private final Map<String, Integer> failedInvocations = new java.util.HashMap<>();
        private int duplicates;
        private int early;

        Driver(CrashingPipeline pipeline, TestTenant tenant) {
            this.pipeline = pipeline;
            this.tenant = tenant;
            String storage = Azurite.shared().connectionString();
            this.raw = FunctionsHost.queue(storage, StepQueue.NAME);
            this.poison = FunctionsHost.queue(storage, StepQueue.POISON);
        }

        void play(String runId, Action action) {
            if (action instanceof Early send) {
                List<StepKey> keys = tenant.engine().workflow().keys(tenant.spec());
                pipeline.host().stepsQueue().sendMessage(pipeline.app().signatures()
                        .sign(new StepMessage(runId, keys.get(send.unit() % keys.size()), 1)).toJson());
                early++;
                return;
            }
            int pick = action instanceof Deliver deliver ? deliver.pick()
                    : action instanceof Crash crash ? crash.pick() : ((Duplicate) action).pick();
            List<QueueMessageItem> visible = raw.receiveMessages(32, RECEIVE_VISIBILITY, null, null).stream().toList();
            if (visible.isEmpty()) {
                sleep();
                return;
            }
            QueueMessageItem chosen = visible.get(pick % visible.size());
            for (QueueMessageItem other : visible) {
                if (other != chosen) {
                    raw.updateMessage(other.getMessageId(), other.getPopReceipt(), other.getBody().toString(), Duration.ZERO);
                }
            }
            if (action instanceof Duplicate) {
                raw.sendMessage(chosen.getBody().toString());
                raw.updateMessage(chosen.getMessageId(), chosen.getPopReceipt(), chosen.getBody().toString(), Duration.ZERO);
                duplicates++;
                return;
            }
            CrashPoint point = action instanceof Crash crash ? crash.point() : null;
            invoke(chosen, point);
        }

        private void invoke(QueueMessageItem message, CrashPoint point) {
            String body = message.getBody().toString();
            if (point != null && point != CrashPoint.AFTER_RECORD) {
                pipeline.crashNextInvocation(point);
            }
            try {
                String text = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
                pipeline.runs().handle(StepMessage.parse(text), message.getMessageId());
                if (point == CrashPoint.AFTER_RECORD) {
                    raw.updateMessage(message.getMessageId(), message.getPopReceipt(), body, Duration.ZERO);
                } else {
                    raw.deleteMessage(message.getMessageId(), message.getPopReceipt());
                }
            } catch (RuntimeException e) {
                if (failedInvocations.merge(message.getMessageId(), 1, Integer::sum) >= FunctionsHost.MAX_DEQUEUE_COUNT) {
                    poison.sendMessage(body);
                    raw.deleteMessage(message.getMessageId(), message.getPopReceipt());
                } else {
                    raw.updateMessage(message.getMessageId(), message.getPopReceipt(), body, Duration.ZERO);
                }
            } finally {
                pipeline.disarm();
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
