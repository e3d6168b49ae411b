package dev.breakglass.cli;

/** Renders an apply's outcome. */
final class Applies {

    private Applies() {
    }

    static String text(CliResult.Apply apply) {
        StringBuilder out = new StringBuilder();
        apply.steps().stream().filter(step -> !"Done".equals(step.result())).forEach(step -> out.append(String.format(
                "FAILED %s %s: %s: %s%n", step.step(), step.target(), step.result(), Terminal.printable(step.message()))));
        out.append(String.format("Apply %s: %d reads, %d writes.%n", apply.succeeded() ? "finished" : "stopped",
                apply.reads(), apply.writes()));
        return out.toString();
    }
}
