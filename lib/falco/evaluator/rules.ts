import { EvaluatorRule, RuleEvaluator, RuleEvaluatorOptions } from './evaluator';
import { formatDiagnostic } from '../rules/diagnostics';
import { LoadResult, RuleFileInput, Ruleset, loadRuleFiles } from '../rules/loader';

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
  readonly result: LoadResult;
}

/** Loads rules files in order, as `falco -r a -r b` does (the caller reads them). */
export function loadRulesForEvaluation(inputs: readonly RuleFileInput[]): RulesForEvaluation {
  const result = loadRuleFiles(inputs);
  return {
    rules: result.ruleset.rules,
    errors: result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
    warnings: result.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic),
    result,
  };
}
