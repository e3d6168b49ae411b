package dev.breakglass.faketenant;

import java.time.Duration;

/** The knobs {@link FakeTenant} exposes, read by the services on every request. */
final class Settings {
    /** 0 = none: a list page is $top long, or 100 (Graph's default page size for users and groups). */
    volatile int pageSizeCap;
    volatile Duration replicationLag = Duration.ZERO;
    volatile boolean pimLicensed;
    volatile Duration latency = Duration.ZERO;
    volatile boolean caRateLimit;
    /** The value of {@code x-ms-throttle-limit-percentage} on successful Graph responses, or null for none. */
    volatile String throttleLimitPercentage;

    int pageSize(Integer top) {
        int size = top != null ? top : 100;
        int cap = pageSizeCap;
        return cap > 0 ? Math.min(size, cap) : size;
    }
}
