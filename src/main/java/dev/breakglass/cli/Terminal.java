package dev.breakglass.cli;

import dev.breakglass.reconcile.ReportFormat;

/** Keeps text that came from a tenant (display names, error messages) from steering the terminal. */
final class Terminal {

    private Terminal() {
    }

    static String printable(String text) {
        return ReportFormat.printable(text);
    }
}
