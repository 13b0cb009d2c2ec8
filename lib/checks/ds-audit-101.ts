import type { Check } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/**
 * Managed control planes (OKE, EKS, AKS) take no audit.k8s.io Policy: say so at synth, and say
 * what the stack turns on instead, so nobody believes a policy file is in force.
 */
export const AUDIT_MANAGED_CONTROL_PLANE: Check<StackPlan> = {
  ...registeredCheck('DS-AUDIT-101'),
  evaluate(plan) {
    const path = `${plan.path}/audit.kubernetes`;
    if (!plan.audit || plan.audit.kubernetes.customPolicySupported) return [{ status: 'not-applicable', path }];
    return [{
      status: 'non-compliant',
      path,
      message: `${plan.profile.displayName} accepts no custom audit.k8s.io Policy; enabled instead: ${plan.audit.kubernetes.enabledInstead}`,
    }];
  },
};
