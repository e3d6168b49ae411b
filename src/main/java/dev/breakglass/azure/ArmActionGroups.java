package dev.breakglass.azure;

import com.azure.resourcemanager.monitor.fluent.ActionGroupsClient;
import com.azure.resourcemanager.monitor.fluent.models.ActionGroupResourceInner;
import com.azure.resourcemanager.monitor.models.ArmRoleReceiver;
import com.azure.resourcemanager.monitor.models.AutomationRunbookReceiver;
import com.azure.resourcemanager.monitor.models.AzureAppPushReceiver;
import com.azure.resourcemanager.monitor.models.AzureFunctionReceiver;
import com.azure.resourcemanager.monitor.models.EmailReceiver;
import com.azure.resourcemanager.monitor.models.EventHubReceiver;
import com.azure.resourcemanager.monitor.models.ItsmReceiver;
import com.azure.resourcemanager.monitor.models.LogicAppReceiver;
import com.azure.resourcemanager.monitor.models.SmsReceiver;
import com.azure.resourcemanager.monitor.models.VoiceReceiver;
import com.azure.resourcemanager.monitor.models.WebhookReceiver;
import dev.breakglass.steps.actiongroup.ActionGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** {@link ActionGroups} on azure-resourcemanager-monitor's action groups client (api-version 2022-06-01). */
final class ArmActionGroups implements ActionGroups {

    private static final String GLOBAL = "Global";

    private final Supplier<ActionGroupsClient> client;

    ArmActionGroups(Supplier<ActionGroupsClient> client) {
        this.client = client;
    }

    @Override
    public Optional<Group> get(String resourceGroup, String name) {
        return CloudErrors.readResource("reading action group " + name,
                () -> toGroup(client.get().getByResourceGroup(resourceGroup, name)));
    }

    @Override
    public void put(String resourceGroup, String name, Group group) {
        try {
            client.get().createOrUpdate(resourceGroup, name, toInner(group));
        } catch (RuntimeException e) {
            throw CloudErrors.translate("writing action group " + name, e);
        }
    }

    private static Group toGroup(ActionGroupResourceInner inner) {
        List<Receiver> receivers = new ArrayList<>();
        orEmpty(inner.emailReceivers()).forEach(r -> receivers.add(new Receiver(Kind.EMAIL, r.name(), r.emailAddress(),
                null, Boolean.TRUE.equals(r.useCommonAlertSchema()))));
        orEmpty(inner.smsReceivers()).forEach(r -> receivers.add(new Receiver(Kind.SMS, r.name(),
                "+" + r.countryCode() + " " + r.phoneNumber(), null, false)));
        orEmpty(inner.webhookReceivers()).forEach(r -> receivers.add(new Receiver(Kind.WEBHOOK, r.name(), r.serviceUri(),
                null, Boolean.TRUE.equals(r.useCommonAlertSchema()))));
        orEmpty(inner.logicAppReceivers()).forEach(r -> receivers.add(new Receiver(Kind.LOGIC_APP, r.name(), r.resourceId(),
                r.callbackUrl(), Boolean.TRUE.equals(r.useCommonAlertSchema()))));
        Stream.of(orEmpty(inner.voiceReceivers()).stream().map(VoiceReceiver::name),
                orEmpty(inner.itsmReceivers()).stream().map(ItsmReceiver::name),
                orEmpty(inner.azureAppPushReceivers()).stream().map(AzureAppPushReceiver::name),
                orEmpty(inner.automationRunbookReceivers()).stream().map(AutomationRunbookReceiver::name),
                orEmpty(inner.azureFunctionReceivers()).stream().map(AzureFunctionReceiver::name),
                orEmpty(inner.armRoleReceivers()).stream().map(ArmRoleReceiver::name),
                orEmpty(inner.eventHubReceivers()).stream().map(EventHubReceiver::name))
                .flatMap(names -> names)
                .forEach(name -> receivers.add(new Receiver(Kind.OTHER, name, null, null, false)));
        return new Group(inner.groupShortName(), Boolean.TRUE.equals(inner.enabled()), receivers);
    }

    /** The complete group: ARM replaces the resource, so every receiver array is sent, the unused ones empty. */
    private static ActionGroupResourceInner toInner(Group group) {
        List<EmailReceiver> emails = new ArrayList<>();
        List<SmsReceiver> sms = new ArrayList<>();
        List<WebhookReceiver> webhooks = new ArrayList<>();
        List<LogicAppReceiver> logicApps = new ArrayList<>();
        for (Receiver receiver : group.receivers()) {
            switch (receiver.kind()) {
                case EMAIL -> emails.add(new EmailReceiver().withName(receiver.name()).withEmailAddress(receiver.target())
                        .withUseCommonAlertSchema(receiver.commonAlertSchema()));
                case SMS -> {
                    String[] number = receiver.target().substring(1).split(" ", 2);
                    sms.add(new SmsReceiver().withName(receiver.name()).withCountryCode(number[0])
                            .withPhoneNumber(number[1]));
                }
                case WEBHOOK -> webhooks.add(new WebhookReceiver().withName(receiver.name()).withServiceUri(receiver.target())
                        .withUseCommonAlertSchema(receiver.commonAlertSchema()).withUseAadAuth(false));
                case LOGIC_APP -> logicApps.add(new LogicAppReceiver().withName(receiver.name())
                        .withResourceId(receiver.target()).withCallbackUrl(receiver.callbackUrl())
                        .withUseCommonAlertSchema(receiver.commonAlertSchema()));
                case OTHER -> throw new IllegalArgumentException("breakglass never writes a receiver of another kind");
            }
        }
        ActionGroupResourceInner inner = new ActionGroupResourceInner();
        inner.withLocation(GLOBAL);
        return inner.withGroupShortName(group.shortName()).withEnabled(group.enabled())
                .withEmailReceivers(emails).withSmsReceivers(sms).withWebhookReceivers(webhooks)
                .withLogicAppReceivers(logicApps).withItsmReceivers(List.of()).withAzureAppPushReceivers(List.of())
                .withAutomationRunbookReceivers(List.of()).withVoiceReceivers(List.of())
                .withAzureFunctionReceivers(List.of()).withArmRoleReceivers(List.of()).withEventHubReceivers(List.of());
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
