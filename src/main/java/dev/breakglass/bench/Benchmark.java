package dev.breakglass.bench;

import java.io.File;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures breakglass can be quoted on, against the embedded fake tenant with a per-request latency: requests,
 * round trips and time of provision, second apply and verify at each tenant size; Conditional Access's request rate;
 * cold start; peak heap; the size of {@code lib/}. Prints a Markdown table on {@code out}, progress on
 * {@code progress}, and says whether the invariants held.
 */
public final class Benchmark {

    private final Duration latency;
    private final List<Integer> sizes;
    private final int coldStartRuns;
    private final PrintStream out;
    private final PrintStream progress;

    public Benchmark(Duration latency, List<Integer> sizes, int coldStartRuns, PrintStream out, PrintStream progress) {
        this.latency = latency;
        this.sizes = List.copyOf(sizes);
        this.coldStartRuns = coldStartRuns;
        this.out = out;
        this.progress = progress;
    }

    /** Runs everything and returns the invariants that failed (empty: all held). */
    public List<String> run() {
        List<SizedRun.Result> results = new ArrayList<>();
        long peakHeap;
        try (Footprint.HeapSampler heap = new Footprint.HeapSampler()) {
            for (int size : sizes) {
                results.add(SizedRun.run(size, latency, progress));
            }
            peakHeap = heap.peakBytes();
        }
        ColdStart.Result coldStart = coldStartRuns == 0 ? null : ColdStart.measure(classpath(), coldStartRuns, progress);
        Footprint.LibSize lib = Footprint.libSize();
        List<String> failures = invariants(results);
        print(results, coldStart, peakHeap, lib, failures);
        return failures;
    }

    private static String classpath() {
        return String.join(File.pathSeparator, Footprint.runtimeClasspath().stream().map(Object::toString).toList());
    }

    List<String> invariants(List<SizedRun.Result> results) {
        List<String> failures = new ArrayList<>();
        for (SizedRun.Result result : results) {
            String at = " at P=" + result.policies();
            if (!result.provision().succeeded()) {
                failures.add("provisioning did not succeed" + at);
            }
            if (!result.reapply().succeeded() || result.reapply().writes() != 0) {
                failures.add("the second apply made " + result.reapply().writes() + " writes" + at + " (must be 0)");
            }
            if (!result.verify().succeeded() || result.verify().writes() != 0) {
                failures.add("verify did not pass with 0 writes" + at);
            }
            // Conditional Access requests (list pages and What If evaluations) follow one another at 1/s whatever the
            // dependencies allow; every other read can overlap.
            int bound = result.longestChain() + (int) result.verify().caRequests();
            if (result.verify().roundTrips() > bound) {
                failures.add("verify took " + result.verify().roundTrips() + " sequential round trips" + at
                        + ", more than the longest chain (" + result.longestChain() + ") + Conditional Access requests ("
                        + result.verify().caRequests() + ")");
            }
            for (Figures figures : List.of(result.provision(), result.reapply(), result.verify())) {
                if (figures.caRequestsPerSecond() > 1) {
                    failures.add(figures.caRequestsPerSecond() + " Conditional Access requests within one second" + at
                            + " (the service allows 1 per second per tenant)");
                }
            }
        }
        return failures;
    }

    private void print(List<SizedRun.Result> results, ColdStart.Result coldStart, long peakHeap,
            Footprint.LibSize lib, List<String> failures) {
        out.printf("breakglass bench: %d ms injected per request, 2 accounts, monitoring on, %d available processors%n%n",
                latency.toMillis(), Runtime.getRuntime().availableProcessors());
        out.println("| operation | P | reads | writes | wall | wall / latency | sequential round trips | CA requests"
                + " (max per 1 s) | compared with |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (SizedRun.Result result : results) {
            Figures provision = result.provision();
            row("provision", result, provision, String.format(Locale.ROOT, "Conditional Access pacing: %d CA requests "
                    + "at 1/s bound it below by %d s", provision.caRequests(), Math.max(0, provision.caRequests() - 1)));
            row("second apply", result, result.reapply(), "0 writes (converged)");
            Figures verify = result.verify();
            row("verify", result, verify, String.format(Locale.ROOT, "bound: longest chain %d + %d CA requests (%d "
                    + "page(s), What If per account) = %d round trips; %d s of CA pacing", result.longestChain(),
                    verify.caRequests(), verify.caPages(), result.longestChain() + verify.caRequests(),
                    Math.max(0, verify.caRequests() - 1)));
        }
        int caWrites = results.stream().mapToInt(result -> result.provision().caWritesPerSecond()).max().orElse(0);
        out.println();
        out.printf("- Conditional Access writes per second, max over any 1-s window: %d (limit: 1)%n", caWrites);
        if (coldStart != null) {
            out.printf(Locale.ROOT, "- Cold start, JVM start to first step handled (median of %d): %.2f s; JVM that only "
                    + "builds the Graph, ARM and Key Vault clients: %.2f s; ratio %.2f (processes: %.2f s and %.2f s "
                    + "from spawn to exit)%n", coldStartRuns, coldStart.engine().readyMs() / 1000.0,
                    coldStart.clientsOnly().readyMs() / 1000.0, coldStart.ratio(),
                    coldStart.engine().processMs() / 1000.0, coldStart.clientsOnly().processMs() / 1000.0);
            out.printf(Locale.ROOT, "- Peak heap of the worker JVM (cold start, one step; sum of the heap pools' peaks): "
                    + "%.1f MB%n", coldStart.engine().peakHeapBytes() / 1e6);
        }
        out.printf(Locale.ROOT, "- Peak heap of this JVM over all runs (sampled every 20 ms; includes the fake tenant"
                + " and, under exec:java, Maven): %.1f MB; GC: %s%n", peakHeap / 1e6, Footprint.garbageCollections());
        out.printf(Locale.ROOT, "- lib/: %.1f MB in %d jars, from %s%n", lib.bytes() / 1e6, lib.jars(), lib.source());
        out.println();
        if (failures.isEmpty()) {
            out.println("Invariants held: second apply 0 writes, verify within its round-trip bound, Conditional "
                    + "Access at most 1 request per second.");
        } else {
            out.println("INVARIANTS FAILED:");
            failures.forEach(failure -> out.println("- " + failure));
        }
    }

    private void row(String operation, SizedRun.Result result, Figures figures, String comparedWith) {
        out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.2f s | %.1f | %d | %d (%d) | %s |%n", operation,
                result.policies(), figures.reads(), figures.writes(), figures.wall().toMillis() / 1000.0,
                figures.latencyUnits(latency), figures.roundTrips(), figures.caRequests(), figures.caRequestsPerSecond(),
                comparedWith);
    }
}
