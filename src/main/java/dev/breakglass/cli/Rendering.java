package dev.breakglass.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.ReportFormat;
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
        out.append(ReportFormat.summary(checks)).append(System.lineSeparator());
        return out.toString();
    }

    static String markdown(List<CheckResult> checks) {
        return ReportFormat.markdown(checks);
    }
}
