import { AUDIT_CONTROL_PLANE_LOGS } from './audit-control-plane-logs';
import { AUDIT_MANAGED_CONTROL_PLANE } from './audit-managed-control-plane';
import { CHAT_THRESHOLD } from './chat-threshold';
import { DURABLE_DESTINATION } from './durable-destination';
import { FALCO_AUDIT_RULES_SOURCE } from './falco-audit-rules-source';
import { FALCO_CUSTOM_RULES_LOAD } from './falco-custom-rules-load';
import { FALCO_CUSTOM_RULES_WARNINGS } from './falco-custom-rules-warnings';
import { FALCO_LEAST_PRIVILEGE } from './falco-least-privilege';
import type { Check } from './finding';
import { PACK_RESPONSE_HOOKS } from './pack-response-hooks';
import { RULE_OWNER } from './rule-owner';
import { TETRAGON_SENSOR_OWNERSHIP } from './tetragon-sensor-ownership';
import { UNOWNED_ALERTS } from './unowned-alerts';
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
