/**
 * Diagnostics of the rules loader: every error and warning has a stable code, a place
 * (file, 1-based line and column) and a message in the words Falco users know.
 */

import { RULE_LANGUAGE_CODES } from '../../core/error-codes/rule-language';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** A stable code from {@link DIAGNOSTIC_CODES}. */
  readonly code: DiagnosticCode;
  readonly message: string;
  /** The file name as given to the loader. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The rule, macro or list the diagnostic is about, when there is one. */
  readonly item?: { readonly kind: 'rule' | 'macro' | 'list'; readonly name: string };
}

/**
 * Every code with the Falco load-result category it corresponds to, its level, meaning and fix: the rule-language
 * part of the registry in `lib/core/error-codes` (register a new code there).
 */
export const DIAGNOSTIC_CODES = RULE_LANGUAGE_CODES;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** `file:line:col: error CODE message`, the format of the CLI and of compilers. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code} ${d.message}`;
}
