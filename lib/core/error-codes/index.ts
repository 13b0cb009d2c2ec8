// The registry of every code the library and its command line report: level, meaning and fix, one problem per code.
// A new code is registered in its area's file (a new area gets a file and a line below); the README's tables
// are generated from here (`npx ts-node scripts/gen-error-codes.ts`).
import { AUDIT_CODES } from './audit';
import { CHECK_CODES } from './checks';
import { DURABLE_CODES } from './durable';
import { CodeEntry } from './entry';
import { FALCO_CODES } from './falco';
import { FLEET_CODES } from './fleet';
import { MONITORING_CODES } from './monitoring';
import { PACK_CODES } from './packs';
import { PROPS_CODES } from './props';
import { PULUMI_CODES } from './pulumi';
import { ROUTING_CODES } from './routing';
import { RULE_LANGUAGE_CODES } from './rule-language';
import { TETRAGON_CODES } from './tetragon';
import { BUILDER_CODES, CLI_CODES, EVALUATOR_CODES } from './tools';

export * from './entry';
export { RULE_LANGUAGE_CODES } from './rule-language';
export { BUILDER_CODES, CLI_CODES, EVALUATOR_CODES } from './tools';

/** The `DS-<AREA>-<NNN>` codes of stack definitions and their guardrails, area by area, as the README lists them. */
export const STACK_CODE_AREAS = {
  PROPS: PROPS_CODES,
  FALCO: FALCO_CODES,
  TETRA: TETRAGON_CODES,
  ROUTE: ROUTING_CODES,
  DURABLE: DURABLE_CODES,
  AUDIT: AUDIT_CODES,
  MON: MONITORING_CODES,
  PACK: PACK_CODES,
  PULUMI: PULUMI_CODES,
  FLEET: FLEET_CODES,
  CHECK: CHECK_CODES,
} as const;

/** Every registered code (no code is in two groups: test/core/error-codes.test.ts). */
export const ERROR_CODES = {
  ...PROPS_CODES,
  ...FALCO_CODES,
  ...TETRAGON_CODES,
  ...ROUTING_CODES,
  ...DURABLE_CODES,
  ...AUDIT_CODES,
  ...MONITORING_CODES,
  ...PACK_CODES,
  ...PULUMI_CODES,
  ...FLEET_CODES,
  ...CHECK_CODES,
  ...RULE_LANGUAGE_CODES,
  ...EVALUATOR_CODES,
  ...BUILDER_CODES,
  ...CLI_CODES,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
/** A code of a stack definition or guardrail, `DS-<AREA>-<NNN>`. */
export type StackCode = Extract<ErrorCode, `DS-${string}`>;

/** The registry entry of a code. */
export function codeInfo(code: ErrorCode): CodeEntry {
  return ERROR_CODES[code];
}

/** Whether a string is a registered code. */
export function isRegisteredCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
