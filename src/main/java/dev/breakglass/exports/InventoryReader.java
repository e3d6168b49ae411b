package dev.breakglass.exports;

import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.steps.group.ExclusionGroup;
import dev.breakglass.steps.group.GroupDirectory;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@link Inventory} from the tenant, through the same trust boundary as the steps: a user
 * counts only when its provenance marker matches our vault, so an export never declares a look-alike
 * account an emergency account (which would make the other tools stop flagging it). Reads only.
 */
public final class InventoryReader {

    private final OwnedAccounts owned;
    private final ExclusionGroup exclusionGroup;

    public InventoryReader(OwnedAccounts owned, ExclusionGroup exclusionGroup) {
        this.owned = owned;
        this.exclusionGroup = exclusionGroup;
    }

    public Permissions permissions() {
        return new Permissions(Set.of("User.Read.All", "GroupMember.Read.All", "Domain.Read.All",
                "Key Vault: secrets/readMetadata"), Set.of());
    }

    /**
     * @throws CloudException terminal {@code NotProvisioned} when an account or the group does not exist yet
     *                        (an export describes a provisioned tenant, or nothing), {@code ForeignObjectExists}
     *                        for a user breakglass did not create; transient when Graph or Key Vault is unavailable
     */
    public Inventory read(BreakGlassSpec spec) {
        RunReads reads = new RunReads();
        List<Inventory.Member> members = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Account account : spec.accounts()) {
            StepContext context = new StepContext(spec, account, reads);
            Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, account);
            if (user.isEmpty()) {
                missing.add("user " + owned.upn(context, account));
            } else {
                members.add(new Inventory.Member(account.key(), user.get().userPrincipalName(), user.get().id(),
                        user.get().displayName()));
            }
        }
        Optional<GroupDirectory.SecurityGroup> group = exclusionGroup.find(new StepContext(spec, null, reads));
        if (group.isEmpty()) {
            missing.add("group " + spec.exclusionGroupName());
        }
        if (!missing.isEmpty()) {
            throw CloudException.terminal("NotProvisioned", String.join(", ", missing)
                    + " not provisioned yet; run apply first, so that the export describes the real tenant");
        }
        return new Inventory(spec.tenantId(), new Inventory.Group(group.get().id(), group.get().displayName(),
                spec.exclusionGroupName()), members);
    }
}
