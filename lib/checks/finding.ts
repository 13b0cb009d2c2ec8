import { ERROR_CODES, StackCode } from '../core/error-codes';

/** How serious a guardrail finding is: `error` fails synth, `warning` and `info` are reported. */
export type FindingLevel = 'error' | 'warning' | 'info';

/** One guardrail result that needs attention. */
export interface Finding {
  /** Stable check ID, e.g. `DS-ROUTE-001`. */
  readonly id: string;
  readonly level: FindingLevel;
  /** Construct path (and prop path inside it) the finding is about. */
  readonly path: string;
  readonly message: string;
  /** What to change to comply. */
  readonly fix: string;
}

/** Silences one check, optionally only at one path. A reason is mandatory. */
export interface Suppression {
  /** The check ID to suppress. */
  readonly id: string;
  /** Suppress only findings at this path (exact match). @default every path */
  readonly path?: string;
  /** Why this is acceptable; reviewed like code. */
  readonly reason: string;
}

/** What one check says about one place (cdk-nag style). */
export type CheckOutcome =
  | { readonly status: 'compliant'; readonly path: string }
  | { readonly status: 'not-applicable'; readonly path: string }
  | { readonly status: 'non-compliant'; readonly path: string; readonly message: string };

/** A guardrail: a pure function from a subject (usually the stack plan) to outcomes. */
export interface Check<S> {
  readonly id: string;
  readonly level: FindingLevel;
  /** One line: what the check protects against. */
  readonly title: string;
  /** How to comply. */
  readonly fix: string;
  evaluate(subject: S): CheckOutcome[];
}

/** The registered part of a check: its ID, and its level, title and fix as the code registry states them. */
export function registeredCheck(id: StackCode): Pick<Check<unknown>, 'id' | 'level' | 'title' | 'fix'> {
  const entry = ERROR_CODES[id];
  return { id, level: entry.level, title: entry.meaning, fix: entry.fix };
}
