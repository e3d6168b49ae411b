package dev.breakglass.azure;

import com.microsoft.graph.models.ServicePlanInfo;
import com.microsoft.graph.models.SubscribedSku;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.breakglass.steps.tenant.TenantDirectory;
import java.util.List;
import java.util.Objects;

/** {@link TenantDirectory} on Microsoft Graph: {@code /domains} and {@code /subscribedSkus}. */
final class GraphTenantDirectory implements TenantDirectory {

    private final GraphServiceClient graph;

    GraphTenantDirectory(GraphServiceClient graph) {
        this.graph = graph;
    }

    @Override
    public List<TenantDirectory.Domain> listDomains() {
        try {
            return GraphPages.all(graph.domains().get(), page -> page.getValue(),
                    link -> graph.domains().withUrl(link).get()).stream()
                    .map(GraphTenantDirectory::toDomain).toList();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("listing the tenant's domains", e);
        }
    }

    private static TenantDirectory.Domain toDomain(com.microsoft.graph.models.Domain domain) {
        return new TenantDirectory.Domain(domain.getId(), Boolean.TRUE.equals(domain.getIsInitial()),
                Boolean.TRUE.equals(domain.getIsVerified()));
    }

    @Override
    public List<String> listServicePlans() {
        try {
            // Only the service plans are read; $select is the one query parameter this API supports
            // (https://learn.microsoft.com/graph/api/subscribedsku-list#optional-query-parameters).
            return GraphPages.all(graph.subscribedSkus().get(request -> request.queryParameters.select =
                    new String[] {"servicePlans"}), page -> page.getValue(),
                    link -> graph.subscribedSkus().withUrl(link).get()).stream()
                    .map(SubscribedSku::getServicePlans)
                    .filter(Objects::nonNull)
                    .flatMap(List::stream)
                    .filter(plan -> !"Disabled".equalsIgnoreCase(plan.getProvisioningStatus()))
                    .map(ServicePlanInfo::getServicePlanName)
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("listing the tenant's subscribed SKUs", e);
        }
    }
}
