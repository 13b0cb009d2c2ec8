import { readdirSync, readFileSync } from 'fs';
import { parse } from 'yaml';
import { corpusPath } from './corpora';
import {
  loadRuleFiles, LoadResult, parseCondition, print, readRuleItems, renderRulesYaml, RuleFileInput, stripPositions,
} from '../../lib/falco';

/**
 * Every upstream rules file loads with no error and round-trips (emit, then load, gives the same
 * model and the same rule set). The GKE audit rules extend the k8saudit rules (they override
 * `Disallowed K8s User` and append to its lists), so, as Falco is configured for GKE, they are
 * loaded after k8s_audit_rules.yaml.
 */

const read = (dir: string, name: string): RuleFileInput => ({ name: `${dir}/${name}`, content: readFileSync(corpusPath(dir, name), 'utf8') });
const filesIn = (dir: string): string[] => readdirSync(corpusPath(dir)).filter((f) => f.endsWith('.yaml')).sort();

const LOAD_SETS: { readonly title: string; readonly files: readonly RuleFileInput[] }[] = [
  ...filesIn('falco-rules').map((f) => ({ title: f, files: [read('falco-rules', f)] })),
  ...filesIn('falco-plugin-rules').filter((f) => f !== 'k8s_audit_rules_gke.yaml').map((f) => ({ title: f, files: [read('falco-plugin-rules', f)] })),
  { title: 'k8s_audit_rules.yaml + k8s_audit_rules_gke.yaml', files: [read('falco-plugin-rules', 'k8s_audit_rules.yaml'), read('falco-plugin-rules', 'k8s_audit_rules_gke.yaml')] },
];

const summary = (r: LoadResult) => r.ruleset.rules.map((rule) => ({
  name: rule.name,
  enabled: rule.enabled,
  priority: rule.priority,
  source: rule.source,
  output: rule.output,
  tags: rule.tags,
  condition: print(rule.condition),
  eventTypes: rule.eventTypes,
}));

describe('upstream Falco rules files (corpora)', () => {
  test('the corpus has the stable, incubating and sandbox files and the three plugin files', () => {
    expect(filesIn('falco-rules')).toEqual(['falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml', 'falco_rules.yaml']);
    expect(filesIn('falco-plugin-rules')).toEqual(['aws_cloudtrail_rules.yaml', 'k8s_audit_rules.yaml', 'k8s_audit_rules_gke.yaml']);
  });

  describe.each(LOAD_SETS)('$title', ({ files }) => {
    const result = loadRuleFiles(files);

    test('loads with no error, and every rule defined is in the rule set', () => {
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const defined = new Set<string>();
      for (const f of files) {
        for (const item of parse(f.content) as Record<string, unknown>[]) {
          if (typeof item.rule === 'string' && typeof item.condition === 'string' && item.override === undefined && item.append === undefined) defined.add(item.rule);
        }
      }
      expect(result.ruleset.rules.map((r) => r.name).sort()).toEqual([...defined].sort());
    });

    test('every item round-trips: read, emit, read gives the same items', () => {
      for (const f of files) {
        const first = readRuleItems(f);
        const again = readRuleItems({ name: `${f.name} (emitted)`, content: renderRulesYaml(first.items) });
        expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(again.items).toEqual(first.items);
      }
    });

    test('the emitted files load to the same rule set', () => {
      const emitted = loadRuleFiles(result.files.map((f) => ({ name: `${f.name} (emitted)`, content: renderRulesYaml(f.items) })));
      expect(emitted.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(summary(emitted)).toEqual(summary(result));
    });

    test('every macro and rule condition prints to text that parses to the same tree', () => {
      for (const f of files) {
        for (const item of readRuleItems(f).items) {
          if ((item.kind === 'rule' || item.kind === 'macro') && item.condition) {
            const ast = parseCondition(item.condition);
            expect(stripPositions(parseCondition(print(ast)))).toEqual(stripPositions(ast));
          }
        }
      }
    });
  });

  test('the stable rules index syscall rules by event type (no rule without an evt.type restriction)', () => {
    const stable = loadRuleFiles([read('falco-rules', 'falco_rules.yaml')]);
    expect(stable.diagnostics.filter((d) => d.code === 'LOAD_NO_EVTTYPE')).toEqual([]);
    expect(stable.ruleset.rules.every((r) => r.eventTypes.kind === 'only' && r.eventTypes.types.length > 0)).toBe(true);
  });
});
