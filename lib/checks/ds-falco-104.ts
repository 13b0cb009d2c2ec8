import type { Check, CheckOutcome } from './finding';
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
    const customPath = `${plan.path}/sensors.falco.customRules`;
    const auditRules = (falco?.customRules ?? []).filter((r) => r.source === 'k8s_audit');
    if (auditRules.length === 0) return [{ status: 'not-applicable', path: customPath }];
    if (plan.audit?.kubernetes.falcoPlugin) return [{ status: 'compliant', path: customPath }];
    // Pack rules reach the Falco plan as custom rules; the user fixes them in `packs:`, not in customRules.
    const packs = plan.packs;
    const packIds = new Map((packs?.rules ?? []).map((r) => [r.name, r.id]));
    const fromPacks = auditRules.filter((r) => packIds.has(r.name));
    const handWritten = auditRules.filter((r) => !packIds.has(r.name));
    const why = `no k8saudit plugin runs on this ${plan.profile.displayName} stack`;
    const outcomes: CheckOutcome[] = [];
    if (handWritten.length > 0) {
      outcomes.push({
        status: 'non-compliant',
        path: customPath,
        message: `${handWritten.length} k8s_audit rule(s) will not run (${handWritten.map((r) => r.name).join(', ')}): ${why}`,
      });
    }
    // A rule is from the packs only when the plan has packs, so their path is always known here.
    if (packs && fromPacks.length > 0) {
      const ids = fromPacks.map((r) => `'${packIds.get(r.name)}'`).join(', ');
      outcomes.push({
        status: 'non-compliant',
        path: packs.path,
        message: `${fromPacks.length} k8s_audit pack rule(s) will not run (${fromPacks.map((r) => r.name).join(', ')}): ${why}; `
          + `to stop shipping them, disable them with packs.disabledRules: [${ids}]`,
      });
    }
    return outcomes;
  },
};
