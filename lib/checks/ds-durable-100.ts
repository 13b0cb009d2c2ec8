import type { Check } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/** Falcosidekick keeps no buffer: without a durable destination an outage of the outputs loses alerts for good. */
export const DURABLE_DESTINATION: Check<StackPlan> = {
  ...registeredCheck('DS-DURABLE-100'),
  evaluate(plan) {
    const path = `${plan.path}/durable`;
    if (plan.durable?.shipper) return [{ status: 'compliant', path }];
    if (plan.durable?.waivedBecause) return [{ status: 'not-applicable', path }];
    return [{ status: 'non-compliant', path, message: 'no durable bucket is configured, so an alert lost by its outputs is lost for good' }];
  },
};
