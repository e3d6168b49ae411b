package dev.breakglass.reconcile;

import java.util.List;
import java.util.Locale;

/** A drift report as Markdown (for pull requests, tickets and {@code ?format=markdown}). */
public final class ReportFormat {

    private ReportFormat() {
    }

    public static String markdown(List<CheckResult> checks) {
        StringBuilder out = new StringBuilder("| ID | Target | Status | Check | Detail |\n|---|---|---|---|---|\n");
        for (CheckResult check : checks) {
            out.append("| ").append(check.id()).append(" | ").append(cell(check.target())).append(" | ")
                    .append(icon(check.status())).append(' ').append(check.status()).append(" | ")
                    .append(cell(check.title())).append(" | ").append(cell(check.detail())).append(" |\n");
        }
        out.append('\n').append(summary(checks)).append('\n');
        return out.toString();
    }

    public static String summary(List<CheckResult> checks) {
        return checks.size() + " checks: " + count(checks, CheckStatus.Passed) + " passed, "
                + count(checks, CheckStatus.Failed) + " failed, " + count(checks, CheckStatus.Error) + " error, "
                + count(checks, CheckStatus.Skipped) + " skipped";
    }

    /** Text from a tenant (names, error messages) with control and bidi-override characters escaped. */
    public static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean bidiOverride = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
            if (Character.isISOControl(cp) || bidiOverride) {
                out.append(String.format(Locale.ROOT, "\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
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
        return printable(text).replace("|", "\\|");
    }
}
