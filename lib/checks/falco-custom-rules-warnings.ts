import { diagnosticOutcomes } from './falco-custom-rules-load';
import type { Check } from './finding';
import type { StackPlan } from '../stack/plan';

/** Falco loads these rules but warns (e.g. LOAD_NO_EVTTYPE: a rule that runs on every event). */
export const FALCO_CUSTOM_RULES_WARNINGS: Check<StackPlan> = {
  id: 'DS-FALCO-103',
  level: 'warning',
  title: 'Falco would warn when loading the custom rules',
  fix: 'change the rule as the warning says (e.g. restrict evt.type), or suppress DS-FALCO-103 for that rule with the reason',
  evaluate: (plan) => diagnosticOutcomes(plan, 'warning'),
};
