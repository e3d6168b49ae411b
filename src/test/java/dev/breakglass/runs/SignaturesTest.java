package dev.breakglass.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.reconcile.StepKey;
import dev.breakglass.testing.reliability.Covers;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    private static final byte[] KEY = new SecureRandom().generateSeed(32);
    private final Signatures signatures = new Signatures(() -> KEY);
    private final String runA = UUID.randomUUID().toString();
    private final String runB = UUID.randomUUID().toString();

    @Test
    @Covers(value = "G2", proves = "A signed message verifies; with any field edited, or run A's id under run B's "
            + "signature, it does not, and it still parses (so the rejection is the signature's, not the parser's)")
    void everyEditedOrSwappedFieldBreaksTheSignature() {
        StepMessage a = signatures.sign(new StepMessage(runA, new StepKey("EmergencyUser", "bg01"), 1));
        StepMessage b = signatures.sign(new StepMessage(runB, new StepKey("EmergencyUser", "bg02"), 3));

        assertThat(signatures.verifies(StepMessage.parse(a.toJson()))).isTrue();
        assertThat(java.util.List.of(
                new StepMessage(runA, b.key(), b.generation(), b.signature()),
                new StepMessage(runB, a.key(), a.generation(), a.signature()),
                a.withSignature(b.signature()),
                new StepMessage(runA, new StepKey("GlobalAdminAssignment", "bg01"), 1, a.signature()),
                new StepMessage(runA, new StepKey("EmergencyUser", "bg02"), 1, a.signature()),
                new StepMessage(runA, new StepKey("EmergencyUser", null), 1, a.signature()),
                new StepMessage(runA, a.key(), 2, a.signature()),
                new StepMessage(runA, a.key(), 1, null)))
                .allSatisfy(tampered -> assertThat(signatures.verifies(tampered)).as(tampered.toString()).isFalse());
        assertThat(new Signatures(() -> new SecureRandom().generateSeed(32)).verifies(a))
                .as("another key's signature").isFalse();
    }

    @Test
    @Covers(value = "G2", proves = "A run record's seal detects an edit of any immutable field (dry run, generation, "
            + "creation time, reason) and never verifies a message's signature in its place")
    void theRunSealDetectsAnEditedImmutableField() {
        Instant created = Instant.parse("2026-11-26T03:00:00Z");
        Run run = new Run(runA, RunStatus.Running, true, "drill", 1, created, created, null, null, null);
        String seal = signatures.seal(run);

        assertThat(signatures.verifies(new Run(runA, RunStatus.Succeeded, true, "drill", 1, created,
                created.plusSeconds(60), null, null, null), seal)).as("status and updates are not sealed").isTrue();
        assertThat(java.util.List.of(
                new Run(runA, RunStatus.Running, false, "drill", 1, created, created, null, null, null),
                new Run(runA, RunStatus.Running, true, "drill", 2, created, created, null, null, null),
                new Run(runA, RunStatus.Running, true, "drill", 1, created.minusSeconds(1), created, null, null, null),
                new Run(runA, RunStatus.Running, true, "drill ", 1, created, created, null, null, null),
                new Run(runA, RunStatus.Running, true, null, 1, created, created, null, null, null),
                new Run(runB, RunStatus.Running, true, "drill", 1, created, created, null, null, null)))
                .allSatisfy(edited -> assertThat(signatures.verifies(edited, seal)).as(edited.toString()).isFalse());
        assertThat(signatures.verifies(run, null)).isFalse();
        StepMessage message = signatures.sign(new StepMessage(runA, new StepKey("TenantInfo", null), 1));
        assertThat(signatures.verifies(run, message.signature())).isFalse();
    }

    @Test
    void aSignatureIsNeitherTheKeyNorContainsIt() {
        StepMessage signed = signatures.sign(new StepMessage(runA, new StepKey("TenantInfo", null), 1));

        String json = signed.toJson();
        assertThat(json).doesNotContain(Base64.getEncoder().encodeToString(KEY))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(KEY));
        assertThat(signed.signature()).hasSize(43);
    }
}
