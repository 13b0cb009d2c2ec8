import type { Check, CheckOutcome } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/** An alert nobody owns is an alert nobody answers. */
export const RULE_OWNER: Check<StackPlan> = {
  ...registeredCheck('DS-ROUTE-101'),
  evaluate(plan) {
    const rules = plan.falco?.customRules ?? [];
    if (rules.length === 0) return [{ status: 'not-applicable', path: `${plan.path}/sensors.falco.customRules` }];
    const teams = new Set(plan.routing?.teams ?? []);
    return rules.map((rule, i): CheckOutcome => {
      const path = `${plan.path}/sensors.falco.customRules[${i}].owner`;
      const owner = rule.owner;
      if (typeof owner === 'object' && owner !== null && typeof owner.unowned === 'string' && owner.unowned.trim().length >= 10) {
        return { status: 'compliant', path };
      }
      if (typeof owner === 'string' && teams.has(owner)) return { status: 'compliant', path };
      const message = typeof owner === 'string'
        ? `rule '${rule.name}' is owned by '${owner}', which is not a team in routing.teams${teams.size ? ` (${[...teams].join(', ')})` : ''}`
        : `rule '${rule.name}' is declared unowned without a meaningful reason`;
      return { status: 'non-compliant', path, message };
    });
  },
};
