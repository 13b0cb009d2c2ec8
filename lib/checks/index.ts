import { AUDIT_MANAGED_CONTROL_PLANE } from './ds-audit-101';
import { AUDIT_CONTROL_PLANE_LOGS } from './ds-audit-102';
import { DURABLE_DESTINATION } from './ds-durable-100';
import { FALCO_LEAST_PRIVILEGE } from './ds-falco-101';
import { FALCO_CUSTOM_RULES_LOAD } from './ds-falco-102';
import { FALCO_CUSTOM_RULES_WARNINGS } from './ds-falco-103';
import { FALCO_AUDIT_RULES_SOURCE } from './ds-falco-104';
import { PACK_RESPONSE_HOOKS } from './ds-pack-101';
import { CHAT_THRESHOLD } from './ds-route-100';
import { RULE_OWNER } from './ds-route-101';
import { UNOWNED_ALERTS } from './ds-route-102';
import { TETRAGON_SENSOR_OWNERSHIP } from './ds-tetra-101';
import type { Check } from './finding';
import type { StackPlan } from '../stack/plan';

export * from './finding';
export * from './run';

/** Every guardrail that runs on a stack plan, one check per file in this folder. */
export const STACK_CHECKS: readonly Check<StackPlan>[] = [
  AUDIT_MANAGED_CONTROL_PLANE,
  AUDIT_CONTROL_PLANE_LOGS,
  FALCO_LEAST_PRIVILEGE,
  FALCO_CUSTOM_RULES_LOAD,
  FALCO_CUSTOM_RULES_WARNINGS,
  FALCO_AUDIT_RULES_SOURCE,
  TETRAGON_SENSOR_OWNERSHIP,
  DURABLE_DESTINATION,
  CHAT_THRESHOLD,
  RULE_OWNER,
  UNOWNED_ALERTS,
  PACK_RESPONSE_HOOKS,
];
