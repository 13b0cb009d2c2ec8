import { RuleEvaluator } from '../../../lib/falco/evaluator/evaluator';
import { ConditionBuildError, listItem } from '../../../lib/falco/language/build';
import { pasteListItem, readPastedListItem } from '../../../lib/falco/language/list-paste';
import { loadRuleFiles } from '../../../lib/falco/rules/loader';

/**
 * Falco pastes list items into the condition text (falcosecurity/falco 0.44 userspace/engine/
 * rule_loader_compiler.cpp, resolve_list and quote_item): an item is read by the condition lexer.
 */
const RULE = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
const load = (content: string) => loadRuleFiles([{ name: 'f.yaml', content }]);

describe('list items as Falco pastes them', () => {
  test('an item that would change the condition\'s structure is an error at the list', () => {
    const r = load(`- list: product_namespaces\n  items: [billing, "x)or(proc.name=bash"]\n${RULE('evt.type = execve and k8s.ns.name in (product_namespaces)')}`);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col, d.item?.name])).toEqual([['COND_LIST_ITEM_STRUCTURE', 1, 3, 'product_namespaces']]);
    expect(r.diagnostics[0].message).toMatch(/item "x\)or\(proc\.name=bash".*reads as `x\.y in \(x\) or proc\.name = bash`/);
    expect(r.ruleset.rules).toEqual([]);
  });

  test('an item with a comma would be two values: an error', () => {
    const r = load(`- list: l\n  items: ["a,b"]\n${RULE('evt.type = execve and proc.name in (l)')}`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['COND_LIST_ITEM_STRUCTURE']);
    expect(r.diagnostics[0].message).toMatch(/reads as 2 values/);
  });

  test.each([
    ['with a space: quoted by Falco', 'my app', 'my app'],
    ['already quoted: read as the quoted string', '"10.0.0.0/8"', '10.0.0.0/8'],
    ['a netmask: one bare value', '10.0.0.0/8', '10.0.0.0/8'],
    ['single-quoted with a space', "'a b'", 'a b'],
    ['with a leading space: quoted, the space kept', ' bash', ' bash'],
  ])('an item %s', (_what, item, value) => {
    expect(readPastedListItem(item)).toEqual({ value });
  });

  test('quoting: only an item with a space that does not start with a quote', () => {
    expect(pasteListItem('a b')).toBe('"a b"');
    expect(pasteListItem('"a b"')).toBe('"a b"');
    expect(pasteListItem('ab')).toBe('ab');
  });

  test('netmask items in `in` match addresses of the network', () => {
    const r = load(`- list: nets\n  items: ["10.0.0.0/8", 192.168.0.0/16]\n${RULE('evt.type = connect and fd.snet in (nets)')}`);
    expect(r.diagnostics).toEqual([]);
    const evaluator = new RuleEvaluator(r.ruleset.rules);
    expect(evaluator.evaluate({ 'evt.type': 'connect', 'fd.snet': '10.1.2.3' }).length).toBe(1);
    expect(evaluator.evaluate({ 'evt.type': 'connect', 'fd.snet': '192.168.4.4' }).length).toBe(1);
    expect(evaluator.evaluate({ 'evt.type': 'connect', 'fd.snet': '11.0.0.1' }).length).toBe(0);
  });

  test('the builder refuses a list item that would change the structure', () => {
    expect(listItem('product_namespaces', ['billing', 'check out'])).toEqual({ kind: 'list', name: 'product_namespaces', items: ['billing', 'check out'] });
    expect(() => listItem('product_namespaces', ['billing', 'x)or(proc.name=bash'])).toThrow(ConditionBuildError);
    expect(() => listItem('product_namespaces', ['billing', 'x)or(proc.name=bash'])).toThrow(/item 1 of list 'product_namespaces' .*changes the condition's structure/);
    expect(() => listItem('l', ['a,b'])).toThrow(/reads as 2 values/);
  });
});

describe('Falco\'s textual list substitution (resolve_list), modelled exactly', () => {
  const lists = (body: string, condition: string) => load(`${body}${RULE(`evt.type = execve and ${condition}`)}`);
  const codes = (r: ReturnType<typeof load>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

  test('a list name after `=` is pasted as text: one item is a value, two are a syntax error at the name', () => {
    const one = lists('- list: shells\n  items: [bash]\n', 'proc.name = shells');
    expect(codes(one)).toEqual([]);
    expect(new RuleEvaluator(one.ruleset.rules).evaluate({ 'evt.type': 'execve', 'proc.name': 'bash' }).length).toBe(1);
    const two = lists('- list: shells\n  items: [bash, sh]\n', 'proc.name = shells');
    expect(two.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['COND_SYNTAX', 5, 48]]);
    expect(two.diagnostics[0].message).toMatch(/Falco pastes the items of list 'shells' here as text.*`evt\.type = execve and proc\.name = bash, sh `/);
  });

  test('`in name` without parentheses: one item reads as a value, two are a syntax error', () => {
    expect(codes(lists('- list: shells\n  items: [bash]\n', 'proc.name in shells'))).toEqual([]);
    expect(codes(lists('- list: shells\n  items: [bash, sh]\n', 'proc.name in shells'))).toEqual(['COND_SYNTAX']);
  });

  test('a name between blanks inside quotes is substituted too; one glued to a quote is not', () => {
    const r = lists('- list: shells\n  items: [bash, sh]\n', 'proc.cmdline contains "a shells b" and proc.cmdline contains "shells"');
    expect(codes(r)).toEqual([]);
    const evaluator = new RuleEvaluator(r.ruleset.rules);
    expect(evaluator.evaluate({ 'evt.type': 'execve', 'proc.cmdline': 'x a bash, sh b shells' }).length).toBe(1);
    expect(evaluator.evaluate({ 'evt.type': 'execve', 'proc.cmdline': 'x a shells b shells' }).length).toBe(0);
  });

  test('an empty list takes a comma with it', () => {
    const r = lists('- list: none\n  items: []\n', 'proc.name in (a, none) and proc.pname in (none, b)');
    expect(codes(r)).toEqual([]);
    expect(new RuleEvaluator(r.ruleset.rules).evaluate({ 'evt.type': 'execve', 'proc.name': 'a', 'proc.pname': 'b' }).length).toBe(1);
  });

  test('a list item naming a list defined before it takes that list\'s items as written, one level: no loop', () => {
    const r = load(`- list: shells\n  items: [bash, sh]\n- list: paths\n  items: [/tmp, /etc]\n- list: shells\n  items: [paths]\n- list: paths\n  items: [shells]\n${RULE('evt.type = execve and proc.name in (shells, paths)')}`);
    expect(codes(r)).toEqual([]);
    expect(r.ruleset.lists.get('shells')).toEqual(['shells']);
    expect(r.ruleset.lists.get('paths')).toEqual(['paths']);
  });

  test('items a list pastes that name a list Falco tries later are substituted in turn', () => {
    const r = load(`- list: outer\n  items: [inner, x]\n- list: inner\n  items: [bash]\n${RULE('evt.type = execve and proc.name in (outer)')}`);
    expect(codes(r)).toEqual([]);
    const evaluator = new RuleEvaluator(r.ruleset.rules);
    expect(evaluator.evaluate({ 'evt.type': 'execve', 'proc.name': 'bash' }).length).toBe(1);
    expect(evaluator.evaluate({ 'evt.type': 'execve', 'proc.name': 'inner' }).length).toBe(0);
  });
});
