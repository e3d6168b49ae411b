package dev.breakglass.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the monitoring settings. Monitoring is optional: without a workspace there is none, and
 * then any other monitoring setting is a mistake worth naming (receivers configured for a workspace
 * that was forgotten would otherwise be ignored in silence). Webhook and Logic App URLs are never
 * echoed in a message: they usually carry a signature.
 */
final class MonitoringLoader {

    private static final String SUBSCRIPTION = "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";
    /** ARM's resource group rule: 1-90 of letters, digits, underscore, hyphen, period and parentheses, not ending in a period. */
    private static final String RESOURCE_GROUP = "([-\\w.()]{0,89}[-\\w()])";
    private static final Pattern WORKSPACE_ID = Pattern.compile("^/subscriptions/" + SUBSCRIPTION + "/resourceGroups/"
            + RESOURCE_GROUP + "/providers/Microsoft\\.OperationalInsights/workspaces/([A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9])$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RESOURCE_GROUP_ID = Pattern.compile("^/subscriptions/" + SUBSCRIPTION
            + "/resourceGroups/" + RESOURCE_GROUP + "$", Pattern.CASE_INSENSITIVE);
    private static final Pattern RESOURCE_GROUP_NAME = Pattern.compile("^" + RESOURCE_GROUP + "$");
    private static final Pattern LOGIC_APP_ID = Pattern.compile("^/subscriptions/" + SUBSCRIPTION + "/resourceGroups/"
            + RESOURCE_GROUP + "/providers/Microsoft\\.Logic/workflows/[A-Za-z0-9_.()-]{1,80}$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOCATION = Pattern.compile("^[A-Za-z0-9 ]{2,40}$");
    private static final Pattern RESOURCE_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s,;<>\"]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$");
    private static final Pattern SMS = Pattern.compile("^\\+(\\d{1,3})\\s+(\\d[\\d ]{3,18}\\d)$");
    private static final int MAX_SHORT_NAME = 12;
    private static final Setting[] NEEDS_WORKSPACE = {Setting.MONITORING_RESOURCE_GROUP, Setting.ALERT_LOCATION,
        Setting.ALERT_EMAILS, Setting.ALERT_SMS, Setting.ALERT_WEBHOOKS, Setting.ALERT_LOGIC_APPS};

    private MonitoringLoader() {
    }

    /** The monitoring part of the spec, or null when no workspace is configured. */
    static Monitoring load(SpecLoader.Reader reader) {
        String workspaceId = reader.value(Setting.LOG_ANALYTICS_WORKSPACE_ID);
        if (workspaceId.isEmpty()) {
            for (Setting setting : NEEDS_WORKSPACE) {
                if (!reader.value(setting).isEmpty()) {
                    reader.problem(setting, "is set but " + Setting.LOG_ANALYTICS_WORKSPACE_ID.key()
                            + " is not, so nothing would be monitored; set the workspace or remove this setting");
                }
            }
            return null;
        }
        Matcher workspace = WORKSPACE_ID.matcher(workspaceId);
        if (!workspace.matches()) {
            reader.problem(Setting.LOG_ANALYTICS_WORKSPACE_ID, "must be a workspace's ARM resource id, /subscriptions/<id>"
                    + "/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>, got '"
                    + SpecLoader.printable(workspaceId) + "'");
            return null;
        }
        String[] group = resourceGroup(reader, workspace.group(1), workspace.group(2));
        return new Monitoring(workspaceId, group[0], group[1], location(reader),
                name(reader, Setting.DIAGNOSTIC_SETTING_NAME), name(reader, Setting.ACTION_GROUP_NAME),
                shortName(reader), receivers(reader), name(reader, Setting.SIGN_IN_ALERT_RULE_NAME),
                name(reader, Setting.AUDIT_ALERT_RULE_NAME));
    }

    /** {subscription id, resource group name}. */
    private static String[] resourceGroup(SpecLoader.Reader reader, String workspaceSubscription, String workspaceGroup) {
        String value = reader.value(Setting.MONITORING_RESOURCE_GROUP);
        if (value.isEmpty()) {
            return new String[] {workspaceSubscription, workspaceGroup};
        }
        Matcher id = RESOURCE_GROUP_ID.matcher(value);
        if (id.matches()) {
            return new String[] {id.group(1), id.group(2)};
        }
        if (!RESOURCE_GROUP_NAME.matcher(value).matches()) {
            reader.problem(Setting.MONITORING_RESOURCE_GROUP, "must be a resource group name (1-90 letters, digits, "
                    + "_ - . ( ), not ending in '.') or /subscriptions/<id>/resourceGroups/<name>, got '"
                    + SpecLoader.printable(value) + "'");
        }
        return new String[] {workspaceSubscription, value};
    }

    private static String location(SpecLoader.Reader reader) {
        String value = reader.value(Setting.ALERT_LOCATION);
        if (value.isEmpty()) {
            reader.problem(Setting.ALERT_LOCATION, "is required when " + Setting.LOG_ANALYTICS_WORKSPACE_ID.key()
                    + " is set: the workspace's region, e.g. westeurope");
        } else if (!LOCATION.matcher(value).matches()) {
            reader.problem(Setting.ALERT_LOCATION, "must be an Azure region such as westeurope, got '"
                    + SpecLoader.printable(value) + "'");
        }
        return value.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static String name(SpecLoader.Reader reader, Setting setting) {
        String value = reader.value(setting);
        if (!RESOURCE_NAME.matcher(value).matches()) {
            reader.problem(setting, "must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit, got '"
                    + SpecLoader.printable(value) + "'");
        }
        return value;
    }

    private static String shortName(SpecLoader.Reader reader) {
        String value = reader.value(Setting.ACTION_GROUP_SHORT_NAME);
        if (value.length() > MAX_SHORT_NAME || value.codePoints().anyMatch(Character::isISOControl)) {
            reader.problem(Setting.ACTION_GROUP_SHORT_NAME, "must be 1-" + MAX_SHORT_NAME
                    + " printable characters (an action group's groupShortName), got '" + SpecLoader.printable(value) + "'");
        }
        return value;
    }

    private static AlertReceivers receivers(SpecLoader.Reader reader) {
        List<String> emails = new ArrayList<>();
        for (String entry : entries(reader, Setting.ALERT_EMAILS)) {
            if (!EMAIL.matcher(entry).matches()) {
                reader.problem(Setting.ALERT_EMAILS, "every entry must be an email address, got '"
                        + SpecLoader.printable(entry) + "'");
            }
            emails.add(entry);
        }
        List<AlertReceivers.Sms> sms = new ArrayList<>();
        for (String entry : entries(reader, Setting.ALERT_SMS)) {
            Matcher number = SMS.matcher(entry);
            if (number.matches()) {
                sms.add(new AlertReceivers.Sms(number.group(1), number.group(2).replace(" ", "")));
            } else {
                reader.problem(Setting.ALERT_SMS, "every entry must be +<country code> <number>, e.g. +1 5551234567, got '"
                        + SpecLoader.printable(entry) + "'");
            }
        }
        List<URI> webhooks = new ArrayList<>();
        List<String> webhookEntries = entries(reader, Setting.ALERT_WEBHOOKS);
        for (int i = 0; i < webhookEntries.size(); i++) {
            URI uri = httpsUrl(webhookEntries.get(i));
            if (uri == null) {
                reader.problem(Setting.ALERT_WEBHOOKS, "entry " + (i + 1) + " is not an https URL with a host");
            } else {
                webhooks.add(uri);
            }
        }
        List<AlertReceivers.LogicApp> logicApps = new ArrayList<>();
        List<String> logicAppEntries = entries(reader, Setting.ALERT_LOGIC_APPS);
        for (int i = 0; i < logicAppEntries.size(); i++) {
            String[] parts = logicAppEntries.get(i).split("\\s+");
            URI callback = parts.length == 2 ? httpsUrl(parts[1]) : null;
            if (callback == null || !LOGIC_APP_ID.matcher(parts[0]).matches()) {
                reader.problem(Setting.ALERT_LOGIC_APPS, "entry " + (i + 1) + " must be '<workflow resource id> "
                        + "<https callback URL>' with an id /subscriptions/<id>/resourceGroups/<group>"
                        + "/providers/Microsoft.Logic/workflows/<name>");
            } else {
                logicApps.add(new AlertReceivers.LogicApp(parts[0], callback));
            }
        }
        AlertReceivers receivers = new AlertReceivers(emails, sms, webhooks, logicApps);
        if (receivers.count() == 0) {
            reader.problem(Setting.ALERT_EMAILS, "or another receiver setting (" + Setting.ALERT_SMS.key() + ", "
                    + Setting.ALERT_WEBHOOKS.key() + ", " + Setting.ALERT_LOGIC_APPS.key()
                    + ") is required when " + Setting.LOG_ANALYTICS_WORKSPACE_ID.key() + " is set: an alert nobody "
                    + "receives protects nothing");
        }
        return receivers;
    }

    private static List<String> entries(SpecLoader.Reader reader, Setting setting) {
        List<String> entries = new ArrayList<>();
        for (String entry : reader.value(setting).split(",")) {
            if (!entry.isBlank()) {
                entries.add(entry.trim());
            }
        }
        return entries;
    }

    private static URI httpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
