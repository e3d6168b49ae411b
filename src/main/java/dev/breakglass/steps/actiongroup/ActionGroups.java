package dev.breakglass.steps.actiongroup;

import java.util.List;
import java.util.Optional;

/** Azure Monitor action groups ({@code Microsoft.Insights/actionGroups}, api-version 2022-06-01). */
public interface ActionGroups {

    /** {@code GET …/resourceGroups/{group}/providers/Microsoft.Insights/actionGroups/{name}}; empty on 404. */
    Optional<Group> get(String resourceGroup, String name);

    /**
     * {@code PUT} of the same path: creates or replaces the whole group (201 / 200). Every receiver array is sent,
     * empty ones as {@code []}, because ARM keeps nothing that the body leaves out.
     */
    void put(String resourceGroup, String name, Group group);

    /** The parts of an action group breakglass owns. */
    record Group(String shortName, boolean enabled, List<Receiver> receivers) {

        public Group {
            receivers = List.copyOf(receivers);
        }
    }

    /**
     * One receiver. Webhook and Logic App URLs usually carry a signature, so {@link #toString()} shows only the kind
     * and name.
     *
     * @param target            email address, {@code +<country code> <number>}, webhook URL or Logic App resource id;
     *                          null for {@link Kind#OTHER}
     * @param callbackUrl       the Logic App's trigger URL; null for other kinds
     * @param commonAlertSchema whether the payload uses the common alert schema (not applicable to SMS: false)
     */
    record Receiver(Kind kind, String name, String target, String callbackUrl, boolean commonAlertSchema) {

        @Override
        public String toString() {
            return "Receiver[" + kind + " " + name + "]";
        }
    }

    /** {@code OTHER}: a receiver kind breakglass never configures (voice, ITSM, function, event hub …). */
    enum Kind {
        EMAIL, SMS, WEBHOOK, LOGIC_APP, OTHER
    }
}
