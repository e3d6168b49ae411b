package dev.breakglass.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.breakglass.azure.CallCounter;
import dev.breakglass.reconcile.ApplyReport;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Workflow;
import java.util.List;

/**
 * The one JSON document a command prints with {@code --json}. {@code checks} is always there;
 * {@code applies} for apply and demo (one entry per apply, in order); {@code drift} for demo.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CliResult(String command, boolean succeeded, List<CheckResult> checks, List<Apply> applies,
        List<CheckResult> drift, List<PlanLine> plan, List<String> errors) {

    static CliResult failed(String command, List<String> errors) {
        return new CliResult(command, false, List.of(), null, null, null, errors);
    }

    /** One apply: the requests it cost and what each unit of work ended with. */
    record Apply(long reads, long writes, boolean succeeded, List<StepLine> steps) {

        static Apply of(ApplyReport report, CallCounter.Counts cost) {
            return new Apply(cost.reads(), cost.writes(), report.succeeded(),
                    report.entries().stream().map(StepLine::of).toList());
        }
    }

    record StepLine(String step, String target, String result, String message) {

        static StepLine of(ApplyReport.Entry entry) {
            Outcome outcome = entry.outcome();
            if (outcome instanceof Outcome.Done done) {
                return new StepLine(entry.key().step(), entry.key().target(), "Done", done.message());
            }
            if (outcome instanceof Outcome.Terminal terminal) {
                return new StepLine(entry.key().step(), entry.key().target(), terminal.reason(), terminal.message());
            }
            Outcome.RequeueAfter requeue = (Outcome.RequeueAfter) outcome;
            return new StepLine(entry.key().step(), entry.key().target(), "Waiting", requeue.reason());
        }
    }

    /** One line of a plan: whether apply would write, and why. */
    record PlanLine(String step, String target, String action, String detail) {

        static PlanLine of(Workflow.PlannedChange change) {
            String action = switch (change.observed().getClass().getSimpleName()) {
                case "Absent" -> "create";
                case "Drifted" -> "update";
                case "Unknown" -> "unknown";
                case "Skipped" -> "skip";
                default -> "none";
            };
            return new PlanLine(change.key().step(), change.key().target(), action, change.observed().summary());
        }
    }
}
