import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runValidateCommand } from '../../../lib/cli/validate';
import { RuleEvaluator } from '../../../lib/falco/evaluator/evaluator';
import { MAX_EXPANDED_DEPTH, MAX_EXPANDED_NODES } from '../../../lib/falco/rules/compiler';
import { loadRuleFiles } from '../../../lib/falco/rules/loader';

const load = (content: string) => loadRuleFiles([{ name: 'f.yaml', content }]);
const RULE = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
const macros = (n: number, body: (i: number) => string) =>
  ['- macro: m0\n  condition: evt.type = execve\n', ...Array.from({ length: n }, (_, k) => `- macro: m${k + 1}\n  condition: ${body(k + 1)}\n`)].join('');

describe('macro expansion is bounded', () => {
  test('a macro bomb (each macro uses the previous twice, 30 levels) is refused at the first macro over the bound', () => {
    const r = load(macros(30, (i) => `m${i - 1} or m${i - 1}`) + RULE('m30'));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col, d.item?.name])).toEqual([['COND_TOO_LARGE', 34, 14, 'm16']]);
    expect(r.diagnostics[0].message).toContain(`more than ${MAX_EXPANDED_NODES} nodes`);
    expect(r.ruleset.rules).toEqual([]);
  });

  test('an 8,000-deep chain of macros is one COND_TOO_DEEP with its place, not a stack overflow', () => {
    const r = load(macros(8000, (i) => `m${i - 1} and proc.pid = ${i}`) + RULE('m8000'));
    expect(r.diagnostics.map((d) => [d.code, d.item?.name])).toEqual([['COND_TOO_DEEP', `m${MAX_EXPANDED_DEPTH}`]]);
    expect(r.diagnostics[0]).toMatchObject({ file: 'f.yaml', line: 2 * MAX_EXPANDED_DEPTH + 2, col: 14 });
  });

  test('a chain under the bound loads and runs', () => {
    const r = load(macros(900, (i) => `m${i - 1} and not proc.pid = ${i}`) + RULE('m900'));
    expect(r.diagnostics).toEqual([]);
    const evaluator = new RuleEvaluator(r.ruleset.rules);
    expect(evaluator.evaluate({ 'evt.type': 'execve', 'proc.pid': 1000 }).length).toBe(1);
    expect(evaluator.evaluate({ 'evt.type': 'execve', 'proc.pid': 500 }).length).toBe(0);
  });

  test('a list of 200,000 items loads and matches', () => {
    const items = Array.from({ length: 200_000 }, (_, i) => `p${i}`);
    const r = load(`- list: big\n  items: [${items.join(', ')}]\n- list: bigger\n  items: [big, q]\n${RULE('evt.type = execve and proc.name in (bigger)')}`);
    expect(r.diagnostics).toEqual([]);
    const evaluator = new RuleEvaluator(r.ruleset.rules);
    expect(evaluator.evaluate({ 'evt.type': 'execve', 'proc.name': 'p199999' }).length).toBe(1);
    expect(evaluator.evaluate({ 'evt.type': 'execve', 'proc.name': 'x' }).length).toBe(0);
  });

  test('validate prints the diagnostic with its place (never CLI_INTERNAL)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ds-bounds-')), 'bomb.yaml');
    writeFileSync(file, macros(30, (i) => `m${i - 1} or m${i - 1}`) + RULE('m30'));
    let out = '';
    expect(runValidateCommand([file], { stdout: (t) => { out += t; }, stderr: (t) => { out += t; } })).toBe(1);
    expect(out).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:34:14: error COND_TOO_LARGE `));
    expect(out).not.toMatch(/CLI_INTERNAL/);
  });
});
