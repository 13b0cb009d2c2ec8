import { loadRuleFiles, LoadResult } from '../../../lib/falco';
import { parseEventsText } from '../../../lib/falco/evaluator/events';
import { MAX_ALIAS_EXPANSION } from '../../../lib/falco/rules/yaml-documents';

/**
 * Rules files as Falco's YAML reader (yaml-cpp) reads them: a UTF-8 byte order mark is skipped, and
 * anchors and aliases are node references (an alias is the node its anchor marks). Checked against
 * the real Falco 0.44.1: `falco -V` loads the BOM file of the first test and the aliases file of
 * the third with no error.
 */

const BOM = '\uFEFF';
const RULE = '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: opened %fd.name\n  priority: INFO\n';

function load(content: string): LoadResult {
  return loadRuleFiles([{ name: 'f.yaml', content }]);
}

function errors(result: LoadResult): string[] {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`);
}

describe('a UTF-8 byte order mark', () => {
  test('GIVEN a rules file starting with a BOM WHEN loaded THEN it loads as without it', () => {
    const result = load(BOM + RULE);
    expect(errors(result)).toEqual([]);
    expect(result.ruleset.rules.map((r) => r.name)).toEqual(['r']);
  });

  test('GIVEN a rules file with a BOM WHEN an item on line 1 is wrong THEN the column counts from after the BOM', () => {
    expect(errors(load(`${BOM}- required_engine_version: abc\n`))).toEqual([expect.stringMatching(/^f\.yaml:1:28 RULES_BAD_ENGINE_VERSION /)]);
    expect(errors(load(`${BOM}${RULE.replace('proc', 'x').replace('evt.type', 'proc.nmae')}`))).toEqual([expect.stringMatching(/^f\.yaml:3:14 COND_UNKNOWN_FIELD /)]);
    const bad = load(`${BOM}- rule: [x\n`);
    expect(bad.diagnostics[0]).toMatchObject({ code: 'RULES_YAML_SYNTAX' });
  });

  test('GIVEN an events file starting with a BOM WHEN read THEN its events are read, as JSON lines and as an array', () => {
    expect(parseEventsText(`${BOM}{"evt.type": "open"}\n{"evt.type": "close"}\n`, 'e.jsonl').map((e) => [e.line, e.event['evt.type']]))
      .toEqual([[1, 'open'], [2, 'close']]);
    expect(parseEventsText(`${BOM}[{"evt.type": "open"}]`, 'e.json').map((e) => e.event['evt.type'])).toEqual(['open']);
  });
});

describe('YAML anchors and aliases', () => {
  test('GIVEN `items: *x`, `condition: *c` and `output: *d` WHEN loaded THEN each alias reads as its anchored node', () => {
    const result = load([
      '- list: shells',
      '  items: &shells [bash, sh]',
      '- list: login_shells',
      '  items: *shells',
      '- macro: spawned',
      '  condition: &spawn evt.type = execve',
      '- rule: a',
      '  desc: a',
      '  condition: spawned and proc.name in (login_shells)',
      '  output: &out shell %proc.name started',
      '  priority: WARNING',
      '- rule: b',
      '  desc: b',
      '  condition: *spawn',
      '  output: *out',
      '  priority: WARNING',
      '',
    ].join('\n'));
    expect(errors(result)).toEqual([]);
    expect(result.ruleset.lists.get('login_shells')).toEqual(['bash', 'sh']);
    const b = result.ruleset.rules.find((r) => r.name === 'b');
    expect(b?.conditionText).toBe('evt.type = execve');
    expect(b?.output).toBe('shell %proc.name started');
    expect(result.files[0].items[1]).toEqual({ kind: 'list', name: 'login_shells', items: ['bash', 'sh'] });
  });

  test('GIVEN an anchored exception WHEN another rule aliases it THEN both rules have the exception', () => {
    const rule = (name: string, exceptions: string) => [
      `- rule: ${name}`, `  desc: ${name}`, '  condition: evt.type = execve', '  output: o', '  priority: INFO', `  exceptions: ${exceptions}`,
    ].join('\n');
    const result = load(`${rule('a', '&ex\n    - name: trusted\n      fields: [proc.name]\n      values: [[apt]]')}\n${rule('b', '*ex')}\n`);
    expect(errors(result)).toEqual([]);
    expect(result.ruleset.rules.map((r) => r.conditionText)).toEqual(['evt.type = execve', 'evt.type = execve']);
    const excepted = result.files[0].items.map((i) => (i.kind === 'rule' ? i.exceptions?.map((e) => e.values) : undefined));
    expect(excepted).toEqual([[[['apt']]], [[['apt']]]]);
  });

  test('GIVEN an alias whose anchor is missing or contains it WHEN loaded THEN a YAML error names the alias', () => {
    expect(errors(load('- list: a\n  items: *nowhere\n'))[0]).toMatch(/^f\.yaml:2:10 RULES_YAML_SYNTAX /);
    expect(errors(load('- list: a\n  items: &self [x, *self]\n'))[0]).toMatch(/^f\.yaml:2:20 RULES_YAML_SYNTAX .*cannot contain itself/);
  });

  test('GIVEN an alias bomb (billion laughs) in exception values WHEN loaded THEN it stops at the bound with an error at the alias', () => {
    const levels = ['    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++) levels.push(`    a${i}: &a${i} [${new Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const bomb = [
      '- list: bombs',
      '  items: []',
      '  defs:',
      ...levels,
      '- rule: r',
      '  desc: d',
      '  condition: evt.type = execve',
      '  output: o',
      '  priority: INFO',
      '  exceptions:',
      '    - name: e',
      '      fields: [proc.name]',
      '      values: *a9',
      '',
    ].join('\n');
    const result = load(bomb);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toHaveLength(1);
    const [error] = result.diagnostics;
    expect(error).toMatchObject({ severity: 'error', code: 'RULES_YAML_ALIAS_LIMIT', file: 'f.yaml' });
    expect(error.message).toContain(`more than ${MAX_ALIAS_EXPANSION} nodes`);
    // the alias that crosses the bound: 10 * 11 nodes per level, the limit is passed within level 5
    expect(error.line).toBeGreaterThanOrEqual(8);
    expect(error.line).toBeLessThanOrEqual(13);
  });

  test('GIVEN aliases adding up to the bound WHEN loaded THEN they are read', () => {
    const items = new Array(999).fill('x').join(', ');
    const lists = ['- list: base', `  items: &base [${items}]`];
    for (let i = 0; i < 99; i++) lists.push(`- list: copy${i}`, '  items: *base');
    const result = load(`${lists.join('\n')}\n`);
    expect(errors(result)).toEqual([]);
    expect(result.ruleset.lists.get('copy98')).toHaveLength(999);
  });
});

describe('YAML nesting (yaml-cpp DepthGuard<500>, checked against falco 0.44.1 in test/conformance/falco-hostile-files)', () => {
  const deepFlow = (n: number, inner = '') => `${RULE}- list: l\n  items: ${'['.repeat(n)}${inner}${']'.repeat(n)}\n`;
  const deepMaps = (n: number) => `${RULE}- list: l\n  items: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;

  test.each([
    ['flow sequences', deepFlow(497), deepFlow(498)],
    ['flow mappings', deepMaps(496), deepMaps(497)],
    ['a document that is only sequences, a scalar innermost', `${'['.repeat(498)}x${']'.repeat(498)}\n`, `${'['.repeat(499)}x${']'.repeat(499)}\n`],
  ])('GIVEN %s: 499 levels are read, 500 are a YAML error', (_name, deepest, tooDeep) => {
    expect(errors(load(deepest)).filter((e) => / RULES_YAML_SYNTAX /.test(e))).toEqual([]);
    expect(errors(load(tooDeep))).toEqual([expect.stringMatching(/^f\.yaml:\d+:\d+ RULES_YAML_SYNTAX YAML nested deeper than 499 levels: Falco's YAML reader \(yaml-cpp\) refuses it/)]);
  });

  test.each([
    ['10,000 flow sequences', deepFlow(10_000)],
    ['10,000 flow mappings', deepMaps(10_000)],
    ['3,000 block sequences', `${RULE}- list: l\n  items:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 2)}- `).join('\n')}x\n`],
  ])('GIVEN %s WHEN loaded THEN one YAML error at a place in the file, not a stack overflow', (_name, text) => {
    const result = load(text);
    expect(result.ok).toBe(false);
    expect(errors(result)).toEqual([expect.stringMatching(/^f\.yaml:\d+:\d+ RULES_YAML_SYNTAX YAML nested deeper than 499 levels/)]);
    expect(result.diagnostics[0].line).toBeGreaterThanOrEqual(7);
  });
});
