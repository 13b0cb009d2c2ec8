import { falcoValidate, FalcoMessage, scratchDir } from './falco-support';
import { mapLimit } from './falco-sysdig-support';
import { DIAGNOSTIC_CODES } from '../../lib/falco/rules/diagnostics';
import { loadRuleFiles } from '../../lib/falco/rules/loader';

/**
 * Where a problem of a rule's output is placed, judged by real `falco -V` 0.44.1: an output it cannot compile
 * (LOAD_ERR_COMPILE_OUTPUT, our OUTPUT_UNKNOWN_FIELD) is placed at the start of the output's YAML value, its quote or
 * block indicator, wherever the token is in it and however the value is written; a skipped rule's LOAD_UNKNOWN_FILTER
 * the same; the %container.info deprecation at the rule. Falco names the token in no message ("unknown filter:
 * unexpected token after '"), ours does.
 */

const rule = (name: string, output: string, extra = ''): string =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = open\n  output: ${output}\n  priority: WARNING\n${extra}`;

interface Case {
  readonly name: string;
  readonly content: string;
  /** The code real Falco gives, and ours. */
  readonly falco: string;
  readonly ours: string;
  readonly severity: 'error' | 'warning';
}

const CASES: readonly Case[] = [
  ['field at the start, quoted', rule('r', '"%proc.nmae start"')],
  ['field in the middle, quoted', rule('r', '"a b %proc.nmae mid"')],
  ['field at the end, plain', rule('r', 'a b c %proc.nmae')],
  ['field at the end, single-quoted', rule('r', '\'a b c %proc.nmae\'')],
  ['%{field} form', rule('r', '"x %{proc.nmae} y"')],
  ['%{field} form of a known field', rule('r', '"x %{proc.name} y"')],
  ['folded block, second line', rule('r', '>\n    line one %proc.name\n    line two %proc.nmae')],
  ['literal block, indented second line', rule('r', '|\n    line one %proc.name\n      line two %proc.nmae')],
  ['quoted over two lines', rule('r', '"line one %proc.name\n    line two %proc.nmae"')],
  ['plain over two lines', rule('r', 'line one %proc.name\n    line two %proc.nmae')],
  ['a stray percent', rule('r', '"100% of %proc.name"')],
  ['a transformer over an unknown field', rule('r', '"x %toupper(proc.nmae)"')],
  ['a second rule, indented by a comment line', `${rule('ok', '"fine %proc.name"')}# comment\n${rule('r', '   "spaced %proc.nmae"')}`],
].map(([name, content]) => ({ name, content, falco: 'LOAD_ERR_COMPILE_OUTPUT', ours: 'OUTPUT_UNKNOWN_FIELD', severity: 'error' as const }));

const WARNING_CASES: readonly Case[] = [
  {
    name: 'skip-if-unknown-filter with an unknown output field',
    content: rule('r', '"ok %proc.nmae"', '  skip-if-unknown-filter: true\n'),
    falco: 'LOAD_UNKNOWN_FILTER',
    ours: 'LOAD_UNKNOWN_FILTER',
    severity: 'warning',
  },
  {
    name: '%container.info in a folded output',
    content: rule('r', '>\n    ok %proc.name\n    info %container.info'),
    falco: 'LOAD_DEPRECATED_ITEM',
    ours: 'LOAD_DEPRECATED_ITEM',
    severity: 'warning',
  },
];

/** The documented difference: an output changed by an override is placed by Falco at the rule's first output. */
const OVERRIDDEN = (how: 'append' | 'replace'): string =>
  `${rule('r', '"ok %proc.name"')}- rule: r\n  override:\n    output: ${how}\n  output: "bad %proc.nmae"\n`;

describe('real Falco 0.44.1 places output problems where our loader does', () => {
  const scratch = scratchDir('ds-output-positions-');
  afterAll(() => scratch.dispose());
  const falcoOf = new Map<string, FalcoMessage[]>();
  const all = [...CASES, ...WARNING_CASES, ...(['append', 'replace'] as const).map((how) => ({ name: `override ${how}`, content: OVERRIDDEN(how) }))];

  beforeAll(async () => {
    const results = await mapLimit(all, 2, (c, i) => falcoValidate([scratch.write(`case-${i}.yaml`, c.content)]));
    all.forEach((c, i) => falcoOf.set(c.name, [...results[i][0].errors, ...results[i][0].warnings.filter((w) => !w.code.startsWith('LOAD_UNUSED_'))]));
  }, 120_000);

  function ours(c: { readonly name: string; readonly content: string }) {
    const file = `${scratch.dir}/case-${all.indexOf(c as (typeof all)[number])}.yaml`;
    return loadRuleFiles([{ name: file, content: c.content }]).diagnostics.filter((d) => !d.code.startsWith('LOAD_UNUSED_'));
  }

  test('our output code is registered as Falco\'s compile-output category', () => {
    expect(DIAGNOSTIC_CODES.OUTPUT_UNKNOWN_FIELD.falco).toBe('LOAD_ERR_COMPILE_OUTPUT');
  });

  test.each([...CASES, ...WARNING_CASES].map((c) => [c.name, c]))('%s', (_name, c) => {
    const [falco, ...moreFalco] = falcoOf.get(c.name) ?? [];
    expect({ code: falco?.code, more: moreFalco.length }).toEqual({ code: c.falco, more: 0 });
    const [mine, ...moreMine] = ours(c);
    expect({ severity: mine?.severity, code: mine?.code, more: moreMine.length }).toEqual({ severity: c.severity, code: c.ours, more: 0 });
    expect({ line: mine.line, col: mine.col }).toEqual({ line: falco.innermost?.line, col: falco.innermost?.col });
  });

  test.each(['append', 'replace'] as const)('override %s: Falco places it at the first output, we at the value with the token', (how) => {
    const c = all.find((x) => x.name === `override ${how}`) as (typeof all)[number];
    const [falco] = falcoOf.get(c.name) ?? [];
    expect({ code: falco?.code, line: falco?.innermost?.line, col: falco?.innermost?.col }).toEqual({ code: 'LOAD_ERR_COMPILE_OUTPUT', line: 4, col: 11 });
    const [mine] = ours(c);
    expect({ code: mine?.code, line: mine?.line, col: mine?.col }).toEqual({ code: 'OUTPUT_UNKNOWN_FIELD', line: 9, col: 11 });
    expect(mine.message).toContain('%proc.nmae');
  });
});
