package dev.breakglass.cli;

import dev.breakglass.reconcile.Workflow;
import java.util.List;

/** Renders a plan. */
final class Plans {

    private Plans() {
    }

    static CliResult result(String command, List<Workflow.PlannedChange> plan) {
        return new CliResult(command, plan.stream().noneMatch(Workflow.PlannedChange::changes),
                plan.stream().map(change -> change.check().resultOf(change.key().target(), change.observed())).toList(),
                null, null, plan.stream().map(CliResult.PlanLine::of).toList(), null);
    }

    static String text(List<Workflow.PlannedChange> plan) {
        StringBuilder out = new StringBuilder();
        long changes = 0;
        for (Workflow.PlannedChange change : plan) {
            CliResult.PlanLine line = CliResult.PlanLine.of(change);
            String mark = switch (line.action()) {
                case "create" -> "+";
                case "update" -> "~";
                case "unknown" -> "?";
                case "skip" -> "-";
                default -> "=";
            };
            changes += change.changes() ? 1 : 0;
            out.append(String.format("%s %-28s %-8s %s%n", mark, line.step(), line.target(),
                    Terminal.printable(line.detail())));
        }
        out.append(changes == 0 ? "No changes: the tenant is in the desired state." : "Plan: " + changes
                + " change(s). Run apply to make them.").append(System.lineSeparator());
        return out.toString();
    }
}
