import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { isMap, isScalar, isSeq, Node, parseAllDocuments } from 'yaml';
import { parseBlockSubset, SUBSET_MAX_DEPTH } from '../../../lib/falco/rules/yaml-block-subset';
import { MAX_YAML_DEPTH } from '../../../lib/falco/rules/yaml-documents';

/** What the reader uses of a node: kinds, values, scalar styles and the source ranges it maps positions with. */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return { value: node.value, type: node.type, range: node.range?.slice(0, 2) };
  if (isSeq(node)) return { seq: node.items.map(shape), start: node.range?.[0] };
  if (isMap(node)) return { map: node.items.map((p) => [shape(p.key), shape(p.value)]), start: node.range?.[0] };
  return { other: String(node) };
}

/** The `yaml` library's reading (the reference), or undefined when it reports an error. */
function reference(text: string): unknown {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0)) return undefined;
  return list.map((d) => shape(d.contents as Node | null));
}

function fast(text: string): unknown {
  const documents = parseBlockSubset(text);
  return documents === undefined ? undefined : documents.map(shape);
}

const ACCEPTED = [
  '- rule: r\n  desc: a rule\n  condition: evt.type = open and fd.name startswith /etc\n  output: opened %fd.name (user=%user.name)\n  priority: WARNING\n  tags: [a, "b c", \'d\']\n',
  '# comment\n\n- list: l\n  items: [\n    a, b,\n    "c:d", pack:runtime\n  ]\n- list: empty\n  items: []\n',
  '- macro: m\n  condition: >\n    evt.type in (open, openat)\n     and more\n\n    and fd.name = x\n\n- macro: n\n  condition: |-\n    a\n\n    b\n# trailing\n',
  '- rule: r\n  condition: first line\n    second line\n\n    after blank  # comment\n  desc: d\n',
  'key:\n- a\n- b: c\n  d: e\n-\n  f: g\nother: ""\nempty:\nlast: \'it\'\'s\'\n',
  '- rule: r\n  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values:\n        - [bash, /tmp]\n        - [[a, b], "x\\"y\\\\z\\n"]\n',
  '',
  '# only a comment\n',
  '- a\n- b\n',
  'top: >-\n  folded\n  text\n',
];

const REFUSED = [
  ['an anchor and an alias', '- list: a\n  items: &x [a]\n- list: b\n  items: *x\n'],
  ['a tag', '- rule: !!str r\n'],
  ['a flow mapping', '- {rule: r}\n'],
  ['an explicit key', '? a\n: b\n'],
  ['two documents', '- a\n---\n- b\n'],
  ['a tab', '- rule:\tr\n'],
  ['CR line ends', '- rule: r\r\n'],
  ['a duplicate key (an error)', 'a: 1\na: 2\n'],
  ['a nested mapping on one line (an error)', 'a: b: c\n'],
  ['a multi-line quoted scalar', 'a: "x\n  y"\n'],
  ['an indentation indicator', 'a: |2\n   x\n'],
  ['bad indentation (an error)', 'a:\n  b: 1\n c: 2\n'],
  ['an unclosed flow sequence (an error)', 'a: [x, y\n'],
  ['a closing bracket left of its key (an error)', '- list: a\n  items: [\n    x\n ]\n'],
  ['a flow item at its key\'s indentation (an error)', '- list: a\n  items: [\n  x]\n'],
] as const;

describe('the fast reader of the block-style YAML subset', () => {
  test.each(ACCEPTED.map((text, i) => [i, text]))('GIVEN subset case %i WHEN read THEN it answers exactly as the yaml library', (_i, text) => {
    const expected = reference(text as string);
    expect(expected).toBeDefined();
    expect(fast(text as string)).toEqual(expected);
  });

  test('GIVEN the rules files of this package WHEN read THEN the fast reader answers, exactly as the yaml library', () => {
    const dir = join(__dirname, '..', '..', '..', 'rules');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect({ file: f, tree: fast(text) }).toEqual({ file: f, tree: reference(text) });
    }
  });

  test.each(REFUSED)('GIVEN %s WHEN read THEN the fast reader leaves it to the yaml library', (_what, text) => {
    expect(parseBlockSubset(text)).toBeUndefined();
  });

  test('GIVEN random rules-like YAML WHEN the fast reader answers THEN the yaml library reads the same, without errors', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_.]{0,6}$/);
    const safeText = fc.stringMatching(/^[a-z0-9][a-z0-9 =(),.%/_-]{0,20}[a-z0-9)]$/);
    const text = fc.oneof({ arbitrary: safeText, weight: 12 }, { arbitrary: fc.stringMatching(/^[a-z0-9 =(),.%/:_'"\\#-]{1,24}$/), weight: 1 });
    const key = fc.constantFrom('rule', 'desc', 'condition', 'output', 'items', 'priority', 'tags', 'a b', 'skip-if-unknown-filter', 'x');
    const space = fc.constantFrom('', ' ', '  ');
    const comment = fc.constantFrom('', '', ' # note', '  #x', '#bad');
    const flowItem = fc.oneof(word, text.map((t) => JSON.stringify(t)), text.map((t) => `'${t.replace(/'/g, "''")}'`), text);
    const flow = fc.tuple(fc.array(flowItem, { maxLength: 4 }), fc.boolean(), space).map(([items, multiLine, sp]) =>
      (multiLine ? `[\n      ${items.join(`,${sp}\n      `)}\n    ]` : `[${sp}${items.join(`,${sp}`)}${sp}]`));
    const block = fc.tuple(fc.constantFrom('|', '>', '|-', '>-'), fc.array(fc.tuple(fc.constantFrom('', '', '', ' ', '  '), text), { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([header, lines, blankInside]) => `${header}\n${lines.map(([extra, t], i) => `${blankInside && i === 1 ? '\n' : ''}      ${extra}${t}`).join('\n')}`);
    const plain = fc.tuple(text, fc.array(text, { maxLength: 2 }), fc.boolean())
      .map(([first, more, blank]) => [first, ...more].join(blank ? '\n\n      ' : '\n      '));
    const value = fc.oneof(plain, flow, block, text.map((t) => JSON.stringify(t)), fc.constant(''));
    const entry = fc.tuple(key, space, value, comment);
    const item = fc.uniqueArray(entry, { minLength: 1, maxLength: 5, selector: ([k]) => k })
      .map((entries) => `- ${entries.map(([k, sp, v, c]) => `${k}:${v === '' ? '' : ` ${sp}`}${v}${v.includes('\n') ? '' : c}`).join('\n  ')}`);
    const file = fc.tuple(fc.array(item, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '\n', '\n\n# end\n')).map(([items, end]) => items.join('\n') + end);
    let answered = 0;
    let runs = 0;
    fc.assert(fc.property(file, (yaml) => {
      runs++;
      const got = fast(yaml);
      if (got === undefined) return;
      answered++;
      expect(got).toEqual(reference(yaml));
    }), { numRuns: 1500, seed: 11 });
    // the property must not hold vacuously: most generated files are in the subset
    expect(answered).toBeGreaterThan(runs * 0.3);
  });
});

describe('the subset leaves deep documents to the yaml library, so its results need no depth check', () => {
  const nestings: [string, (levels: number) => string][] = [
    ['block mappings', (n) => `${Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}a:${i === n - 1 ? ' x' : ''}`).join('\n')}\n`],
    ['sequences at their key\'s column', (n) => `a:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- a:${i === n - 1 ? ' x' : ''}`).join('\n')}\n`],
    ['flow sequences', (n) => `a: ${'['.repeat(n)}x${']'.repeat(n)}\n`],
  ];

  test('what it may read nests far under the depth Falco allows', () => {
    expect(2 * SUBSET_MAX_DEPTH + 1).toBeLessThan(MAX_YAML_DEPTH);
  });

  test.each(nestings)('%s: 16 levels are read by the subset, 600 are not', (_form, nested) => {
    expect(parseBlockSubset(nested(16))).toBeDefined();
    expect(parseBlockSubset(nested(600))).toBeUndefined();
  });
});
