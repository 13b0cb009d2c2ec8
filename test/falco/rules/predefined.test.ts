import {
  FALCO_DEFAULT_RULES_NAMES, K8SAUDIT_RULES_NAMES, loadRuleFiles, LoadResult, PredefinedNames, RuleEvaluator,
} from '../../../lib';

/**
 * Custom rules are loaded after Falco's default rules on a node. Without that file, the names it defines
 * (generated facts, names only) are known and everything else in the custom rules is checked.
 */

const loadAfterDefaults = (content: string, predefined: PredefinedNames = FALCO_DEFAULT_RULES_NAMES): LoadResult =>
  loadRuleFiles([{ name: 'custom.yaml', content }], { predefined });
const found = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);

const rule = (condition: string, output = 'x %proc.name') => `
- rule: custom
  desc: d
  condition: ${condition}
  output: "${output}"
  priority: WARNING
`;

describe('custom rules that use the default macros and lists', () => {
  test('the generated facts name the default macros, lists and rules', () => {
    expect(FALCO_DEFAULT_RULES_NAMES.macros).toContain('spawned_process');
    expect(FALCO_DEFAULT_RULES_NAMES.lists).toContain('shell_binaries');
    expect(FALCO_DEFAULT_RULES_NAMES.rules).toContain('Terminal shell in container');
    expect(K8SAUDIT_RULES_NAMES.source).toBe('k8s_audit');
  });

  test('a clean rule on default macros has no finding (and, not runnable alone, is not in the rule set)', () => {
    const r = loadAfterDefaults(rule('spawned_process and container and proc.name in (shell_binaries, apt)'));
    expect(r.diagnostics).toEqual([]);
    expect(r.ruleset.rules).toEqual([]);
  });

  test.each([
    ['spawned_process and container and proc.nmae in (apt, dpkg)', 'x', /^4:48 COND_UNKNOWN_FIELD .*proc\.nmae.*did you mean 'proc\.name'/],
    ['spawned_process and fd.sport = abc', 'x', /^4:45 COND_BAD_VALUE 'abc' is not a valid port .*for field fd\.sport/],
    ['spawned_proces and container', 'x', /^4:14 COND_UNDEFINED_MACRO Undefined macro 'spawned_proces' used in filter\. Did you mean 'spawned_process'\?$/],
    ['spawned_process', 'x %proc.nmae', /^5:11 OUTPUT_UNKNOWN_FIELD invalid formatting token %proc\.nmae/],
    ['spawned_process and proc.name in shell_binarie', 'x', /^4:47 COND_UNDEFINED_LIST Undefined list 'shell_binarie' used in filter\. Did you mean 'shell_binaries'\?$/],
  ])('%s / %s is found', (condition, output, expected) => {
    const errs = found(loadAfterDefaults(rule(condition, output)));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(expected);
  });

  test('without the facts, the same rule only says the macro is undefined', () => {
    const r = loadRuleFiles([{ name: 'custom.yaml', content: rule('spawned_process and fd.sport = abc') }]);
    expect(found(r).map((e) => e.split(' ')[1])).toEqual(['COND_UNDEFINED_MACRO']);
  });

  test('appends and overrides of default items are checked', () => {
    const r = loadAfterDefaults(`
- macro: container
  condition: and proc.pid = abc
  override:
    condition: append
- list: shell_binaries
  items: [zsh]
  override:
    items: append
- rule: Terminal shell in container
  condition: and not proc.nmae = x
  output: " %fd.nmae"
  override:
    condition: append
    output: append
- rule: Read sensitive file untrusted
  exceptions:
    - name: known_readers
      fields: [proc.nmae]
      values: [[a]]
    - name: an_existing_default_exception
      values: [[a, b]]
  override:
    exceptions: append
`);
    expect(found(r).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual([
      '18:7 RULES_EXCEPTION_UNKNOWN_FIELD',
      '3:29 COND_BAD_VALUE',
      '11:22 COND_UNKNOWN_FIELD',
      '12:11 OUTPUT_UNKNOWN_FIELD', // the value's quote, as falco -V places output errors
    ]);
  });

  test('a default rule redefined in full is an ordinary rule again: runnable', () => {
    const r = loadAfterDefaults(`
- rule: Terminal shell in container
  desc: mine
  condition: evt.type = execve and proc.name = bash
  output: "shell %proc.name"
  priority: NOTICE
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.ruleset.rules.map((x) => x.name)).toEqual(['Terminal shell in container']);
  });
});

describe('custom rules loaded after the default rules file itself', () => {
  const DEFAULTS = `
- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- rule: Shell spawned
  desc: a shell
  condition: spawned_process and proc.name in (shell_binaries)
  output: "shell %proc.name"
  priority: WARNING
`;
  const CUSTOM = `
- list: shell_binaries
  items: [zsh]
  override:
    items: append
- rule: Shell spawned
  exceptions:
    - name: ci_runner
      fields: [proc.pname]
      values: [[gitlab-runner]]
  override:
    exceptions: append
`;

  test('overrides, appends and exceptions of default rules are evaluable offline', () => {
    const r = loadRuleFiles([{ name: 'falco_rules.yaml', content: DEFAULTS }, { name: 'custom.yaml', content: CUSTOM }]);
    expect(r.diagnostics).toEqual([]);
    const evaluator = new RuleEvaluator(r.ruleset.rules);
    const fired = (e: Record<string, unknown>) => evaluator.evaluate({ 'evt.type': 'execve', ...e }).map((d) => d.rule);
    expect(fired({ 'proc.name': 'zsh', 'proc.pname': 'init' })).toEqual(['Shell spawned']);
    expect(fired({ 'proc.name': 'zsh', 'proc.pname': 'gitlab-runner' })).toEqual([]);
  });
});
