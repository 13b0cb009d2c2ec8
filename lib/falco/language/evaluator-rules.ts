import { readFileSync } from 'fs';
import { EvaluatorRule, RuleEvaluator, RuleEvaluatorOptions } from './evaluator';
import { formatDiagnostic } from '../rules/diagnostics';
import { LoadResult, Ruleset, loadRuleFiles } from '../rules/loader';

/** The glue between the rules loader and the evaluator. */

/** An evaluator over a loaded rule set (its rules in Falco's order; disabled ones are skipped). */
export function evaluatorForRuleset(ruleset: Ruleset, options: RuleEvaluatorOptions = {}): RuleEvaluator {
  return new RuleEvaluator(ruleset.rules, options);
}

/** What {@link loadRulesForEvaluation} gives: rules to run, or the loader's diagnostics. */
export interface RulesForEvaluation {
  readonly rules: readonly EvaluatorRule[];
  /** `file:line:col: error CODE message` lines; the rules must not be run when there are any. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly result?: LoadResult;
}

/** Reads and loads rules files in order, as `falco -r a -r b` does. */
export function loadRulesForEvaluation(paths: readonly string[]): RulesForEvaluation {
  const inputs: { name: string; content: string }[] = [];
  const errors: string[] = [];
  for (const name of paths) {
    try {
      inputs.push({ name, content: readFileSync(name, 'utf8') });
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      errors.push(`${name}:1:1: error RULES_FILE_READ cannot read the rules file: ${reason}`);
    }
  }
  if (errors.length > 0) return { rules: [], errors, warnings: [] };
  const result = loadRuleFiles(inputs);
  return {
    rules: result.ruleset.rules,
    errors: result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
    warnings: result.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic),
    result,
  };
}
