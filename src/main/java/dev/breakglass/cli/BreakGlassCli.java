package dev.breakglass.cli;

import java.io.PrintStream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code breakglass plan|apply|verify|demo|rotate|export|bench}: the same engine as the Functions app, run in-process.
 * Results go to stdout (one JSON document with {@code --json}); progress and logs to stderr.
 */
@Command(name = "breakglass", mixinStandardHelpOptions = true, version = "breakglass 0.1.0",
        description = "Keeps a Microsoft Entra ID tenant's emergency-access (break glass) accounts in their "
                + "desired state.",
        subcommands = {PlanCommand.class, ApplyCommand.class, VerifyCommand.class, DemoCommand.class,
            RotateCommand.class, ExportCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:in the desired state", "1:drift found, a check failed, or apply stopped",
            "2:invalid configuration or usage", "3:unexpected failure"})
public final class BreakGlassCli {

    private static PrintStream stdout = System.out;
    private static PrintStream stderr = System.err;

    private BreakGlassCli() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests). */
    public static synchronized int run(PrintStream out, PrintStream err, String... args) {
        stdout = out;
        stderr = err;
        try {
            CommandLine commandLine = new CommandLine(new BreakGlassCli())
                    .setOut(new java.io.PrintWriter(out, true))
                    .setErr(new java.io.PrintWriter(err, true))
                    .setExecutionExceptionHandler((failure, line, parsed) -> {
                        // The message only: a stack trace can carry request details; nothing secret is in our messages.
                        line.getErr().println("error: " + Terminal.printable(failure.getMessage()));
                        return ExitCodes.UNEXPECTED;
                    });
            return commandLine.execute(args);
        } finally {
            stdout = System.out;
            stderr = System.err;
        }
    }

    static PrintStream stdout() {
        return stdout;
    }

    static PrintStream stderr() {
        return stderr;
    }
}
