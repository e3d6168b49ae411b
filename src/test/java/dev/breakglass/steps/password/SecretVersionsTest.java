package dev.breakglass.steps.password;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.steps.password.EmergencyPassword.SecretTags;
import dev.breakglass.steps.password.SecretStore.StoredSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which version is current, when Key Vault's whole-second {@code created} cannot tell versions apart. */
class SecretVersionsTest {

    private static final Instant SAME_SECOND = Instant.parse("2026-11-25T23:00:00Z");

    @Test
    void anActiveVersionWinsOverAPendingOneCreatedInTheSameSecondWhateverTheListingOrder() {
        StoredSecret active = version("aaaa", true, SecretTags.ACTIVE, null);
        StoredSecret pending = version("ffff", true, SecretTags.PENDING, "1");

        assertThat(SecretVersions.current(List.of(active, pending))).contains(active);
        assertThat(SecretVersions.current(List.of(pending, active))).contains(active);
    }

    @Test
    void theHigherGenerationWinsBetweenTwoActiveVersionsOfTheSameSecond() {
        StoredSecret first = version("ffff", true, SecretTags.ACTIVE, "1");
        StoredSecret second = version("0000", true, SecretTags.ACTIVE, "2");

        assertThat(SecretVersions.current(List.of(first, second))).contains(second);
    }

    @Test
    void anEnabledVersionWinsOverADisabledActiveOne() {
        StoredSecret disabled = version("ffff", false, SecretTags.ACTIVE, "3");
        StoredSecret pending = version("0000", true, SecretTags.PENDING, "2");

        assertThat(SecretVersions.current(List.of(disabled, pending))).contains(pending);
    }

    @Test
    void theChoiceIsTheSameForEveryOrderOfTheSameList() {
        List<StoredSecret> versions = new ArrayList<>(List.of(version("0001", true, SecretTags.ACTIVE, null),
                version("0002", true, SecretTags.ACTIVE, null), version("0003", false, SecretTags.SUPERSEDED, "9")));
        StoredSecret expected = SecretVersions.current(versions).orElseThrow();
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(versions);
            assertThat(SecretVersions.current(versions)).contains(expected);
        }
        assertThat(expected.version()).isEqualTo("0002");
    }

    @Test
    void anInterruptedRotationIsAnEnabledPendingVersionThatNamesWhatItSupersedes() {
        StoredSecret firstPassword = version("0001", true, SecretTags.PENDING, null);
        StoredSecret rotation = new StoredSecret("s", "0002", true, false, Map.of(SecretTags.STATE, SecretTags.PENDING,
                SecretTags.SUPERSEDES, "0001", SecretTags.GENERATION, "1"), SAME_SECOND);

        assertThat(SecretVersions.interruptedRotation(List.of(firstPassword))).isEmpty();
        assertThat(SecretVersions.interruptedRotation(List.of(firstPassword, rotation))).contains(rotation);
    }

    private static StoredSecret version(String id, boolean enabled, String state, String generation) {
        Map<String, String> tags = generation == null ? Map.of(SecretTags.STATE, state)
                : Map.of(SecretTags.STATE, state, SecretTags.GENERATION, generation);
        return new StoredSecret("s", id, enabled, false, tags, SAME_SECOND);
    }
}
