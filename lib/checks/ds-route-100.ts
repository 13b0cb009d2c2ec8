import type { Check, CheckOutcome } from './finding';
import { registeredCheck } from './finding';
import { isBelow } from '../core/priorities';
import type { StackPlan } from '../stack/plan';

/** Chat flooded with low-confidence detections trains people to ignore it. */
export const CHAT_THRESHOLD: Check<StackPlan> = {
  ...registeredCheck('DS-ROUTE-100'),
  evaluate(plan) {
    const routing = plan.routing;
    if (!routing) return [{ status: 'not-applicable', path: `${plan.path}/routing` }];
    if (routing.chatDestinations.length === 0) return [{ status: 'not-applicable', path: `${plan.path}/routing` }];
    return routing.chatDestinations.map((d): CheckOutcome => {
      if (!isBelow(d.minimumPriority, routing.chatThreshold) || d.allowedBelowThresholdBecause) {
        return { status: 'compliant', path: d.where };
      }
      return {
        status: 'non-compliant',
        path: d.where,
        message: `${d.kind} gets ${d.minimumPriority} and above, below the chat threshold ${routing.chatThreshold}`,
      };
    });
  },
};
