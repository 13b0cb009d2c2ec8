import { FALCO_DEFAULT_RULES_NAMES, loadRuleFiles, LoadResult } from '../../../lib';
import { substitutedListNames } from '../../../lib/falco/language/list-paste';

/**
 * LOAD_UNUSED_MACRO and LOAD_UNUSED_LIST as Falco 0.44.1 gives them (falcosecurity/falco 0.44.1,
 * userspace/engine/rule_loader_compiler.cpp, `compile`): after a compilation with no error, macros then lists,
 * in definition order, at the item's definition. A list counts as used where its name is substituted into a
 * condition text (resolve_list) or named by a later list's item (compile_list_infos); a macro where a macro or a
 * compiled rule names it. test/conformance/falco-unused-items.test.ts has real Falco judge the same files.
 */

const rule = (condition: string, extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: "o %proc.name"\n  priority: WARNING\n${extra}`;
const load = (content: string, predefined = false): LoadResult =>
  loadRuleFiles([{ name: 'u.yaml', content }], predefined ? { predefined: FALCO_DEFAULT_RULES_NAMES } : {});
const unused = (r: LoadResult) => r.diagnostics.filter((d) => d.code.startsWith('LOAD_UNUSED')).map((d) => `${d.line}:${d.col} ${d.code} ${d.item?.name}`);

describe('unused macros and lists', () => {
  test('an unused macro, then an unused list, at their definitions, with Falco\'s message', () => {
    const r = load(`- list: ul\n  items: [a]\n- macro: um\n  condition: proc.name = a\n${rule('evt.type = open')}`);
    expect(unused(r)).toEqual(['3:3 LOAD_UNUSED_MACRO um', '1:3 LOAD_UNUSED_LIST ul']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['LOAD_UNUSED_MACRO', 'LOAD_UNUSED_LIST']);
    expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['warning', 'Macro not referred to by any other rule/macro'],
      ['warning', 'List not referred to by any other rule/macro'],
    ]);
    expect(r.ok).toBe(true);
  });

  test('used by a rule, by a macro (itself unused), by a later list, by a disabled rule: no warning for those', () => {
    const r = load([
      '- list: a\n  items: [x]', '- list: b\n  items: [a]', '- macro: inner\n  condition: proc.name in (b)',
      '- macro: outer\n  condition: inner', rule('evt.type = open', '  enabled: false\n'),
    ].join('\n') + '\n');
    expect(unused(r)).toEqual(['7:3 LOAD_UNUSED_MACRO outer']);
  });

  test('a list name between delimiters counts, even after `=` or inside quotes; glued to other characters it does not', () => {
    expect(unused(load(`- list: shells\n  items: [bash]\n${rule('evt.type = open and proc.cmdline contains "a shells b"')}`))).toEqual([]);
    expect(unused(load(`- list: shells\n  items: [bash]\n${rule('evt.type = open and proc.cmdline contains "shells x"')}`)))
      .toEqual(['1:3 LOAD_UNUSED_LIST shells']);
    expect(unused(load(`- list: shells\n  items: [bash]\n${rule('evt.type = open and proc.cmdline startswith myshells')}`)))
      .toEqual(['1:3 LOAD_UNUSED_LIST shells']);
  });

  test('an exception value naming a list uses it', () => {
    const ex = '  exceptions:\n    - name: e\n      fields: proc.name\n      values: [allowed]\n';
    expect(unused(load(`- list: allowed\n  items: [bash]\n${rule('evt.type = open', ex)}`))).toEqual([]);
  });

  test('a rule of an unknown source, or skipped at its output, uses nothing; skipped at its condition, it does', () => {
    expect(unused(load(`- macro: m\n  condition: x.y = 1\n${rule('evt.type = open and m', '  source: nosuch\n')}`))).toEqual(['1:3 LOAD_UNUSED_MACRO m']);
    const skippedAtOutput = `- macro: m\n  condition: proc.name = a\n${rule('evt.type = open and m').replace('o %proc.name', 'o %proc.nmae')}  skip-if-unknown-filter: true\n`;
    expect(unused(load(skippedAtOutput))).toEqual(['1:3 LOAD_UNUSED_MACRO m']);
    const skippedAtCondition = `- macro: m\n  condition: proc.name = a\n${rule('evt.type = open and m and proc.nmae = x')}  skip-if-unknown-filter: true\n`;
    expect(unused(load(skippedAtCondition))).toEqual([]);
  });

  test('a file with an error gets no unused warning (Falco stops before it judges them)', () => {
    const r = load(`- list: ul\n  items: [a]\n${rule('evt.type = open and proc.nmae = x')}`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['COND_UNKNOWN_FIELD']);
  });

  test('a name the default rules define is not judged: their rules may use it', () => {
    const r = load(`- list: shell_binaries\n  items: [bash]\n- macro: spawned_process\n  condition: evt.type = execve\n- list: mine\n  items: [a]\n${rule('evt.type = open')}`, true);
    expect(unused(r)).toEqual(['5:3 LOAD_UNUSED_LIST mine']);
  });

  test('items a list pastes can name a list Falco tries after it, not one it tried before', () => {
    const lists = [{ name: 'early', items: ['e'] }, { name: 'outer', items: ['late', 'early'] }, { name: 'late', items: ['z'] }];
    const order = new Map(lists.map((l, i) => [l.name, i]));
    expect(substitutedListNames('proc.name in (outer)', order, lists)).toEqual(['outer', 'late']);
    expect(substitutedListNames('proc.name=early or x in(outer)', order, lists)).toEqual(['early', 'outer', 'late']);
    expect(substitutedListNames('proc.name in ("outer")', order, lists)).toEqual([]);
  });
});
