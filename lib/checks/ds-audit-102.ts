import type { Check } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/** Without control-plane audit logs, "who exec'd into this pod?" has no answer. */
export const AUDIT_CONTROL_PLANE_LOGS: Check<StackPlan> = {
  ...registeredCheck('DS-AUDIT-102'),
  evaluate(plan) {
    const path = `${plan.path}/audit.kubernetes.controlPlaneLogs`;
    if (!plan.audit) return [{ status: 'not-applicable', path }];
    if (plan.audit.kubernetes.controlPlaneLogs) return [{ status: 'compliant', path }];
    return [{ status: 'non-compliant', path, message: 'API-server audit events are not kept, so exec, RBAC and workload changes cannot be investigated' }];
  },
};
