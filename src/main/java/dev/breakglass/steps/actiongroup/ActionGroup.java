package dev.breakglass.steps.actiongroup;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.AlertReceivers;
import dev.breakglass.spec.Monitoring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owns the action group the alert rules notify: enabled, with exactly the configured receivers (email, SMS,
 * webhook, Logic App), each on the common alert schema where the kind allows. A receiver added outside breakglass
 * is drift: an action group is replaced as a whole, and who learns that an emergency account was used is part of
 * the desired state.
 *
 * <p>Natural key: resource group and name from the spec. Depends on nothing. Permissions: Azure RBAC
 * {@code Microsoft.Insights/actionGroups/read} to observe and {@code Microsoft.Insights/actionGroups/write} to apply
 * (Monitoring Contributor on the resource group holds both).
 *
 * <p>Quirks: PUT replaces the whole resource, so the complete desired group is sent, and only when the observed one
 * differs; {@code groupShortName} is at most 12 characters; errors are a flat {@code {code, message}}
 * (https://learn.microsoft.com/rest/api/monitor/action-groups/create-or-update).
 */
public final class ActionGroup implements Step {

    private static final Check CHECK = new Check("BG.1008",
            "The alert action group exists, is enabled and notifies the configured receivers");

    private final ActionGroups groups;

    public ActionGroup(ActionGroups groups) {
        this.groups = groups;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perTenant(CHECK, new Permissions(
                Set.of("ARM: Microsoft.Insights/actionGroups/read"),
                Set.of("ARM: Microsoft.Insights/actionGroups/write"))).after();
    }

    /** The action group, when it exists; the alert rules wait for it. */
    public Optional<ActionGroups.Group> find(Monitoring monitoring) {
        return groups.get(monitoring.resourceGroup(), monitoring.actionGroupName());
    }

    @Override
    public Observation observe(StepContext context) {
        Monitoring monitoring = context.spec().monitoring();
        if (monitoring == null) {
            return new Observation.Skipped(Monitoring.OFF);
        }
        Optional<ActionGroups.Group> current = find(monitoring);
        if (current.isEmpty()) {
            return new Observation.Absent("no action group " + monitoring.actionGroupName() + " in resource group "
                    + monitoring.resourceGroup());
        }
        List<String> differences = differences(current.get(), desired(monitoring));
        return differences.isEmpty()
                ? new Observation.UpToDate("action group " + monitoring.actionGroupName() + " is enabled and notifies "
                        + current.get().receivers().size() + " receiver(s)")
                : new Observation.Drifted(differences);
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Monitoring monitoring = context.spec().monitoring();
        ActionGroups.Group desired = desired(monitoring);
        groups.put(monitoring.resourceGroup(), monitoring.actionGroupName(), desired);
        return new Outcome.Done("action group " + monitoring.actionGroupName() + " notifies "
                + desired.receivers().size() + " receiver(s)");
    }

    /** The group the spec asks for; receivers are named by kind and position ({@code email-1}, {@code sms-1} …). */
    static ActionGroups.Group desired(Monitoring monitoring) {
        AlertReceivers configured = monitoring.receivers();
        List<ActionGroups.Receiver> receivers = new ArrayList<>();
        for (int i = 0; i < configured.emails().size(); i++) {
            receivers.add(new ActionGroups.Receiver(ActionGroups.Kind.EMAIL, "email-" + (i + 1),
                    configured.emails().get(i), null, true));
        }
        for (int i = 0; i < configured.sms().size(); i++) {
            AlertReceivers.Sms sms = configured.sms().get(i);
            receivers.add(new ActionGroups.Receiver(ActionGroups.Kind.SMS, "sms-" + (i + 1),
                    "+" + sms.countryCode() + " " + sms.phoneNumber(), null, false));
        }
        for (int i = 0; i < configured.webhooks().size(); i++) {
            receivers.add(new ActionGroups.Receiver(ActionGroups.Kind.WEBHOOK, "webhook-" + (i + 1),
                    configured.webhooks().get(i).toString(), null, true));
        }
        for (int i = 0; i < configured.logicApps().size(); i++) {
            AlertReceivers.LogicApp app = configured.logicApps().get(i);
            receivers.add(new ActionGroups.Receiver(ActionGroups.Kind.LOGIC_APP, "logicapp-" + (i + 1),
                    app.resourceId(), app.callbackUrl().toString(), true));
        }
        return new ActionGroups.Group(monitoring.actionGroupShortName(), true, receivers);
    }

    /** Plain-English differences; receivers are named, never their addresses or URLs. */
    private static List<String> differences(ActionGroups.Group current, ActionGroups.Group desired) {
        List<String> differences = new ArrayList<>();
        if (!current.enabled()) {
            differences.add("the action group is disabled, so it notifies nobody");
        }
        if (!current.shortName().equals(desired.shortName())) {
            differences.add("its short name is '" + current.shortName() + "', not '" + desired.shortName() + "'");
        }
        if (current.receivers().isEmpty()) {
            differences.add("it has no receivers, so alerts reach nobody");
        }
        Map<String, ActionGroups.Receiver> found = new LinkedHashMap<>();
        current.receivers().forEach(receiver -> found.put(receiver.name(), receiver));
        for (ActionGroups.Receiver wanted : desired.receivers()) {
            ActionGroups.Receiver receiver = found.remove(wanted.name());
            if (receiver == null) {
                differences.add("receiver " + wanted.name() + " is missing");
            } else if (!receiver.equals(wanted)) {
                differences.add("receiver " + wanted.name() + " differs from the configuration");
            }
        }
        found.keySet().forEach(name -> differences.add("receiver '" + name + "' was added outside breakglass"));
        return differences;
    }
}
