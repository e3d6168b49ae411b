package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpMethod;
import dev.breakglass.testing.MutableClock;
import dev.breakglass.testing.reliability.Covers;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-caller token bucket of the status route (A10), on a clock the test moves. */
class CallerRateLimiterTest {

    private final MutableClock clock = new MutableClock();

    @Test
    @Covers(value = {"A10"}, proves = "50 polls within one second from one caller: the burst of 10 passes, the other "
            + "40 are refused with a wait of at most one second, and one more poll passes a second later")
    void aCallerIgnoringRetryAfterGetsTheBurstThenWaits() {
        CallerRateLimiter limiter = new CallerRateLimiter(10, Duration.ofSeconds(1), 100, clock);

        int allowed = 0;
        for (int poll = 0; poll < 50; poll++) {
            Optional<Duration> wait = limiter.acquire("principal:a");
            if (wait.isEmpty()) {
                allowed++;
            } else {
                assertThat(wait.get()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
            }
            clock.advance(Duration.ofMillis(19));
        }

        assertThat(allowed).isEqualTo(10);
        clock.advance(Duration.ofMillis(100));
        assertThat(limiter.acquire("principal:a")).isEmpty();
        assertThat(limiter.acquire("principal:a")).isPresent();
    }

    @Test
    void callersHaveTheirOwnBuckets() {
        CallerRateLimiter limiter = new CallerRateLimiter(1, Duration.ofSeconds(1), 100, clock);

        assertThat(limiter.acquire("address:192.0.2.1")).isEmpty();
        assertThat(limiter.acquire("address:192.0.2.1")).isPresent();
        assertThat(limiter.acquire("address:192.0.2.2")).isEmpty();
    }

    @Test
    void anIdleCallerRefillsOnlyUpToTheBurst() {
        CallerRateLimiter limiter = new CallerRateLimiter(3, Duration.ofSeconds(1), 100, clock);
        limiter.acquire("anonymous");

        clock.advance(Duration.ofHours(1));

        for (int poll = 0; poll < 3; poll++) {
            assertThat(limiter.acquire("anonymous")).isEmpty();
        }
        assertThat(limiter.acquire("anonymous")).contains(Duration.ofSeconds(1));
    }

    @Test
    @Covers(value = {"A10"}, proves = "A million distinct callers (e.g. forged x-forwarded-for values) keep at most "
            + "the configured number of buckets in memory, the least recently used dropped first")
    void aMillionDistinctCallersCannotExhaustTheHeap() {
        CallerRateLimiter limiter = new CallerRateLimiter(10, Duration.ofSeconds(1), 1_000, clock);
        limiter.acquire("principal:steady");

        for (int caller = 0; caller < 1_000_000; caller++) {
            limiter.acquire("address:" + caller);
            if (caller % 100 == 0) {
                limiter.acquire("principal:steady");
            }
        }

        assertThat(limiter.callers()).isEqualTo(1_000);
        for (int poll = 0; poll < 10; poll++) {
            limiter.acquire("principal:steady");
        }
        assertThat(limiter.acquire("principal:steady")).as("the steady caller kept its (empty) bucket").isPresent();
    }

    @Test
    void callerKeyIsThePrincipalOnlyWhenThePlatformVouchesForIt() {
        var trusted = new CallerAuthorization("Provision", true);
        var untrusted = CallerAuthorization.FUNCTION_KEYS_ONLY;
        var request = FakeHttp.request(HttpMethod.GET, "/api/runs/x").header("X-MS-CLIENT-PRINCIPAL-ID", "oid-1")
                .header("X-Forwarded-For", "203.0.113.9, 198.51.100.7:50123");

        assertThat(trusted.callerKey(request)).isEqualTo("principal:oid-1");
        assertThat(untrusted.callerKey(request)).isEqualTo("address:198.51.100.7");
        assertThat(untrusted.callerKey(FakeHttp.request(HttpMethod.GET, "/api/runs/x")
                .header("x-forwarded-for", "[2001:db8::1]:443"))).isEqualTo("address:2001:db8::1");
        assertThat(untrusted.callerKey(FakeHttp.request(HttpMethod.GET, "/api/runs/x"))).isEqualTo("anonymous");
    }
}
