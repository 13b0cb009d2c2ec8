import type { StackPlan } from '../stack/plan';
import { AUDIT_CONTROL_PLANE_LOGS } from './audit-control-plane-logs';
import { AUDIT_MANAGED_CONTROL_PLANE } from './audit-managed-control-plane';
import { CHAT_THRESHOLD } from './chat-threshold';
import { DURABLE_DESTINATION } from './durable-destination';
import { FALCO_LEAST_PRIVILEGE } from './falco-least-privilege';
import type { Check } from './finding';
import { PACK_RESPONSE_HOOKS } from './pack-response-hooks';
import { RULE_OWNER } from './rule-owner';
import { TETRAGON_SENSOR_OWNERSHIP } from './tetragon-sensor-ownership';
import { UNOWNED_ALERTS } from './unowned-alerts';

export * from './finding';
export * from './run';

/** Every guardrail that runs on a stack plan, one check per file in this folder. */
export const STACK_CHECKS: readonly Check<StackPlan>[] = [
  AUDIT_MANAGED_CONTROL_PLANE,
  AUDIT_CONTROL_PLANE_LOGS,
  FALCO_LEAST_PRIVILEGE,
  TETRAGON_SENSOR_OWNERSHIP,
  DURABLE_DESTINATION,
  CHAT_THRESHOLD,
  RULE_OWNER,
  UNOWNED_ALERTS,
  PACK_RESPONSE_HOOKS,
];
