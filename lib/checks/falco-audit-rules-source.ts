import type { Check } from './finding';
import type { StackPlan } from '../stack/plan';

/**
 * k8s_audit rules need the k8saudit plugin. Where the stack runs none (OKE has no such plugin, or it is
 * not enabled), the rules would never see an event: say so instead of shipping them silently.
 */
export const FALCO_AUDIT_RULES_SOURCE: Check<StackPlan> = {
  id: 'DS-FALCO-104',
  level: 'warning',
  title: 'Custom k8s_audit rules have no k8s_audit event source in this stack',
  fix: 'on EKS or AKS enable audit.kubernetes.falcoPlugin; on OKE answer these questions from OCI Audit '
    + '(the runbooks carry the queries) and remove the rules, or suppress DS-FALCO-104 with the reason',
  evaluate(plan) {
    const falco = plan.falco;
    const path = `${plan.path}/sensors.falco.customRules`;
    const auditRules = (falco?.customRules ?? []).filter((r) => r.source === 'k8s_audit');
    if (auditRules.length === 0) return [{ status: 'not-applicable', path }];
    if (plan.audit?.kubernetes.falcoPlugin) return [{ status: 'compliant', path }];
    return [{
      status: 'non-compliant',
      path,
      message: `${auditRules.length} k8s_audit rule(s) will not run (${auditRules.map((r) => r.name).join(', ')}): `
        + `no k8saudit plugin runs on this ${plan.profile.displayName} stack`,
    }];
  },
};
