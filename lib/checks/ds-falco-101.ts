import type { Check } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/**
 * CAP_SYS_ADMIN or a privileged container gives the sensor near-root power over the node: it must be a
 * visible decision (an opt-in, or AKS's perf_event_paranoid), reviewed like code.
 */
export const FALCO_LEAST_PRIVILEGE: Check<StackPlan> = {
  ...registeredCheck('DS-FALCO-101'),
  evaluate(plan) {
    const falco = plan.falco;
    if (!falco) return [{ status: 'not-applicable', path: `${plan.path}/sensors.falco` }];
    if (falco.security.escalations.length === 0) return [{ status: 'compliant', path: falco.path }];
    return [{ status: 'non-compliant', path: falco.path, message: falco.security.escalations.join('; ') }];
  },
};
