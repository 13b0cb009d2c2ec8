import type { InvestigationSettings } from '../investigation/queries';
import type { StackPlan } from '../stack/plan';

/** The investigation settings of a planned stack: its provider, names, the packs' product namespaces and audit facilities. */
export function investigationSettingsOf(plan: StackPlan): InvestigationSettings {
  return {
    provider: plan.cluster.provider,
    cluster: plan.cluster.name,
    namespaces: [...(plan.packs?.namespaces ?? [])],
    aksAuditTable: plan.audit?.kubernetes.aksCategories.includes('kube-audit-admin') ? 'AKSAuditAdmin' : 'AKSAudit',
    cloudTrailTable: plan.audit?.cloud.athenaTable,
    ociCompartmentId: plan.audit?.cloud.ociCompartmentId,
  };
}
