import { diagnosticOutcomes } from './custom-rules-load';
import type { Check } from './finding';
import { registeredCheck } from './finding';
import type { StackPlan } from '../stack/plan';

/** Falco loads these rules but warns (e.g. LOAD_NO_EVTTYPE: a rule that runs on every event). */
export const FALCO_CUSTOM_RULES_WARNINGS: Check<StackPlan> = {
  ...registeredCheck('DS-FALCO-103'),
  evaluate: (plan) => diagnosticOutcomes(plan, 'warning'),
};
