package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.models.TableEntity;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.runs.StepMessage;
import dev.breakglass.runs.StepState;
import dev.breakglass.testing.LogCapture;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * G2: step messages and run records tampered with by someone who can write to the storage account, through the real
 * queue and table clients (Azurite), the host driver and the fake tenant. No whole run: the runs are started, their
 * first genuine message taken off the queue, and the tampered versions delivered.
 */
class TamperedMessagesIT {

    private LogCapture capture;
    private TestTenant tenant;
    private FunctionsApp app;
    private FunctionsHost host;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        FunctionsTestApp functions = FunctionsTestApp.start(tenant);
        app = functions.app();
        host = functions.host();
        capture = LogCapture.start();
    }

    @AfterEach
    void stop() {
        capture.close();
        tenant.close();
    }

    @Test
    @Covers(value = "G2", proves = "Messages of a real run with run A's id under run B's signature, an edited step, "
            + "account or generation, a flipped signature byte, or no signature: each is rejected on every delivery, "
            + "poisoned with a security event, makes no Graph, Key Vault or ARM request, and does not fail the run it "
            + "names; the genuine message is then accepted")
    void aMessageWithSwappedOrEditedFieldsIsPoisonedWithoutACloudCall() {
        StepMessage runA = firstMessage(app.runs().start("run A", true).id());
        app.runs().poisoned(runA.toJson()); // ends run A (and frees the lock) the way the poison queue would
        StepMessage runB = firstMessage(app.runs().start("run B", true).id());
        char flipped = runB.signature().charAt(0) == 'A' ? 'B' : 'A';
        List<String> tampered = List.of(
                new StepMessage(runA.runId(), runB.key(), runB.generation(), runB.signature()).toJson(),
                new StepMessage(runB.runId(), new StepKey("GlobalAdminAssignment", "bg01"), runB.generation(),
                        runB.signature()).toJson(),
                new StepMessage(runB.runId(), runB.key(), runB.generation() + 1, runB.signature()).toJson(),
                runB.withSignature(flipped + runB.signature().substring(1)).toJson(),
                runB.withSignature(null).toJson());
        tenant.fake().journal().clear();
        tampered.forEach(text -> host.stepsQueue().sendMessage(text));
        Ledger.faultsInjected(tampered.size());

        host.runUntilIdle(Duration.ofMinutes(1));

        assertThat(tenant.fake().journal().entries()).as("no Graph, Key Vault or ARM request").isEmpty();
        assertThat(host.failures()).hasSize(tampered.size() * FunctionsHost.MAX_DEQUEUE_COUNT)
                .allSatisfy(failure -> assertThat(failure).startsWith("InvalidMessageException: rejected queue message"));
        List<String> securityEvents = capture.messages(FunctionsApp.SECURITY_LOGGER);
        assertThat(securityEvents.stream().filter(event -> event.contains("no valid signature")))
                .as(securityEvents.toString()).hasSizeGreaterThanOrEqualTo(2 * (tampered.size() - 1));
        assertThat(app.runs().find(runB.runId()).orElseThrow().status()).isEqualTo(RunStatus.Running);

        host.stepsQueue().sendMessage(runB.toJson());
        host.runOnce();

        assertThat(app.runs().conditions(runB.runId()).get(runB.key()).state()).isEqualTo(StepState.Done);
        assertThat(tenant.fake().journal().entries()).isNotEmpty();
    }

    @Test
    @Covers(value = "G2", proves = "A run record whose dry-run flag was flipped in the table fails its seal: the "
            + "run's genuine message is rejected on every delivery with a security event and no Graph, Key Vault or ARM "
            + "request, and the poisoned message fails the run (fail closed); the compensation units that follow are "
            + "refused alike, also without a cloud call")
    void aRunRecordEditedInTheTableFailsClosed() {
        StepMessage genuine = firstMessage(app.runs().start("dry run only", true).id());
        TableEntity row = FunctionsTestApp.runTable().getEntity("runs", genuine.runId());
        row.addProperty("dryRun", false);
        FunctionsTestApp.runTable().updateEntity(row);
        tenant.fake().journal().clear();
        Ledger.faultsInjected(1);

        host.stepsQueue().sendMessage(genuine.toJson());
        host.runUntilIdle(Duration.ofMinutes(1));

        assertThat(tenant.fake().journal().entries()).as("no Graph, Key Vault or ARM request").isEmpty();
        assertThat(host.failures()).as("the step's deliveries, then its compensation units' (D13): all refused")
                .hasSizeGreaterThanOrEqualTo(FunctionsHost.MAX_DEQUEUE_COUNT)
                .allSatisfy(failure -> assertThat(failure).contains("fails its integrity check"));
        assertThat(capture.messages(FunctionsApp.SECURITY_LOGGER)).anySatisfy(event -> assertThat(event).contains("fails its integrity check"));
        assertThat(app.runs().find(genuine.runId()).orElseThrow().status()).isEqualTo(RunStatus.Failed);
    }

    /** Takes the run's first message off the queue (and empties it), as an attacker with queue access could read it. */
    private StepMessage firstMessage(String runId) {
        String text = host.stepsQueue().receiveMessage().getBody().toString();
        host.stepsQueue().clearMessages();
        StepMessage message = StepMessage.parse(text);
        assertThat(message.runId()).isEqualTo(runId);
        return message;
    }
}
