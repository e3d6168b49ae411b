package dev.breakglass.cli;

import dev.breakglass.azure.Engine;
import dev.breakglass.exports.ExportFormat;
import dev.breakglass.faketenant.FakeTenant;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.spec.SpecLoader;
import dev.breakglass.spec.SpecValidationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code breakglass export <maester|scubagear|zta|sentinel> [--config FILE | --demo]}: prints the file
 * another tool reads to recognise the emergency accounts, generated from the live tenant (reads only). With
 * {@code --demo}, from the embedded fake tenant after an apply. How each tool uses its file: docs/exports.md.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Print the emergency accounts and exclusion group, read from the tenant, for another tool: "
                + "maester (maester-config.json), scubagear (AAD YAML), zta (Zero Trust Assessment config), "
                + "sentinel (BreakGlassAccounts watchlist CSV). Reads only.")
final class ExportCommand extends CommandBase {

    private static final Duration DEMO_APPLY_TIMEOUT = Duration.ofMinutes(5);

    @Parameters(index = "0", paramLabel = "FORMAT", description = "maester, scubagear, zta or sentinel.")
    String format;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--config", paramLabel = "FILE",
                description = "JSON file whose keys are the app-setting names. Without it, BREAKGLASS_* environment "
                        + "variables are read.")
        Path config;

        @Option(names = "--demo", description = "Provision the embedded fake tenant first and export from it.")
        boolean demo;
    }

    @Override
    int run() {
        ExportFormat chosen = ExportFormat.of(format).orElseThrow(() -> new SpecValidationException(List.of(
                "unknown export format '" + format + "'; the formats are " + String.join(", ", ExportFormat.ids()))));
        if (source != null && source.demo) {
            try (FakeTenant tenant = FakeTenant.start(TenantSeed.demo())) {
                Engine engine = Engine.create(SpecLoader.load(DemoCommand.settings(tenant)), tenant.certificate());
                err().println("Provisioning the embedded fake tenant " + tenant.initialDomain() + " first");
                ApplyCommand.applyOnce(engine, DEMO_APPLY_TIMEOUT, new Progress(err(), false));
                return export(engine, chosen);
            }
        }
        Path config = source == null ? null : source.config;
        return export(Engine.create(SpecLoader.load(config == null ? ConfigFile.environment() : ConfigFile.read(config)),
                null), chosen);
    }

    private int export(Engine engine, ExportFormat chosen) {
        try {
            out().print(chosen.render(engine.inventory().read(engine.spec())));
            out().flush();
            return ExitCodes.OK;
        } catch (CloudException e) {
            String error = e.code() + ": " + e.getMessage();
            if (json) {
                out().println(Rendering.json(CliResult.failed("export", List.of(error))));
            } else {
                err().println("Export failed: " + Terminal.printable(error));
            }
            return ExitCodes.NOT_IN_DESIRED_STATE;
        }
    }
}
