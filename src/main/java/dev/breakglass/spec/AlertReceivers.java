package dev.breakglass.spec;

import java.net.URI;
import java.util.List;

/**
 * Who the action group notifies. Webhook and Logic App callback URLs usually carry a signature, so
 * they are treated as secrets: {@link #toString()} never prints them.
 */
public record AlertReceivers(List<String> emails, List<Sms> sms, List<URI> webhooks, List<LogicApp> logicApps) {

    public AlertReceivers {
        emails = List.copyOf(emails);
        sms = List.copyOf(sms);
        webhooks = List.copyOf(webhooks);
        logicApps = List.copyOf(logicApps);
    }

    public int count() {
        return emails.size() + sms.size() + webhooks.size() + logicApps.size();
    }

    @Override
    public String toString() {
        return "AlertReceivers[emails=" + emails.size() + ", sms=" + sms.size() + ", webhooks=" + webhooks.size()
                + ", logicApps=" + logicApps.size() + "]";
    }

    /**
     * @param countryCode digits only, e.g. {@code 1}
     * @param phoneNumber digits only
     */
    public record Sms(String countryCode, String phoneNumber) {
    }

    /**
     * @param resourceId  the workflow's ARM id
     * @param callbackUrl its trigger URL, a secret
     */
    public record LogicApp(String resourceId, URI callbackUrl) {
        @Override
        public String toString() {
            return "LogicApp[resourceId=" + resourceId + ", callbackUrl=***]";
        }
    }
}
