package dev.breakglass.cli;

import dev.breakglass.azure.Engine;
import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.spec.SpecLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A command that works on a real (or test) tenant described by {@code --config} or the environment. */
abstract class TenantCommand extends CommandBase {

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON file whose keys are the app-setting names (BREAKGLASS_TENANT_ID, …). "
                    + "Without it, BREAKGLASS_* environment variables are read.")
    Path config;

    BreakGlassSpec spec() {
        return SpecLoader.load(config == null ? ConfigFile.environment() : ConfigFile.read(config));
    }

    Engine engine() {
        return Engine.create(spec(), null);
    }
}
