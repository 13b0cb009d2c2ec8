import { Check, Finding, Suppression } from './finding';
import { DetectionStackError } from '../core/errors';

/** The findings of a set of checks, with suppressions applied. */
export interface CheckReport {
  readonly findings: Finding[];
  /** Findings silenced by a suppression, kept for the record with its reason. */
  readonly suppressed: { readonly finding: Finding; readonly reason: string }[];
}

/**
 * Runs every check on the subject and applies suppressions (each must carry a reason). `where` is the construct
 * path the suppressions were given at (a stack plan's `path`), which an error about one of them names.
 */
export function runChecks<S>(checks: readonly Check<S>[], subject: S, suppressions: readonly Suppression[] = [], where?: string): CheckReport {
  const knownIds = new Set(checks.map((c) => c.id));
  const at = (i: number) => `${where === undefined ? '' : `${where}/`}suppressions[${i}]`;
  suppressions.forEach((s, i) => {
    if (!s.reason || s.reason.trim().length < 10) {
      throw new DetectionStackError('DS-CHECK-001', at(i),
        `suppression of ${s.id} has no meaningful reason`, 'give a reason of at least 10 characters saying why the risk is accepted');
    }
    if (!knownIds.has(s.id)) {
      throw new DetectionStackError('DS-CHECK-002', at(i),
        `unknown check ID '${s.id}'`, `use one of: ${[...knownIds].sort().join(', ')}`);
    }
  });
  const findings: Finding[] = [];
  const suppressed: { finding: Finding; reason: string }[] = [];
  for (const check of checks) {
    for (const outcome of check.evaluate(subject)) {
      if (outcome.status !== 'non-compliant') continue;
      const finding: Finding = { id: check.id, level: check.level, path: outcome.path, message: outcome.message, fix: check.fix };
      const match = suppressions.find((s) => s.id === check.id && (s.path === undefined || s.path === outcome.path));
      if (match) suppressed.push({ finding, reason: match.reason });
      else findings.push(finding);
    }
  }
  return { findings, suppressed };
}

/** One line per finding, as printed at synth. */
export function formatFinding(f: Finding): string {
  return `${f.level.toUpperCase()} ${f.id} at ${f.path}: ${f.message}. Fix: ${f.fix}`;
}
