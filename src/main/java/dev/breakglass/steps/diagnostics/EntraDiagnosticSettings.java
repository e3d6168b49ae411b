package dev.breakglass.steps.diagnostics;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Monitoring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owns one tenant-level Entra diagnostic setting, found by name ({@code BREAKGLASS_DIAGNOSTIC_SETTING_NAME}), that
 * sends to the Log Analytics workspace whichever of {@code SignInLogs}, {@code NonInteractiveUserSignInLogs} and
 * {@code AuditLogs} no other setting already sends there: the alert rules read those three tables, and Microsoft
 * asks for sign-in and audit monitoring of emergency accounts
 * (https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access#monitor-sign-in-and-audit-logs).
 * Other settings are never modified nor deleted; a category they already send is not duplicated (each copy would be
 * ingested and billed twice). Categories ours already sends are kept, so a setting added later by someone else never
 * causes a write, and ours is pointed back at the workspace if someone points it elsewhere.
 *
 * <p>Natural key: the setting's name. Depends on nothing. Permissions: Azure RBAC
 * {@code microsoft.aadiam/diagnosticSettings/read} and {@code microsoft.aadiam/diagnosticSettingsCategories/read} to
 * observe, {@code microsoft.aadiam/diagnosticSettings/write} to apply, granted at scope {@code /providers/microsoft.aadiam}.
 *
 * <p>Quirks: the API is tenant-scoped (no subscription in the path), PUT replaces the whole setting and answers 200
 * even on create, and {@code workspaceId} is the workspace's ARM id, not its GUID
 * (https://learn.microsoft.com/azure/templates/microsoft.aadiam/2017-04-01/diagnosticsettings). Sign-in log categories
 * are offered only with Entra ID P1 or P2, so the categories are read from the tenant. The read permission is
 * granted at tenant scope, which a resource-group deployment cannot do: when ARM answers 403 {@code AuthorizationFailed}
 * to the read, the check is Skipped with that reason rather than failing every verification of a fresh deployment.
 */
public final class EntraDiagnosticSettings implements Step {

    /** The categories that fill SigninLogs, AADNonInteractiveUserSignInLogs and AuditLogs. */
    public static final List<String> CATEGORIES = List.of("SignInLogs", "NonInteractiveUserSignInLogs", "AuditLogs");
    private static final Check CHECK = new Check("BG.1007",
            "Entra sign-in, non-interactive sign-in and audit logs flow to the Log Analytics workspace");

    /**
     * Why the check is skipped when ARM refuses to read the settings: the tenant-scope role is the one grant a
     * resource-group deployment cannot make, so a fresh deployment runs without it until an administrator grants it.
     */
    static final String NOT_GRANTED = "the identity may not read Entra diagnostic settings: the one-time tenant-scope "
            + "role assignment at /providers/microsoft.aadiam is missing (infra/ cannot make it); grant it as "
            + "docs/permissions.md explains, then verify again";

    private final DiagnosticSettings settings;

    public EntraDiagnosticSettings(DiagnosticSettings settings) {
        this.settings = settings;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perTenant(CHECK, new Permissions(
                Set.of("ARM: microsoft.aadiam/diagnosticSettings/read",
                        "ARM: microsoft.aadiam/diagnosticSettingsCategories/read"),
                Set.of("ARM: microsoft.aadiam/diagnosticSettings/write"))).after();
    }

    @Override
    public Observation observe(StepContext context) {
        Monitoring monitoring = context.spec().monitoring();
        if (monitoring == null) {
            return new Observation.Skipped(Monitoring.OFF);
        }
        List<DiagnosticSettings.DiagnosticSetting> all;
        List<String> offered;
        try {
            all = settings.list();
            offered = settings.logCategories();
        } catch (CloudException e) {
            if (e.status() == 403 && e.hasCode("AuthorizationFailed")) {
                return new Observation.Skipped(NOT_GRANTED);
            }
            throw e;
        }
        Routing routing = Routing.read(all, monitoring);
        List<String> differences = new ArrayList<>();
        if (routing.ours().isPresent() && !routing.ours().get().sendsTo(monitoring.workspaceId())) {
            differences.add("setting " + monitoring.diagnosticSettingName() + " sends to another workspace");
        }
        List<String> missing = routing.missing();
        missing.forEach(category -> differences.add(offered.contains(category)
                ? category + " does not reach workspace " + workspaceName(monitoring) : notOffered(category)));
        if (routing.ours().isEmpty() && !missing.isEmpty()) {
            return new Observation.Absent("no diagnostic setting " + monitoring.diagnosticSettingName() + "; "
                    + String.join("; ", differences));
        }
        return differences.isEmpty()
                ? new Observation.UpToDate(String.join(", ", CATEGORIES) + " reach workspace " + workspaceName(monitoring)
                        + routing.othersNote())
                : new Observation.Drifted(differences);
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Monitoring monitoring = context.spec().monitoring();
        List<String> offered = settings.logCategories();
        Routing routing = Routing.read(settings.list(), monitoring);
        Set<String> desired = new LinkedHashSet<>();
        routing.ours().ifPresent(ours -> desired.addAll(ours.enabledCategories()));
        routing.missing().stream().filter(offered::contains).forEach(desired::add);
        boolean changes = routing.ours().map(ours -> !ours.sendsTo(monitoring.workspaceId())
                || !ours.enabledCategories().containsAll(desired)).orElse(!desired.isEmpty());
        if (changes) {
            settings.put(monitoring.diagnosticSettingName(), monitoring.workspaceId(), List.copyOf(desired));
        }
        List<String> unoffered = routing.missing().stream().filter(category -> !offered.contains(category)).toList();
        if (!unoffered.isEmpty()) {
            return new Outcome.Terminal("CategoryNotOffered", notOffered(String.join(", ", unoffered)));
        }
        return new Outcome.Done(changes ? "setting " + monitoring.diagnosticSettingName() + " sends "
                + String.join(", ", desired) + " to workspace " + workspaceName(monitoring) : "nothing to change");
    }

    private static String notOffered(String categories) {
        return "the tenant does not offer " + categories + " to diagnostic settings (sign-in logs need Entra ID P1 "
                + "or P2); license the tenant, or unset BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID";
    }

    private static String workspaceName(Monitoring monitoring) {
        return monitoring.workspaceId().substring(monitoring.workspaceId().lastIndexOf('/') + 1);
    }

    /**
     * Who sends what to the workspace.
     *
     * @param ours      our setting, by name, wherever it sends
     * @param others    category → name of another setting that sends it (enabled) to the workspace
     * @param oursSends the categories ours sends (enabled) to the workspace
     */
    private record Routing(Optional<DiagnosticSettings.DiagnosticSetting> ours, Map<String, String> others,
            Set<String> oursSends) {

        static Routing read(List<DiagnosticSettings.DiagnosticSetting> all, Monitoring monitoring) {
            Optional<DiagnosticSettings.DiagnosticSetting> ours = all.stream()
                    .filter(setting -> setting.named(monitoring.diagnosticSettingName())).findFirst();
            Map<String, String> others = new LinkedHashMap<>();
            for (DiagnosticSettings.DiagnosticSetting setting : all) {
                if (!setting.named(monitoring.diagnosticSettingName()) && setting.sendsTo(monitoring.workspaceId())) {
                    setting.enabledCategories().forEach(category -> others.putIfAbsent(category, setting.name()));
                }
            }
            Set<String> oursSends = new LinkedHashSet<>();
            ours.filter(setting -> setting.sendsTo(monitoring.workspaceId()))
                    .ifPresent(setting -> oursSends.addAll(setting.enabledCategories()));
            return new Routing(ours, others, oursSends);
        }

        /** The categories that reach the workspace through no setting. */
        List<String> missing() {
            return CATEGORIES.stream().filter(c -> !others.containsKey(c) && !oursSends.contains(c)).toList();
        }

        String othersNote() {
            List<String> notes = new ArrayList<>();
            CATEGORIES.stream().filter(c -> others.containsKey(c) && !oursSends.contains(c))
                    .forEach(c -> notes.add(c + " through '" + others.get(c) + "'"));
            return notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")";
        }
    }
}
