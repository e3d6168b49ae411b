package dev.breakglass.cli;

import dev.breakglass.azure.Engine;
import dev.breakglass.reconcile.DriftReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check every desired condition and report drift (BG.* checks). Reads only.")
final class VerifyCommand extends TenantCommand {

    @Option(names = "--markdown", description = "Print the report as a Markdown table.")
    boolean markdown;

    @Override
    int run() {
        Engine engine = engine();
        DriftReport report = engine.workflow().verify(engine.spec(), new Progress(err(), false));
        print(new CliResult("verify", report.allPassed(), report.checks(), null, null, null, null),
                markdown ? Rendering.markdown(report.checks()) : Rendering.table(report.checks()));
        return report.allPassed() ? ExitCodes.OK : ExitCodes.NOT_IN_DESIRED_STATE;
    }
}
