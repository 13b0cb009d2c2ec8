import type { StackCode } from './error-codes';
import { DetectionStackError } from './errors';

/** An explicit, reviewed exception to a secure default. */
export interface NamedOptOut {
  /** Why the exception is acceptable (at least 10 characters). */
  readonly reason: string;
}

/** Throws unless an opt-out carries a meaningful reason. */
export function requireReason(where: string, optOut: NamedOptOut | undefined, code: StackCode = 'DS-ROUTE-004'): void {
  if (optOut === undefined) return;
  if (typeof optOut.reason !== 'string' || optOut.reason.trim().length < 10) {
    throw new DetectionStackError(code, where, 'an explicit exception needs a reason',
      'give { reason: \'...\' } of at least 10 characters saying why the risk is accepted');
  }
}
