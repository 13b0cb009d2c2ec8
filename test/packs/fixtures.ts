import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { RuleEvaluator } from '../../lib/falco/evaluator/evaluator';
import { evaluatorForRuleset } from '../../lib/falco/evaluator/rules';
import { formatDiagnostic } from '../../lib/falco/rules/diagnostics';
import { loadRuleFiles } from '../../lib/falco/rules/loader';
import { renderPackRulesFile } from '../../lib/packs/build';
import type { DetectionPackProps } from '../../lib/packs/props';
import type { PackRule } from '../../lib/packs/types';

export const RULES_DIR = join(__dirname, '..', '..', 'rules');

/** One case of a fixture file: an event and what it must (not) fire. */
export interface FixtureCase {
  readonly name: string;
  readonly event: Record<string, unknown>;
  /** For a near miss: the rule (ID) that fires instead, if any. */
  readonly firesInstead?: string;
}

/** `rules/<pack>/fixtures/<rule-id>.json`. */
export interface RuleFixture {
  readonly rule: string;
  /** Field values every syscall event of the file starts from (an event's own values win; null removes). */
  readonly defaults?: Record<string, unknown>;
  readonly fire: readonly FixtureCase[];
  readonly nearMiss: readonly FixtureCase[];
}

export function loadFixtures(pack: string): RuleFixture[] {
  const dir = join(RULES_DIR, pack, 'fixtures');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RuleFixture);
}

export function fixtureProps(): DetectionPackProps {
  return JSON.parse(readFileSync(join(RULES_DIR, 'fixture-props.json'), 'utf8')) as DetectionPackProps;
}

/** The event a case describes: the file's defaults overlaid by the case's fields. */
export function eventOf(fixture: RuleFixture, c: FixtureCase): Record<string, unknown> {
  return fixture.defaults ? { ...fixture.defaults, ...c.event } : c.event;
}

/**
 * The pack rules as Falco would load them: rendered to rules files (one per pack), loaded and
 * checked by the rules loader (unknown fields, bad values, missing macros), then run by the
 * evaluator with Falco's default first-match semantics and the catalogue's field types.
 */
export function loadPacks(rules: readonly PackRule[]): { evaluator: RuleEvaluator; diagnostics: string[] } {
  const files = (['runtime', 'k8s-audit'] as const).map((pack) => ({
    name: `rules/${pack}.yaml`,
    content: renderPackRulesFile(rules.filter((r) => r.pack === pack)),
  }));
  const result = loadRuleFiles(files);
  return { evaluator: evaluatorForRuleset(result.ruleset), diagnostics: result.diagnostics.map(formatDiagnostic) };
}
