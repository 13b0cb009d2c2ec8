import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { FieldTypeInfo, RuleEvaluator } from '../../lib/falco/language/evaluator';
import { parseCondition } from '../../lib/falco/language/parser';
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
 * Types of the syscall and container-plugin fields the packs compare (as Falco 0.44.1 lists
 * them); every other field compares as a string, which is what it is.
 */
const FIELD_TYPES: Readonly<Record<string, FieldTypeInfo>> = {
  'user.uid': { type: 'UINT32', isList: false },
  'proc.vpid': { type: 'INT64', isList: false },
  'proc.tty': { type: 'UINT32', isList: false },
  'proc.is_exe_upper_layer': { type: 'BOOL', isList: false },
  'evt.is_open_write': { type: 'BOOL', isList: false },
  'fd.sport': { type: 'PORT', isList: false },
  'fd.sip': { type: 'IPADDR', isList: false },
  'fd.snet': { type: 'IPNET', isList: false },
};

/** An evaluator over the pack rules, in pack order, with Falco's default first-match semantics. */
export function packEvaluator(rules: readonly PackRule[]): RuleEvaluator {
  return new RuleEvaluator(rules.map((r) => ({
    name: r.name,
    condition: parseCondition(r.condition),
    output: r.output,
    priority: r.priority,
    source: r.source,
    enabled: r.enabled,
  })), { fieldTypes: (_source, name) => FIELD_TYPES[name] });
}
