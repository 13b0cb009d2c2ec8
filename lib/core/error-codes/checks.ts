import { defineCodes } from './entry';

/** Running the guardrails (lib/checks/run.ts). */
export const CHECK_CODES = defineCodes({
  'DS-CHECK-001': { level: 'error', meaning: 'a suppression has no meaningful reason', fix: 'give a reason of at least 10 characters saying why the risk is accepted' },
  'DS-CHECK-002': { level: 'error', meaning: 'a suppression names a check ID that does not exist', fix: 'use one of the check IDs the message lists' },
});
