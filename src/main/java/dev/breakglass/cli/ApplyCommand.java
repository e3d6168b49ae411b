package dev.breakglass.cli;

import dev.breakglass.azure.CallCounter;
import dev.breakglass.azure.Engine;
import dev.breakglass.reconcile.ApplyReport;
import dev.breakglass.reconcile.DriftReport;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Make the tenant match the desired state, then verify it. Safe to run again at any time.")
final class ApplyCommand extends TenantCommand {

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
            description = "Give up waiting (replication lag, throttling) after this long. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Override
    int run() {
        Engine engine = engine();
        CliResult.Apply apply = applyOnce(engine, Duration.ofSeconds(timeoutSeconds), new Progress(err(), false));
        DriftReport report = engine.workflow().verify(engine.spec(), new Progress(err(), false));
        boolean succeeded = apply.succeeded() && report.allPassed();
        print(new CliResult("apply", succeeded, report.checks(), List.of(apply), null, null, null),
                Applies.text(apply) + Rendering.table(report.checks()));
        return succeeded ? ExitCodes.OK : ExitCodes.NOT_IN_DESIRED_STATE;
    }

    static CliResult.Apply applyOnce(Engine engine, Duration timeout, Progress progress) {
        CallCounter.Counts before = engine.calls();
        ApplyReport report = engine.workflow().apply(engine.spec(), timeout, progress);
        return CliResult.Apply.of(report, engine.calls().minus(before));
    }
}
