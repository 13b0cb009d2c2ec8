import { diagnosticOutcomes } from './custom-rules-load';
import type { Check } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/** What Falco would refuse when a node loads the rules is refused at synth instead. */
export const FALCO_CUSTOM_RULES_LOAD: Check<StackPlan> = {
  ...registeredCheck('DS-FALCO-102'),
  evaluate: (plan) => diagnosticOutcomes(plan, 'error'),
};
