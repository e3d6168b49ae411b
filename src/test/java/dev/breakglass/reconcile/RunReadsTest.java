package dev.breakglass.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One read per key and run, even when two units ask at once; a failed read is not remembered. */
class RunReadsTest {

    @Test
    void aReadAlreadyInFlightIsWaitedForNotSentAgain() throws Exception {
        RunReads reads = new RunReads();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> reads.remember("policies", () -> {
            sent.incrementAndGet();
            inFlight.countDown();
            await(release);
            return "195 policies";
        }));
        assertThat(inFlight.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> reads.remember("policies", () -> {
            sent.incrementAndGet();
            return "read twice";
        }));
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("195 policies");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("195 policies");
        assertThat(sent).hasValue(1);
    }

    @Test
    void aFailedReadIsNotRememberedAndForgetMakesTheNextAskReadAgain() {
        RunReads reads = new RunReads();
        assertThatThrownBy(() -> reads.remember("user", () -> {
            throw CloudException.terminal("Throttled", "throttled");
        })).isInstanceOf(CloudException.class);

        assertThat(reads.<String>remember("user", () -> "v1")).isEqualTo("v1");
        assertThat(reads.<String>remember("user", () -> "v2")).isEqualTo("v1");
        reads.forget("user");
        assertThat(reads.<String>remember("user", () -> "v2")).isEqualTo("v2");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
