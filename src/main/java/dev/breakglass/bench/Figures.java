package dev.breakglass.bench;

import java.time.Duration;

/**
 * What one operation cost, measured on the fake tenant's journal.
 *
 * @param reads            GET requests
 * @param writes           every other request
 * @param wall             elapsed time of the operation
 * @param roundTrips       the longest chain of requests sent one after another ({@code Journal#longestSequentialChain})
 * @param caRequests       Conditional Access requests, reads and writes
 * @param caPages          Conditional Access list pages read
 * @param caWritesPerSecond the most Conditional Access writes received within any one second
 * @param caRequestsPerSecond the most Conditional Access requests (reads too) received within any one second
 * @param succeeded        whether the operation ended in the desired state
 */
record Figures(long reads, long writes, Duration wall, int roundTrips, long caRequests, int caPages, int caWritesPerSecond,
        int caRequestsPerSecond, boolean succeeded) {

    /** Wall time in units of the injected per-request latency. */
    double latencyUnits(Duration latency) {
        return latency.isZero() ? 0 : (double) wall.toMillis() / latency.toMillis();
    }
}
