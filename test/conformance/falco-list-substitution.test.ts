import { readFileSync } from 'fs';
import { corpusPath } from './corpora';
import { falcoBinary, falcoListing, falcoRuleDetails, falcoValidate, scratchDir } from './falco-support';
import { loadRuleFiles } from '../../lib/falco/rules/loader';

/**
 * Falco's textual list substitution (rule_loader_compiler.cpp: compile_list_infos, resolve_list), judged by real
 * Falco 0.44.1: for each file, `falco -V` and our loader give the same verdict, and for a file that loads, every
 * list's items as Falco compiled them (`falco -L`, `details.items_compiled`) are our `ruleset.lists`. The upstream
 * rules files are compared the same way (every list of falco_rules.yaml).
 */

const rule = (condition: string) => `- rule: R\n  desc: d\n  condition: ${JSON.stringify(`evt.type = execve and ${condition}`)}\n  output: o\n  priority: WARNING\n`;
const list = (name: string, items: string, extra = '') => `- list: ${name}\n  items: ${items}\n${extra}`;

const CASES: Readonly<Record<string, string>> = {
  'after-eq-one-item': list('shells', '[bash]') + rule('proc.name = shells'),
  'after-eq-two-items': list('shells', '[bash, sh]') + rule('proc.name = shells'),
  'in-bare-one-item': list('shells', '[bash]') + rule('proc.name in shells'),
  'in-bare-two-items': list('shells', '[bash, sh]') + rule('proc.name in shells'),
  'in-bare-empty': list('none', '[]') + rule('proc.name in none'),
  'empty-with-comma': list('none', '[]') + rule('proc.name in (a, none) and proc.pname in (none, b)'),
  'inside-quotes-between-blanks': list('shells', '[bash, sh]') + rule('proc.cmdline contains "a shells b"'),
  'redefined-through-another': list('shells', '[bash, sh]') + list('paths', '[/tmp, /etc]') + list('shells', '[paths]') + list('paths', '[shells]')
    + rule('proc.name in (shells, paths)'),
  'nested-one-level': list('a', '[x]') + list('b', '[a, y]') + list('c', '[b, z]') + rule('proc.name in (c)'),
  'pasted-name-of-later-list': list('outer', '[inner, x]') + list('inner', '[bash]') + rule('proc.name in (outer)'),
  'appended-self': list('l', '[a]') + list('l', '[l]', '  override:\n    items: append\n') + rule('proc.name in (l)'),
  'quoted-and-netmask-items': list('nets', '["10.0.0.0/8", 192.168.0.0/16, "my net"]') + rule('fd.net in (nets) or proc.name in (nets)'),
};

const scratch = scratchDir('falco-list-substitution-');
afterAll(() => scratch.dispose());

describe('list substitution as real Falco 0.44.1 does it', () => {
  beforeAll(() => falcoBinary());

  test.each(Object.entries(CASES))('%s: the same verdict, and the same compiled items of every list', async (name, content) => {
    const path = scratch.write(`${name}.yaml`, content);
    const [falco] = await falcoValidate([path]);
    const ours = loadRuleFiles([{ name: path, content }]);
    expect({ ok: ours.ok }).toEqual({ ok: falco.successful });
    if (!falco.successful) return;
    const listed = await falcoListing([path]);
    expect(Object.fromEntries([...ours.ruleset.lists])).toEqual(Object.fromEntries(listed.lists.map((l) => [l.name, l.itemsCompiled])));
  });

  test('the cases include files Falco refuses and files it loads', async () => {
    const verdicts = await Promise.all(Object.entries(CASES).map(async ([name, content]) => (await falcoValidate([scratch.write(`v-${name}.yaml`, content)]))[0].successful));
    expect(verdicts.filter((ok) => !ok).length).toBeGreaterThanOrEqual(3);
    expect(verdicts.filter((ok) => ok).length).toBeGreaterThanOrEqual(6);
  });

  test('an item that changes the structure: real Falco loads the file and runs a condition with an `or` the rule never wrote; we refuse it', async () => {
    const content = list('product_namespaces', '[billing, "x)or(proc.name=bash"]') + rule('k8s.ns.name in (product_namespaces)');
    const path = scratch.write('structure-changing-item.yaml', content);
    const [falco] = await falcoValidate([path]);
    expect(falco.successful).toBe(true);
    const [details] = await falcoRuleDetails([path]);
    // the pasted item closed the parentheses: proc.name = bash now fires the rule on its own
    expect(details.conditionCompiled).toBe('((evt.type = execve and k8s.ns.name in (billing, x)) or proc.name = bash)');
    const ours = loadRuleFiles([{ name: path, content }]);
    expect(ours.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['COND_LIST_ITEM_STRUCTURE', 1, 3]]);
  });

  test('falco_rules.yaml: every list compiles to the items Falco compiles', async () => {
    const path = corpusPath('falco-rules', 'falco_rules.yaml');
    const ours = loadRuleFiles([{ name: path, content: readFileSync(path, 'utf8') }]);
    const listed = await falcoListing([path]);
    expect(listed.lists.length).toBeGreaterThan(40);
    expect(Object.fromEntries([...ours.ruleset.lists])).toEqual(Object.fromEntries(listed.lists.map((l) => [l.name, l.itemsCompiled])));
  });
});
