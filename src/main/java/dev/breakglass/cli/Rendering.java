package dev.breakglass.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import java.util.List;

/** Turns results into text for people (table, Markdown) or one JSON document for tools. */
final class Rendering {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Rendering() {
    }

    static String json(CliResult result) {
        try {
            return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising the result", e);
        }
    }

    static String table(List<CheckResult> checks) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-8s  %-8s  %-7s  %s%n", "ID", "TARGET", "STATUS", "CHECK"));
        for (CheckResult check : checks) {
            out.append(String.format("%-8s  %-8s  %-7s  %s%n", check.id(), check.target(), check.status(),
                    check.title()));
            out.append(String.format("%-8s  %-8s  %-7s  %s%n", "", "", "", "└ " + Terminal.printable(check.detail())));
        }
        out.append(summary(checks)).append(System.lineSeparator());
        return out.toString();
    }

    static String markdown(List<CheckResult> checks) {
        StringBuilder out = new StringBuilder("| ID | Target | Status | Check | Detail |\n|---|---|---|---|---|\n");
        for (CheckResult check : checks) {
            out.append("| ").append(check.id()).append(" | ").append(cell(check.target())).append(" | ")
                    .append(icon(check.status())).append(' ').append(check.status()).append(" | ")
                    .append(cell(check.title())).append(" | ").append(cell(check.detail())).append(" |\n");
        }
        out.append('\n').append(summary(checks)).append('\n');
        return out.toString();
    }

    static String summary(List<CheckResult> checks) {
        long passed = count(checks, CheckStatus.Passed);
        return checks.size() + " checks: " + passed + " passed, " + count(checks, CheckStatus.Failed) + " failed, "
                + count(checks, CheckStatus.Error) + " error, " + count(checks, CheckStatus.Skipped) + " skipped";
    }

    private static long count(List<CheckResult> checks, CheckStatus status) {
        return checks.stream().filter(check -> check.status() == status).count();
    }

    private static String icon(CheckStatus status) {
        return switch (status) {
            case Passed -> "✅";
            case Failed -> "❌";
            case Error -> "⚠️";
            case Skipped -> "⏭️";
        };
    }

    private static String cell(String text) {
        return Terminal.printable(text).replace("|", "\\|");
    }
}
