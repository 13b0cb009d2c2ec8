import * as fc from 'fast-check';
import { parse } from 'yaml';
import { and, inList, macro, print, readRuleItems, renderRulesYaml, RulesFileItem } from '../../../lib/falco';

describe('renderRulesYaml', () => {
  test('GIVEN typed items WHEN rendered THEN the YAML has Falco keys in file order', () => {
    const items: RulesFileItem[] = [
      { kind: 'required_engine_version', version: '0.50.0' },
      { kind: 'list', name: 'team_namespaces', items: ['billing', '22'] },
      { kind: 'macro', name: 'in_team_ns', condition: print(inList('k8s.ns.name', ['billing', 'a b'])) },
      {
        kind: 'rule',
        name: 'Shell in team namespace',
        desc: 'a shell',
        condition: print(and(macro('spawned_process'), macro('in_team_ns'))),
        output: 'shell (user=%user.name)',
        priority: 'INFORMATIONAL',
        tags: ['shell'],
        skipIfUnknownFilter: true,
        exceptions: [{ name: 'known', fields: ['proc.name', 'k8s.ns.name'], comps: ['=', 'in'], values: [['bash', ['x', 'y']]] }],
      },
      { kind: 'rule', name: 'Old rule', enabled: false },
    ];
    const text = renderRulesYaml(items);
    expect(parse(text)).toEqual([
      { required_engine_version: '0.50.0' },
      { list: 'team_namespaces', items: ['billing', '22'] },
      { macro: 'in_team_ns', condition: 'k8s.ns.name in ("billing", "a b")' },
      {
        'rule': 'Shell in team namespace',
        'desc': 'a shell',
        'condition': 'spawned_process and in_team_ns',
        'output': 'shell (user=%user.name)',
        'priority': 'INFO',
        'tags': ['shell'],
        'exceptions': [{ name: 'known', fields: ['proc.name', 'k8s.ns.name'], comps: ['=', 'in'], values: [['bash', ['x', 'y']]] }],
        'skip-if-unknown-filter': true,
      },
      { rule: 'Old rule', enabled: false },
    ]);
    expect(text).toContain('items: [billing, "22"]');
  });
});

describe('renderRulesYaml round trip (property-based)', () => {
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    fc.constantFrom('null', '~', 'true', 'no', '22', '0x1F', '1e3', '- a', 'a: b', '#x', ' lead', 'trail ', 'multi\nline', '"q"', "'s'", '[x]', '{y}', '*a', '&b', '!t', '%p', '@'),
  ).filter((s) => s.trim().length > 0 && !s.includes('\0'));

  test('GIVEN any names, items, tags and texts WHEN rendered and read THEN the items are equal', () => {
    fc.assert(fc.property(text, fc.array(text, { maxLength: 4 }), text, fc.array(text, { maxLength: 3 }), (name, items, desc, tags) => {
      const model: RulesFileItem[] = [
        { kind: 'list', name, items },
        { kind: 'macro', name, condition: desc },
        { kind: 'rule', name, desc, condition: desc, output: desc.trim(), priority: 'CRITICAL', tags, exceptions: [{ name, fields: [name], comps: ['='], values: [[desc]] }] },
      ];
      const read = readRuleItems({ name: 'gen.yaml', content: renderRulesYaml(model) });
      expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(read.items).toEqual(model);
    }), { numRuns: 300 });
  });
});
