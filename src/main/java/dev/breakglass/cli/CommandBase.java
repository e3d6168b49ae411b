package dev.breakglass.cli;

import dev.breakglass.spec.SpecValidationException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command shares: {@code --json}, and turning a configuration problem into exit code 2
 * with a message that names the setting, as text or as JSON.
 */
abstract class CommandBase implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = "--json", description = "Print exactly one JSON document on stdout (progress still goes to stderr).")
    boolean json;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (SpecValidationException e) {
            if (json) {
                out().println(Rendering.json(CliResult.failed(command.name(), e.problems())));
            } else {
                err().println("Configuration is invalid:");
                e.problems().forEach(problem -> err().println("  - " + Terminal.printable(problem)));
            }
            return ExitCodes.INVALID_CONFIGURATION;
        }
    }

    abstract int run();

    PrintStream out() {
        return BreakGlassCli.stdout();
    }

    PrintStream err() {
        return BreakGlassCli.stderr();
    }

    /** Prints the result: JSON when asked, otherwise {@code human}. */
    void print(CliResult result, String human) {
        out().print(json ? Rendering.json(result) + System.lineSeparator() : human);
        out().flush();
    }
}
