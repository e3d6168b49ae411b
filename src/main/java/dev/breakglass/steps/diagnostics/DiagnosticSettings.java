package dev.breakglass.steps.diagnostics;

import java.util.List;
import java.util.Locale;

/**
 * Microsoft Entra's tenant-level diagnostic settings ({@code microsoft.aadiam}, api-version 2017-04-01): where
 * the tenant's sign-in and audit logs are sent. No SDK models them.
 */
public interface DiagnosticSettings {

    /** {@code GET /providers/microsoft.aadiam/diagnosticSettings}: every setting of the tenant, ours and others'. */
    List<DiagnosticSetting> list();

    /** {@code GET /providers/microsoft.aadiam/diagnosticSettingsCategories}: the log categories this tenant can export. */
    List<String> logCategories();

    /**
     * {@code PUT /providers/microsoft.aadiam/diagnosticSettings/{name}}: creates or replaces the whole setting,
     * sending {@code categories} (each enabled) to the workspace. Answers 200 for both.
     */
    void put(String name, String workspaceId, List<String> categories);

    /**
     * @param workspaceId       the Log Analytics workspace it sends to, or null
     * @param enabledCategories the categories of its {@code logs} that are enabled
     */
    record DiagnosticSetting(String name, String workspaceId, List<String> enabledCategories) {

        public DiagnosticSetting {
            enabledCategories = List.copyOf(enabledCategories);
        }

        /** ARM ids compare case-insensitively: the service may return the provider segment lower-cased. */
        public boolean sendsTo(String workspace) {
            return workspaceId != null && workspaceId.toLowerCase(Locale.ROOT).equals(workspace.toLowerCase(Locale.ROOT));
        }

        public boolean named(String other) {
            return name.equalsIgnoreCase(other);
        }
    }
}
