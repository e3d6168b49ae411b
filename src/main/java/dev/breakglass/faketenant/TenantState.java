package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The fake tenant's data, for tests and drift simulation: reads return deep copies, writes take effect at once
 * (no replication lag) and are never journaled. HTTP handlers and these methods share one lock, so every
 * request sees a consistent tenant.
 */
public final class TenantState {

    /** One version of a secret as stored: {@code created} in whole seconds, as Key Vault keeps it. */
    public record SecretVersion(String version, String value, boolean enabled, Map<String, String> tags, String contentType,
                                Instant created) {
    }

    final Object lock = new Object();
    final String tenantId;
    final String initialDomain;
    final Directory directory = new Directory();
    final RoleStore roles = new RoleStore();
    final PolicyStore policies = new PolicyStore();
    final SecretStore secrets = new SecretStore();
    final ArmStore arm;
    /** Whether the authentication methods policy lets admins issue Temporary Access Passes. */
    boolean temporaryAccessPassPolicyEnabled = true;

    /** A Temporary Access Pass as stored, for assertions: the value Graph answered once, and whether it is usable now. */
    public record IssuedPass(String id, String value, boolean usable, String usabilityReason, int lifetimeInMinutes,
                             boolean usableOnce) {
        @Override
        public String toString() {
            return "IssuedPass[id=" + id + ", usable=" + usable + ", value=***]";
        }
    }

    TenantState(TenantSeed seed) {
        ObjectNode json = seed.json();
        this.tenantId = Json.text(json, "tenantId") != null ? json.get("tenantId").asText() : UUID.randomUUID().toString();
        this.initialDomain = json.get("initialDomain").asText();
        this.arm = new ArmStore(json.path("azure"));
        new SeedLoader(this).load(json);
    }

    public List<ObjectNode> users() {
        synchronized (lock) {
            return directory.users.values().stream().map(u -> u.data.deepCopy()).toList();
        }
    }

    /** A user by object id or UPN (case-insensitive), with every stored property; never the password. */
    public Optional<ObjectNode> user(String upnOrId) {
        synchronized (lock) {
            return Optional.ofNullable(directory.user(upnOrId)).map(u -> u.data.deepCopy());
        }
    }

    public Optional<String> passwordOf(String userId) {
        synchronized (lock) {
            return Optional.ofNullable(directory.user(userId)).map(u -> u.password);
        }
    }

    public List<ObjectNode> groups() {
        synchronized (lock) {
            return directory.groups.values().stream().map(g -> g.data.deepCopy()).toList();
        }
    }

    public Optional<ObjectNode> group(String id) {
        synchronized (lock) {
            return Optional.ofNullable(directory.groups.get(id.toLowerCase(Locale.ROOT))).map(g -> g.data.deepCopy());
        }
    }

    /** Member user ids of a group, in the order they were added. */
    public List<String> members(String groupId) {
        synchronized (lock) {
            return List.copyOf(requireGroup(groupId).members);
        }
    }

    /** Policies in their full wire shape (without the {@code @odata} annotations added on the wire). */
    public List<ObjectNode> policies() {
        synchronized (lock) {
            return policies.policies.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    public Optional<ObjectNode> policy(String id) {
        synchronized (lock) {
            return Optional.ofNullable(policies.policies.get(id.toLowerCase(Locale.ROOT))).map(ObjectNode::deepCopy);
        }
    }

    /** What {@code GET /roleManagement/directory/roleAssignmentSchedules} lists: PIM schedules and direct assignments. */
    public List<ObjectNode> roleSchedules() {
        synchronized (lock) {
            return roles.assignments.values().stream().map(RoleStore::scheduleJson).toList();
        }
    }

    public List<ObjectNode> roleAssignments() {
        synchronized (lock) {
            return roles.assignments.values().stream().map(RoleStore::assignmentJson).toList();
        }
    }

    /** Every version of an active secret, oldest first; empty when the secret does not exist or is deleted. */
    public List<SecretVersion> secretVersions(String name) {
        synchronized (lock) {
            SecretStore.Secret secret = secrets.active(name);
            if (secret == null) {
                return List.of();
            }
            List<SecretVersion> out = new ArrayList<>();
            for (SecretStore.Version v : secret.versions.values()) {
                Map<String, String> tags = new LinkedHashMap<>();
                if (v.tags != null) {
                    v.tags.fields().forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asText()));
                }
                out.add(new SecretVersion(v.version, v.value, v.enabled, Map.copyOf(tags), v.contentType,
                        Instant.ofEpochSecond(v.created)));
            }
            return out;
        }
    }

    public boolean secretIsDeleted(String name) {
        synchronized (lock) {
            return secrets.deleted(name) != null;
        }
    }

    /** Adds a policy as an administrator would (full shape filled in); returns its id. */
    public String addPolicy(ObjectNode policy) {
        synchronized (lock) {
            return policies.put(policy, Instant.now()).get("id").asText();
        }
    }

    /** Changes a policy with Graph's PATCH rules: objects merge, arrays replace. */
    public void patchPolicy(String id, ObjectNode patch) {
        synchronized (lock) {
            policies.patch(requirePolicy(id), patch, Instant.now());
        }
    }

    /** Removes every occurrence of {@code value} from the string array at {@code jsonPointer}, e.g. "/conditions/users/excludeUsers". */
    public void removeFromArray(String policyId, String jsonPointer, String value) {
        synchronized (lock) {
            ObjectNode policy = requirePolicy(policyId);
            JsonNode target = policy.at(jsonPointer);
            if (!(target instanceof ArrayNode array)) {
                throw new IllegalArgumentException("no array at " + jsonPointer + " in policy " + policyId);
            }
            for (int i = array.size() - 1; i >= 0; i--) {
                if (array.get(i).asText().equalsIgnoreCase(value)) {
                    array.remove(i);
                }
            }
            policy.put("modifiedDateTime", GraphService.preciseTimestamp(Instant.now()));
        }
    }

    /** Creates a user outside the product (e.g. someone squatting a UPN); replicated at once. Returns its id. */
    public String putUser(ObjectNode user, String password) {
        synchronized (lock) {
            String upn = Json.text(user, "userPrincipalName");
            if (upn == null || directory.user(upn) != null) {
                throw new IllegalArgumentException("a new user needs a unique userPrincipalName");
            }
            Instant now = Instant.now();
            return directory.addUser(user, password, now, now).id;
        }
    }

    /** Creates a group outside the product (e.g. a look-alike of the exclusion group); returns its id. */
    public String addGroup(ObjectNode group) {
        synchronized (lock) {
            return directory.addGroup(group, Instant.now()).id;
        }
    }

    /** Registers another authentication method (e.g. a {@code #microsoft.graph.fido2AuthenticationMethod}) for a user. */
    public void addAuthenticationMethod(String userId, ObjectNode method) {
        synchronized (lock) {
            requireUser(userId).methods.add(method.deepCopy());
        }
    }

    /** Someone changed the user's password at {@code when} (as a reset by an administrator would). */
    /** Makes a user look created at {@code when} (an account provisioned long ago). */
    public void userCreatedAt(String userId, Instant when) {
        synchronized (lock) {
            requireUser(userId).data.put("createdDateTime", GraphService.timestamp(when));
        }
    }

    public void passwordChanged(String userId, String password, Instant when) {
        synchronized (lock) {
            Directory.User user = requireUser(userId);
            user.password = password;
            user.data.put("lastPasswordChangeDateTime", GraphService.timestamp(when));
        }
    }

    public void disableUser(String id) {
        synchronized (lock) {
            requireUser(id).data.put("accountEnabled", false);
        }
    }

    public void addMember(String groupId, String userId) {
        synchronized (lock) {
            requireGroup(groupId).members.add(requireUser(userId).id);
        }
    }

    /** Adds a direct (non-PIM) role assignment at the tenant scope; returns its id. */
    public String addRoleAssignment(String principalId, String roleDefinitionId) {
        synchronized (lock) {
            return roles.add(principalId.toLowerCase(Locale.ROOT), roleDefinitionId, "/", null,
                    RoleStore.permanentSchedule(Instant.now())).id;
        }
    }

    /** Removes the principal's assignment of that role at the tenant scope, and with it the schedule. */
    public void removeRoleAssignment(String principalId, String roleDefinitionId) {
        synchronized (lock) {
            RoleStore.Assignment assignment = roles.find(principalId, roleDefinitionId, "/");
            if (assignment == null) {
                throw new IllegalArgumentException("no assignment of " + roleDefinitionId + " to " + principalId);
            }
            roles.assignments.remove(assignment.id);
        }
    }

    /** Soft-deletes a secret as someone else might (a later PUT of that name then gets 409). */
    public void deleteSecret(String name) {
        synchronized (lock) {
            if (secrets.softDelete(name, Instant.now().getEpochSecond()) == null) {
                throw new IllegalArgumentException("no secret named " + name);
            }
        }
    }

    /** Action groups in their wire shape, in any resource group. */
    public List<ObjectNode> actionGroups() {
        synchronized (lock) {
            return arm.actionGroups.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    public Optional<ObjectNode> actionGroup(String name) {
        synchronized (lock) {
            return Optional.ofNullable(ArmStore.byName(arm.actionGroups, name)).map(ObjectNode::deepCopy);
        }
    }

    /** Scheduled query rules in their wire shape, in any resource group. */
    public List<ObjectNode> alertRules() {
        synchronized (lock) {
            return arm.alertRules.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    public Optional<ObjectNode> alertRule(String name) {
        synchronized (lock) {
            return Optional.ofNullable(ArmStore.byName(arm.alertRules, name)).map(ObjectNode::deepCopy);
        }
    }

    /** The tenant's Entra diagnostic settings in their wire shape. */
    public List<ObjectNode> diagnosticSettings() {
        synchronized (lock) {
            return arm.diagnosticSettings.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    public Optional<ObjectNode> diagnosticSetting(String name) {
        synchronized (lock) {
            return Optional.ofNullable(arm.diagnosticSettings.get(name.toLowerCase(Locale.ROOT))).map(ObjectNode::deepCopy);
        }
    }

    /** Creates or replaces a diagnostic setting as someone else might, validated like a PUT. */
    public void putDiagnosticSetting(String name, ObjectNode body) {
        synchronized (lock) {
            arm.diagnosticSettings.put(name.toLowerCase(Locale.ROOT), new AadDiagnosticSettingsApi(arm).setting(name, body));
        }
    }

    public void deleteDiagnosticSetting(String name) {
        synchronized (lock) {
            if (arm.diagnosticSettings.remove(name.toLowerCase(Locale.ROOT)) == null) {
                throw new IllegalArgumentException("no diagnostic setting " + name);
            }
        }
    }

    /** Removes a log category from a diagnostic setting's {@code logs} (E5: "the SignInLogs category disabled"). */
    public void dropDiagnosticCategory(String settingName, String category) {
        synchronized (lock) {
            ArrayNode logs = (ArrayNode) requireArm(arm.diagnosticSettings.get(settingName.toLowerCase(Locale.ROOT)),
                    "diagnostic setting", settingName).at("/properties/logs");
            for (int i = logs.size() - 1; i >= 0; i--) {
                if (logs.get(i).path("category").asText().equalsIgnoreCase(category)) {
                    logs.remove(i);
                }
            }
        }
    }

    /** Deletes an alert rule out of band (E1). */
    public void deleteAlertRule(String name) {
        synchronized (lock) {
            ObjectNode rule = requireArm(ArmStore.byName(arm.alertRules, name), "alert rule", name);
            arm.alertRules.values().remove(rule);
        }
    }

    /** Disables an alert rule as someone in the portal might (E2). */
    public void disableAlertRule(String name) {
        synchronized (lock) {
            ((ObjectNode) requireArm(ArmStore.byName(arm.alertRules, name), "alert rule", name).get("properties"))
                    .put("enabled", false);
        }
    }

    /** Replaces the query of an alert rule's first condition (E2: "change its KQL"). */
    public void setAlertRuleQuery(String name, String query) {
        synchronized (lock) {
            ((ObjectNode) requireArm(ArmStore.byName(arm.alertRules, name), "alert rule", name)
                    .at("/properties/criteria/allOf/0")).put("query", query);
        }
    }

    /** Changes a stored alert rule (its wire shape) in a way the named mutators do not cover. */
    public void editAlertRule(String name, Consumer<ObjectNode> edit) {
        synchronized (lock) {
            edit.accept(requireArm(ArmStore.byName(arm.alertRules, name), "alert rule", name));
        }
    }

    /** Removes every receiver from an action group (E2: "empty the action group"). */
    public void emptyActionGroup(String name) {
        synchronized (lock) {
            ObjectNode properties = (ObjectNode) requireArm(ArmStore.byName(arm.actionGroups, name), "action group", name)
                    .get("properties");
            ActionGroupsApi.RECEIVER_ARRAYS.forEach(array -> properties.putArray(array));
        }
    }

    /** Changes a stored action group (its wire shape) in a way the named mutators do not cover. */
    public void editActionGroup(String name, Consumer<ObjectNode> edit) {
        synchronized (lock) {
            edit.accept(requireArm(ArmStore.byName(arm.actionGroups, name), "action group", name));
        }
    }

    /** Adds an email receiver to an action group, as someone who wants to know when the accounts are used might. */
    public void addEmailReceiver(String groupName, String receiverName, String emailAddress) {
        synchronized (lock) {
            ((ArrayNode) requireArm(ArmStore.byName(arm.actionGroups, groupName), "action group", groupName)
                    .at("/properties/emailReceivers")).addObject().put("name", receiverName).put("emailAddress", emailAddress)
                    .put("useCommonAlertSchema", false).put("status", "Enabled");
        }
    }

    /** Sets the tables of a workspace that hold data; a query naming any other Entra table fails validation (D12). */
    public void workspaceTables(String workspaceId, List<String> tables) {
        synchronized (lock) {
            ArmStore.Workspace workspace = requireArm(arm.workspace(workspaceId), "workspace", workspaceId);
            workspace.tables.clear();
            workspace.tables.addAll(tables);
        }
    }

    /** The user's authentication methods as {@code GET /users/{id}/authentication/methods} lists them. */
    public List<ObjectNode> authenticationMethods(String userId) {
        synchronized (lock) {
            Directory.User user = requireUser(userId);
            List<ObjectNode> all = new ArrayList<>(user.methods.stream().map(ObjectNode::deepCopy).toList());
            if (user.temporaryAccessPass != null) {
                all.add(AuthenticationMethodsApi.render(user.temporaryAccessPass));
            }
            return all;
        }
    }

    /**
     * What an account's custodians do with the pass breakglass left them: use it (when there is one) to register a
     * passkey, then sign in once, which is the validation drill.
     */
    public void custodianRegistersPasskeyAndSignsIn(String userId, String keyName, Instant when) {
        synchronized (lock) {
            if (requireUser(userId).temporaryAccessPass != null) {
                useTemporaryAccessPass(userId);
            }
            addFido2Method(userId, keyName);
            recordSignIn(userId, when);
        }
    }

    /** Registers a passkey (FIDO2 security key) as its owner would; returns the method id. */
    public String addFido2Method(String userId, String displayName) {
        synchronized (lock) {
            ObjectNode method = AuthenticationMethodsApi.fido2(displayName, Instant.now());
            requireUser(userId).methods.add(method);
            return method.get("id").asText();
        }
    }

    /** Adds a certificate-based authentication binding, e.g. {@code X509:<PN>bg01@contoso.onmicrosoft.com}. */
    public void bindCertificate(String userId, String certificateUserId) {
        synchronized (lock) {
            ObjectNode data = requireUser(userId).data;
            if (!(data.get("authorizationInfo") instanceof ObjectNode)) {
                data.putObject("authorizationInfo").putArray("certificateUserIds");
            }
            ((ArrayNode) data.get("authorizationInfo").get("certificateUserIds")).add(certificateUserId);
        }
    }

    /** The user's Temporary Access Pass, if any. */
    public Optional<IssuedPass> temporaryAccessPass(String userId) {
        synchronized (lock) {
            Directory.TemporaryAccessPass pass = requireUser(userId).temporaryAccessPass;
            if (pass == null) {
                return Optional.empty();
            }
            ObjectNode rendered = AuthenticationMethodsApi.render(pass);
            return Optional.of(new IssuedPass(pass.data.get("id").asText(), pass.value, rendered.get("isUsable").asBoolean(),
                    rendered.get("methodUsabilityReason").asText(), pass.data.get("lifetimeInMinutes").asInt(),
                    pass.data.get("isUsableOnce").asBoolean()));
        }
    }

    /** Issues a Temporary Access Pass as an administrator would in the portal, outside breakglass; returns its id. */
    public String issueTemporaryAccessPass(String userId, int lifetimeMinutes) {
        synchronized (lock) {
            ObjectNode data = Json.object();
            Instant now = Instant.now();
            data.put("id", UUID.randomUUID().toString());
            data.put("createdDateTime", GraphService.timestamp(now));
            data.put("startDateTime", GraphService.timestamp(now));
            data.put("lifetimeInMinutes", lifetimeMinutes);
            data.put("isUsableOnce", true);
            requireUser(userId).temporaryAccessPass = new Directory.TemporaryAccessPass(data, "Admin-Issued-" + UUID.randomUUID());
            return data.get("id").asText();
        }
    }

    /** Moves the user's pass into the past so that it has expired. */
    public void expireTemporaryAccessPass(String userId) {
        synchronized (lock) {
            ObjectNode data = requirePass(userId).data;
            Instant start = Instant.now().minusSeconds(60L * data.get("lifetimeInMinutes").asInt() + 60);
            data.put("startDateTime", GraphService.timestamp(start));
        }
    }

    /** Signs in once with the user's one-time pass, which then stops being usable. */
    public void useTemporaryAccessPass(String userId) {
        synchronized (lock) {
            requirePass(userId).used = true;
        }
    }

    /** Turns Temporary Access Passes off (or on) in the authentication methods policy. */
    public void temporaryAccessPassPolicy(boolean enabled) {
        synchronized (lock) {
            temporaryAccessPassPolicyEnabled = enabled;
        }
    }

    /** Records a successful interactive sign-in at {@code when} in the user's {@code signInActivity}. */
    public void recordSignIn(String userId, Instant when) {
        synchronized (lock) {
            String at = GraphService.timestamp(when);
            String requestId = UUID.randomUUID().toString();
            ObjectNode activity = requireUser(userId).data.putObject("signInActivity");
            activity.put("lastSignInDateTime", at);
            activity.put("lastSignInRequestId", requestId);
            activity.putNull("lastNonInteractiveSignInDateTime");
            activity.putNull("lastNonInteractiveSignInRequestId");
            activity.put("lastSuccessfulSignInDateTime", at);
            activity.put("lastSuccessfulSignInRequestId", requestId);
        }
    }

    private Directory.TemporaryAccessPass requirePass(String userId) {
        Directory.TemporaryAccessPass pass = requireUser(userId).temporaryAccessPass;
        if (pass == null) {
            throw new IllegalArgumentException("user " + userId + " has no Temporary Access Pass");
        }
        return pass;
    }

    private static <T> T requireArm(T resource, String kind, String name) {
        if (resource == null) {
            throw new IllegalArgumentException("no " + kind + " " + name);
        }
        return resource;
    }

    /** Graph's user delete: the user leaves every group and loses its role assignments. */
    void deleteUser(String id) {
        directory.users.remove(id);
        directory.groups.values().forEach(g -> g.members.remove(id));
        roles.removePrincipal(id);
    }

    private Directory.User requireUser(String idOrUpn) {
        Directory.User user = directory.user(idOrUpn);
        if (user == null) {
            throw new IllegalArgumentException("no user " + idOrUpn);
        }
        return user;
    }

    private Directory.Group requireGroup(String id) {
        Directory.Group group = directory.groups.get(id.toLowerCase(Locale.ROOT));
        if (group == null) {
            throw new IllegalArgumentException("no group " + id);
        }
        return group;
    }

    private ObjectNode requirePolicy(String id) {
        ObjectNode policy = policies.policies.get(id.toLowerCase(Locale.ROOT));
        if (policy == null) {
            throw new IllegalArgumentException("no policy " + id);
        }
        return policy;
    }
}
