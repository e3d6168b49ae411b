package dev.breakglass.steps.alertrule;

import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.Monitoring;
import dev.breakglass.steps.actiongroup.ActionGroup;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the two alert rules share: a severity 0 log search alert on the workspace that fires when its query returns
 * a row, notifies the action group, and stays fired until someone closes it ({@code autoMitigate: false}). It runs
 * every 5 minutes over the last 15, because Entra logs can reach the workspace minutes late and a window equal to the
 * frequency would let a late row fall between two runs
 * (https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-latencies); an event may then alert
 * more than once, which is the right trade for an emergency account.
 *
 * <p>The query is built from object ids only ({@link Kql}). Verification reads the rule back and checks that it is
 * enabled, targets the workspace, notifies the action group and still names every account.
 *
 * <p>Quirk: the service validates the query against the workspace, and a workspace that has no sign-in yet has no
 * {@code SigninLogs} table, so the PUT fails; the rule is then written with {@code skipQueryValidation}, and the
 * checks above stand in for the service's validation (TESTS.md D12).
 */
abstract class LogAlertRule implements Step {

    static final Duration FREQUENCY = Duration.ofMinutes(5);
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String COUNT = "Count";
    private static final String GREATER_THAN = "GreaterThan";

    private final AlertRules rules;
    private final ActionGroup actionGroup;
    private final OwnedAccounts owned;

    LogAlertRule(AlertRules rules, ActionGroup actionGroup, OwnedAccounts owned) {
        this.rules = rules;
        this.actionGroup = actionGroup;
        this.owned = owned;
    }

    abstract String ruleName(Monitoring monitoring);

    abstract String displayName();

    abstract String description();

    /** The column the alert is split by: one alert per value. It must be set on every row the query returns. */
    abstract String dimension();

    /** The query over the watched object ids, each already a checked GUID in {@code idList}. */
    abstract String query(String idList);

    /** Ids to watch besides the accounts', label → id; a null id is not created yet. */
    abstract Map<String, String> otherWatched(StepContext context);

    @Override
    public Observation observe(StepContext context) {
        Monitoring monitoring = context.spec().monitoring();
        if (monitoring == null) {
            return new Observation.Skipped(Monitoring.OFF);
        }
        Optional<AlertRules.Rule> current = rules.get(monitoring.resourceGroup(), ruleName(monitoring));
        if (current.isEmpty()) {
            return new Observation.Absent("no alert rule " + ruleName(monitoring) + " in resource group "
                    + monitoring.resourceGroup());
        }
        Watched watched = watched(context);
        List<String> differences = differences(monitoring, current.get(), watched);
        watched.notYet().forEach(label -> differences.add(label + " does not exist yet, so the rule cannot watch it"));
        return differences.isEmpty()
                ? new Observation.UpToDate("alert rule " + ruleName(monitoring) + " is enabled, severity 0, and watches "
                        + String.join(", ", watched.ids().keySet()))
                : new Observation.Drifted(differences);
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Monitoring monitoring = context.spec().monitoring();
        Watched watched = watched(context);
        if (!watched.notYet().isEmpty()) {
            return new Outcome.RequeueAfter(WAIT, "waiting for " + String.join(", ", watched.notYet()) + " to exist");
        }
        if (actionGroup.find(monitoring).isEmpty()) {
            return new Outcome.RequeueAfter(WAIT, "waiting for ActionGroup to create " + monitoring.actionGroupName());
        }
        Optional<AlertRules.Rule> current = rules.get(monitoring.resourceGroup(), ruleName(monitoring));
        // A rule's location cannot change after creation; an existing rule keeps its own.
        AlertRules.Rule desired = current.map(rule -> desired(monitoring, watched).withLocation(rule.location()))
                .orElseGet(() -> desired(monitoring, watched));
        try {
            rules.put(monitoring.resourceGroup(), ruleName(monitoring), desired);
        } catch (CloudException e) {
            if (!e.hasCode(AlertRules.QUERY_TABLE_NOT_FOUND)) {
                throw e;
            }
            rules.put(monitoring.resourceGroup(), ruleName(monitoring), desired.withSkipQueryValidation(true));
            return new Outcome.Done("alert rule " + ruleName(monitoring) + " watches " + String.join(", ", watched.ids().keySet())
                    + "; the workspace has no data yet in a table it reads, so the service's query validation was skipped");
        }
        return new Outcome.Done("alert rule " + ruleName(monitoring) + " watches " + String.join(", ", watched.ids().keySet()));
    }

    AlertRules.Rule desired(Monitoring monitoring, Watched watched) {
        return new AlertRules.Rule(monitoring.location(), displayName(), description(), 0, true,
                List.of(monitoring.workspaceId()), FREQUENCY, WINDOW, query(Kql.ids(watched.ids().values())), dimension(),
                COUNT, GREATER_THAN, 0, false, List.of(monitoring.actionGroupId()), false);
    }

    private List<String> differences(Monitoring monitoring, AlertRules.Rule current, Watched watched) {
        AlertRules.Rule desired = desired(monitoring, watched);
        List<String> differences = new ArrayList<>();
        if (!current.enabled()) {
            differences.add("the rule is disabled, so it never fires");
        }
        if (current.severity() != desired.severity()) {
            differences.add("its severity is " + current.severity() + ", not 0");
        }
        if (current.scopes().size() != 1 || !AlertRules.Rule.containsId(current.scopes(), monitoring.workspaceId())) {
            differences.add("it does not query the workspace alone");
        }
        if (!AlertRules.Rule.containsId(current.actionGroups(), monitoring.actionGroupId())) {
            differences.add("it does not notify action group " + monitoring.actionGroupName());
        }
        Set<String> named = Kql.idsIn(current.query());
        List<String> unnamed = watched.ids().entrySet().stream()
                .filter(watchedId -> !named.contains(watchedId.getValue().toLowerCase(Locale.ROOT)))
                .map(watchedId -> watchedId.getKey() + " (" + watchedId.getValue() + ")").toList();
        unnamed.forEach(label -> differences.add("its query no longer names " + label));
        if (unnamed.isEmpty() && !current.query().equals(desired.query())) {
            differences.add("its query differs from the one breakglass wrote");
        }
        if (!Objects.equals(current.evaluationFrequency(), desired.evaluationFrequency())
                || !Objects.equals(current.windowSize(), desired.windowSize())) {
            differences.add("it runs every " + current.evaluationFrequency() + " over " + current.windowSize()
                    + ", not every " + FREQUENCY + " over " + WINDOW);
        }
        if (!COUNT.equals(current.timeAggregation()) || !GREATER_THAN.equals(current.operator()) || current.threshold() != 0
                || !dimension().equals(current.dimension())) {
            differences.add("its condition is not 'one row or more, per " + dimension() + "'");
        }
        if (current.autoMitigate()) {
            differences.add("it resolves itself (autoMitigate), so a fired alert can close before anyone sees it");
        }
        return differences;
    }

    private Watched watched(StepContext context) {
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> notYet = new ArrayList<>();
        for (Account account : context.spec().accounts()) {
            Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, account);
            if (user.isPresent()) {
                ids.put(account.key(), user.get().id());
            } else {
                notYet.add(account.key());
            }
        }
        otherWatched(context).forEach((label, id) -> {
            if (id == null) {
                notYet.add(label);
            } else {
                ids.put(label, id);
            }
        });
        return new Watched(ids, notYet);
    }

    /**
     * @param ids    label (account key, "the exclusion group") → object id
     * @param notYet labels whose objects do not exist yet
     */
    record Watched(Map<String, String> ids, List<String> notYet) {
    }
}
