package dev.breakglass.cli;

import dev.breakglass.bench.Benchmark;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: the performance figures against the embedded fake tenant. A subcommand rather than a JMH module:
 * what matters is requests, round trips and seconds of whole runs over HTTPS with injected latency, each taking
 * seconds to minutes, which JMH's warm-up and iteration machinery does not measure better; and the cold start needs
 * fresh JVMs, which JMH forks would blur with its own harness.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure requests, round trips, time, cold start, heap and lib/ size against the embedded fake "
                + "tenant. Exit 0 only when the invariants hold.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "100",
            description = "Latency injected into every request. Default: ${DEFAULT-VALUE}.")
    long latencyMs;

    @Option(names = "--policies", paramLabel = "P", split = ",", defaultValue = "14,195",
            description = "Conditional Access policy counts to run at (1 to 195). Default: ${DEFAULT-VALUE}.")
    List<Integer> policies;

    @Option(names = "--cold-start-runs", paramLabel = "N", defaultValue = "3",
            description = "Child JVMs per cold-start figure (the median is reported; 0 skips). Default: ${DEFAULT-VALUE}.")
    int coldStartRuns;

    @Override
    public Integer call() {
        List<String> failures = new Benchmark(Duration.ofMillis(latencyMs), policies, coldStartRuns,
                BreakGlassCli.stdout(), BreakGlassCli.stderr()).run();
        if (!failures.isEmpty()) {
            BreakGlassCli.stderr().println("bench: invariants failed: " + String.join("; ", failures));
            return ExitCodes.NOT_IN_DESIRED_STATE;
        }
        return ExitCodes.OK;
    }
}
