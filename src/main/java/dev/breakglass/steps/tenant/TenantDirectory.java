package dev.breakglass.steps.tenant;

import java.util.List;

/** Read-only view of the tenant's organisation data. */
public interface TenantDirectory {

    /** {@code GET /domains}. */
    List<Domain> listDomains();

    /** Service-plan names of the tenant's subscribed SKUs ({@code GET /subscribedSkus}), e.g. {@code AAD_PREMIUM_P2}. */
    List<String> listServicePlans();

    record Domain(String name, boolean initial, boolean verified) {
    }
}
