package dev.breakglass.cli;

import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.StepEvents;
import java.io.PrintStream;
import java.time.Duration;

/** Prints what the engine is doing, one line per event, to stderr (stdout is for the result). */
final class Progress implements StepEvents {

    private final PrintStream out;
    private final boolean showObservations;

    Progress(PrintStream out, boolean showObservations) {
        this.out = out;
        this.showObservations = showObservations;
    }

    @Override
    public void observed(String step, String target, Observation observation) {
        if (showObservations) {
            out.printf("  %-28s %-8s %s%n", step, target, Terminal.printable(observation.summary()));
        }
    }

    @Override
    public void retrying(String step, String target, Duration delay, String reason) {
        out.printf("  %-28s %-8s waiting %.1f s: %s%n", step, target, delay.toMillis() / 1000.0,
                Terminal.printable(reason));
    }

    @Override
    public void finished(String step, String target, Outcome outcome) {
        if (outcome instanceof Outcome.Done done) {
            out.printf("  %-28s %-8s done: %s%n", step, target, Terminal.printable(done.message()));
        } else if (outcome instanceof Outcome.Terminal terminal) {
            out.printf("  %-28s %-8s FAILED %s: %s%n", step, target, terminal.reason(),
                    Terminal.printable(terminal.message()));
        }
    }
}
