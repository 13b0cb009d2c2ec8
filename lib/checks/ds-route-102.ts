import type { Check } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/** With teams declared, alerts from every other namespace (and from hosts) would reach no one. */
export const UNOWNED_ALERTS: Check<StackPlan> = {
  ...registeredCheck('DS-ROUTE-102'),
  evaluate(plan) {
    const path = `${plan.path}/routing.unowned`;
    const am = plan.routing?.alertmanager;
    if (!am || am.teams.length === 0) return [{ status: 'not-applicable', path }];
    if (am.unowned.length > 0) return [{ status: 'compliant', path }];
    return [{
      status: 'non-compliant',
      path,
      message: `only the namespaces of ${am.teams.map((t) => t.name).join(', ')} are routed; alerts elsewhere (kube-system, hosts) only reach durable storage`,
    }];
  },
};
