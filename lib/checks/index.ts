import type { StackPlan } from '../stack/plan';
import type { Check } from './finding';

export * from './finding';
export * from './run';

/** Every guardrail that runs on a stack plan, one check per file in this folder. */
export const STACK_CHECKS: readonly Check<StackPlan>[] = [
];
