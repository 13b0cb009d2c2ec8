import type { Check, CheckOutcome } from './finding';
import { registeredCheck } from './finding';
import { priorityRank } from '../falco/rules/model';
import type { RuleItem } from '../falco/rules/model';
import type { StackPlan } from '../stack/plan';

const RESPONSE_TAG = 'response:';
const HIGH_CONFIDENCE_TAG = 'confidence:high';

/**
 * An automated response (Falco Talon and the like, matched on the `response:<action>` tag) acts
 * without a person: it may only hang off rules that are both sure (`confidence:high`) and severe
 * (CRITICAL or above), and only when enabled by name.
 */
export const PACK_RESPONSE_HOOKS: Check<StackPlan> = {
  ...registeredCheck('DS-PACK-101'),
  evaluate(plan) {
    const items = [...(plan.falco?.rules.items ?? []), ...(plan.falco?.auditRules.items ?? [])];
    const packRules = new Map((plan.packs?.rules ?? []).map((r) => [r.name, r.id]));
    // A pack rule's hook is set in packs.responseHooks, a hand-written rule's tag in its customRules entry.
    const path = (i: number) => {
      const name = (items[i] as RuleItem).name;
      const id = packRules.get(name);
      if (plan.packs && id !== undefined) return `${plan.packs.path}.responseHooks.${id}`;
      return `${plan.path}/sensors.falco.customRules[${plan.falco?.customRules.findIndex((r) => r.name === name) ?? i}]`;
    };
    const outcomes: CheckOutcome[] = [];
    items.forEach((item, i) => {
      if (item.kind !== 'rule') return;
      const hooks = (item.tags ?? []).filter((t) => t.startsWith(RESPONSE_TAG));
      if (hooks.length === 0) return;
      const problems: string[] = [];
      if (!(item.tags ?? []).includes(HIGH_CONFIDENCE_TAG)) problems.push('is not tagged confidence:high');
      if (!item.priority || priorityRank(item.priority) > priorityRank('CRITICAL')) {
        problems.push(`has priority ${item.priority ?? '(none)'}, below CRITICAL`);
      }
      outcomes.push(problems.length === 0
        ? { status: 'compliant', path: path(i) }
        : { status: 'non-compliant', path: path(i), message: `rule '${item.name}' carries ${hooks.join(', ')} but ${problems.join(' and ')}` });
    });
    return outcomes.length > 0 ? outcomes : [{ status: 'not-applicable', path: `${plan.path}/sensors.falco.customRules` }];
  },
};
