package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The complete wire shape of a v1.0 conditionalAccessPolicy (CSDL in {@code api-contracts/graph}). The real
 * service always returns every collection ({@code []}, never omitted) and every absent complex value as an
 * explicit {@code null}; {@link #normalize} fills a short policy up to that shape, and {@link #validate} refuses
 * properties the type does not declare, as OData does.
 */
final class PolicyShape {
    private static final Object ARRAY = new Object();
    /** A complex value the fake keeps as sent (filters, guest settings, authentication flows). */
    private static final Object OPEN = new Object();

    private final String type;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private PolicyShape(String type) {
        this.type = type;
    }

    private PolicyShape array(String... names) {
        for (String name : names) {
            fields.put(name, ARRAY);
        }
        return this;
    }

    private PolicyShape scalar(String name, JsonNode defaultValue) {
        fields.put(name, defaultValue);
        return this;
    }

    private PolicyShape scalars(String... names) {
        for (String name : names) {
            fields.put(name, NullNode.instance);
        }
        return this;
    }

    private PolicyShape open(String... names) {
        for (String name : names) {
            fields.put(name, OPEN);
        }
        return this;
    }

    private PolicyShape complex(String name, PolicyShape shape) {
        fields.put(name, shape);
        return this;
    }

    private static final PolicyShape USERS = new PolicyShape("conditionalAccessUsers")
            .array("includeUsers", "excludeUsers", "includeGroups", "excludeGroups", "includeRoles", "excludeRoles")
            .open("includeGuestsOrExternalUsers", "excludeGuestsOrExternalUsers");
    private static final PolicyShape APPLICATIONS = new PolicyShape("conditionalAccessApplications")
            .array("includeApplications", "excludeApplications", "includeUserActions", "includeAuthenticationContextClassReferences")
            .open("applicationFilter");
    private static final PolicyShape CONDITIONS = new PolicyShape("conditionalAccessConditionSet")
            .array("userRiskLevels", "signInRiskLevels", "clientAppTypes", "servicePrincipalRiskLevels")
            .scalars("insiderRiskLevels")
            .open("authenticationFlows")
            .complex("platforms", new PolicyShape("conditionalAccessPlatforms").array("includePlatforms", "excludePlatforms"))
            .complex("locations", new PolicyShape("conditionalAccessLocations").array("includeLocations", "excludeLocations"))
            .complex("devices", new PolicyShape("conditionalAccessDevices").open("deviceFilter"))
            .complex("clientApplications", new PolicyShape("conditionalAccessClientApplications")
                    .array("includeServicePrincipals", "excludeServicePrincipals").open("servicePrincipalFilter"))
            .complex("applications", APPLICATIONS)
            .complex("users", USERS);
    private static final PolicyShape GRANT = new PolicyShape("conditionalAccessGrantControls")
            .scalars("operator")
            .array("builtInControls", "customAuthenticationFactors", "termsOfUse")
            .open("authenticationStrength");
    private static final PolicyShape SESSION = new PolicyShape("conditionalAccessSessionControls")
            .scalars("disableResilienceDefaults")
            .complex("applicationEnforcedRestrictions", new PolicyShape("applicationEnforcedRestrictionsSessionControl")
                    .scalar("isEnabled", BooleanNode.TRUE))
            .complex("cloudAppSecurity", new PolicyShape("cloudAppSecuritySessionControl")
                    .scalars("cloudAppSecurityType").scalar("isEnabled", BooleanNode.TRUE))
            .complex("persistentBrowser", new PolicyShape("persistentBrowserSessionControl")
                    .scalars("mode").scalar("isEnabled", BooleanNode.TRUE))
            .complex("signInFrequency", new PolicyShape("signInFrequencySessionControl")
                    .scalars("value", "type")
                    .scalar("authenticationType", TextNode.valueOf("primaryAndSecondaryAuthentication"))
                    .scalar("frequencyInterval", TextNode.valueOf("timeBased"))
                    .scalar("isEnabled", BooleanNode.TRUE))
            .open("secureSignInSession");
    static final PolicyShape POLICY = new PolicyShape("conditionalAccessPolicy")
            .scalars("id", "templateId", "displayName", "description", "createdDateTime", "modifiedDateTime", "state", "deletedDateTime")
            .complex("sessionControls", SESSION)
            .complex("conditions", CONDITIONS)
            .complex("grantControls", GRANT);

    /** A copy of {@code value} in this shape: declared fields in order, defaults for the missing ones. */
    ObjectNode normalize(JsonNode value) {
        ObjectNode out = Json.object();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String name = field.getKey();
            JsonNode given = value.get(name);
            Object kind = field.getValue();
            if (kind == ARRAY) {
                out.set(name, given != null && given.isArray() ? given.deepCopy() : Json.array());
            } else if (kind instanceof PolicyShape nested) {
                out.set(name, given != null && given.isObject() ? nested.normalize(given) : NullNode.instance);
            } else if (kind == OPEN) {
                out.set(name, given == null ? NullNode.instance : given.deepCopy());
            } else {
                out.set(name, given == null ? (JsonNode) kind : given.deepCopy());
            }
        }
        return out;
    }

    /**
     * Conditions, and their users and applications, are required for every policy, so the service always returns
     * them as objects; a seed or drift policy that leaves them out gets empty, fully shaped ones.
     */
    static void completeConditions(ObjectNode policy) {
        if (!policy.get("conditions").isObject()) {
            policy.set("conditions", CONDITIONS.normalize(Json.object()));
        }
        ObjectNode conditions = (ObjectNode) policy.get("conditions");
        if (!conditions.get("users").isObject()) {
            conditions.set("users", USERS.normalize(Json.object()));
        }
        if (!conditions.get("applications").isObject()) {
            conditions.set("applications", APPLICATIONS.normalize(Json.object()));
        }
    }

    /** Rejects properties the type does not declare and nulls in non-nullable collections, with OData's messages. */
    void validate(JsonNode value) {
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (name.contains("@odata.")) {
                continue;
            }
            Object kind = fields.get(name);
            JsonNode given = entry.getValue();
            if (kind == null) {
                throw ApiError.of(400, "BadRequest", "The property '" + name + "' does not exist on type 'microsoft.graph." + type
                        + "'. Make sure to only use property names that are defined by the type or mark the type as open type.");
            }
            if (kind == ARRAY && !given.isArray()) {
                throw ApiError.of(400, "BadRequest", "A " + (given.isNull() ? "null value" : "non-collection value")
                        + " was found for the property named '" + name + "', which has the expected type 'Collection(Edm.String)[Nullable=False]'.");
            }
            if (kind instanceof PolicyShape nested && given.isObject()) {
                nested.validate(given);
            }
        }
    }
}
