import type { Check } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/**
 * k8s_audit rules need the k8saudit plugin. Where the stack runs none (OKE has no such plugin, or it is
 * not enabled), the rules would never see an event: say so instead of shipping them silently.
 */
export const FALCO_AUDIT_RULES_SOURCE: Check<StackPlan> = {
  ...registeredCheck('DS-FALCO-104'),
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
