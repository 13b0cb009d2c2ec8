import {
  Diagnostic, eventTypeMatches, loadRuleFiles, LoadResult, print, renderRulesYaml, readRuleItems, ResolvedRule,
} from '../../../lib/falco';

const load = (...contents: string[]): LoadResult => loadRuleFiles(contents.map((content, i) => ({ name: `f${i + 1}.yaml`, content })));
const errors = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === 'error');
const warnings = (r: LoadResult, code?: string): Diagnostic[] => r.diagnostics.filter((d) => d.severity === 'warning' && (!code || d.code === code));
const ruleNamed = (r: LoadResult, name: string): ResolvedRule => {
  const found = r.ruleset.rules.find((x) => x.name === name);
  if (!found) throw new Error(`no rule ${name}: ${JSON.stringify(r.diagnostics)}`);
  return found;
};

const BASE = `
- required_engine_version: 0.50.0
- list: shell_binaries
  items: [bash, sh]
- list: all_shells
  items: [shell_binaries, zsh]
- macro: spawned_process
  condition: evt.type = execve
- macro: shell_procs
  condition: proc.name in (shell_binaries)
- rule: Shell spawned
  desc: a shell
  condition: spawned_process and shell_procs
  output: "shell (user=%user.name cmd=%proc.cmdline)"
  priority: WARNING
  tags: [shell, mitre_execution]
`;

describe('loading semantics (Falco 0.44)', () => {
  test('GIVEN two files WHEN the second appends, overrides and disables THEN the ruleset reflects file order', () => {
    const second = `
- list: shell_binaries
  items: [fish]
  override:
    items: append
- macro: shell_procs
  condition: or proc.pname in (shell_binaries)
  override:
    condition: append
- rule: Shell spawned
  priority: ERROR
  enabled: false
  override:
    priority: replace
    enabled: replace
`;
    const r = load(BASE, second);
    expect(errors(r)).toEqual([]);
    expect(r.ruleset.lists.get('shell_binaries')).toEqual(['bash', 'sh', 'fish']);
    const rule = ruleNamed(r, 'Shell spawned');
    expect(rule).toMatchObject({ priority: 'ERROR', enabled: false, source: 'syscall', tags: ['shell', 'mitre_execution'] });
    expect(print(rule.condition)).toBe('evt.type = execve and (proc.name in (bash, sh, fish) or proc.pname in (bash, sh, fish))');
  });

  test('a list item naming an earlier list is expanded; a later one stays a plain item', () => {
    const r = load(`${BASE}
- list: early
  items: [later, x]
- list: later
  items: [y]
`);
    expect(r.ruleset.lists.get('all_shells')).toEqual(['bash', 'sh', 'zsh']);
    expect(r.ruleset.lists.get('early')).toEqual(['later', 'x']);
  });

  test('a rule may use a macro defined after it; a macro may not', () => {
    const ok = load(`
- rule: R
  desc: d
  condition: later_macro
  output: o
  priority: INFO
- macro: later_macro
  condition: evt.type = open
`);
    expect(errors(ok)).toEqual([]);
    expect(print(ruleNamed(ok, 'R').condition)).toBe('evt.type = open');
  });

  test('legacy append: true appends to the condition, with Falco\'s deprecation warning', () => {
    const r = load(BASE, '- rule: Shell spawned\n  condition: and proc.pname != sshd\n  append: true\n');
    expect(ruleNamed(r, 'Shell spawned').conditionText).toBe('spawned_process and shell_procs and proc.pname != sshd');
    // real falco -V (0.44.1) places it at the item's `rule:` key (0-based 0:2 in its JSON), not at `append:`
    expect(warnings(r, 'LOAD_DEPRECATED_ITEM')[0]).toMatchObject({ file: 'f2.yaml', line: 1, col: 3, message: expect.stringMatching(/'append' key is deprecated/) });
  });

  test('a standalone enabled item disables an earlier rule (deprecated, warned)', () => {
    const r = load(BASE, '- rule: Shell spawned\n  enabled: false\n');
    expect(ruleNamed(r, 'Shell spawned').enabled).toBe(false);
    expect(warnings(r, 'LOAD_DEPRECATED_ITEM')[0].message).toMatch(/standalone 'enabled' key usage is deprecated/);
  });

  test('a redefined rule keeps its place in the rule order', () => {
    const r = load(`${BASE}
- rule: Other
  desc: d
  condition: evt.type = open
  output: o
  priority: INFO
- rule: Shell spawned
  desc: again
  condition: evt.type = execve
  output: o
  priority: INFO
`);
    expect(r.ruleset.rules.map((x) => x.name)).toEqual(['Shell spawned', 'Other']);
    expect(ruleNamed(r, 'Shell spawned').desc).toBe('again');
  });

  test('exceptions are compiled into the condition as Falco does', () => {
    const r = load(`${BASE}
- rule: Shell spawned
  exceptions:
  - name: known_parents
    fields: [proc.pname, proc.cmdline]
    comps: [in, startswith]
    values:
    - [[cron, "my daemon"], /usr/bin/backup]
  - name: tools
    fields: proc.exepath
    values: [/opt/a b, /bin/x]
  override:
    exceptions: append
`);
    expect(errors(r)).toEqual([]);
    expect(print(ruleNamed(r, 'Shell spawned').condition)).toBe(
      '(evt.type = execve and proc.name in (bash, sh))'
      + ' and not (proc.pname in (cron, "my daemon") and proc.cmdline startswith /usr/bin/backup)'
      + ' and not proc.exepath in ("/opt/a b", /bin/x)',
    );
  });

  test('list items written with quotes are read as condition text, like Falco pastes them', () => {
    const r = load(`
- list: private_nets
  items: ['"10.0.0.0/8"', "192.168.0.0/16"]
- rule: R
  desc: d
  condition: evt.type = connect and fd.snet in (private_nets)
  output: o
  priority: NOTICE
`);
    expect(errors(r)).toEqual([]);
    const cond = ruleNamed(r, 'R').condition;
    expect(cond.kind === 'and' && cond.children[1].kind === 'binaryCheck' && cond.children[1].right).toMatchObject({
      kind: 'list', items: [{ value: '10.0.0.0/8' }, { value: '192.168.0.0/16' }],
    });
  });

  test('required_engine_version accepts the legacy integer and semver; the highest is kept', () => {
    const r = load('- required_engine_version: 10\n', '- required_engine_version: 0.31.0\n');
    expect(errors(r)).toEqual([]);
    expect(r.ruleset.requiredEngineVersion).toBe('0.31.0');
  });

  test('skip-if-unknown-filter turns an unknown field into a warning and skips the rule', () => {
    const r = load(`
- rule: R
  desc: d
  condition: evt.type = open and proc.future_field = x
  output: o
  priority: INFO
  skip-if-unknown-filter: true
`);
    expect(r.ok).toBe(true);
    expect(r.ruleset.rules).toEqual([]);
    expect(warnings(r, 'LOAD_UNKNOWN_FILTER')[0]).toMatchObject({ line: 4, col: 34 });
  });
});

describe('warnings do not fail loading', () => {
  test('no evt.type restriction, lower-case priority, deprecated evt.dir, unknown key, unknown source', () => {
    const r = load(`
- rule: Broad
  desc: d
  condition: proc.name = bash and evt.dir = <
  output: o
  priority: warning
  tag: [typo]
- rule: Okta
  desc: d
  condition: okta.actor.name = x
  output: o
  priority: INFO
  source: okta
`);
    expect(r.ok).toBe(true);
    expect(warnings(r).map((w) => [w.code, w.line, w.col])).toEqual([
      ['LOAD_SCHEMA', 6, 13],
      ['LOAD_UNKNOWN_KEY', 7, 3],
      ['LOAD_UNKNOWN_SOURCE', 8, 3],
      ['LOAD_DEPRECATED_ITEM', 4, 35],
      ['LOAD_NO_EVTTYPE', 2, 3],
    ]);
    expect(warnings(r, 'LOAD_UNKNOWN_KEY')[0].message).toMatch(/Unknown key 'tag'. The key will be ignored. Did you mean 'tags'\?/);
    expect(r.ruleset.rules.map((x) => x.name)).toEqual(['Broad']);
  });
});

describe('positions inside conditions map back to the file', () => {
  const broken = 'evt.type = open and proc.nmae = x';
  test.each([
    ['folded block scalar', '- rule: R\n  desc: d\n  condition: >\n    evt.type = open\n    and proc.nmae = x\n  output: o\n  priority: INFO\n', 5, 9],
    ['literal block scalar', '- rule: R\n  desc: d\n  condition: |\n      evt.type = open and\n      proc.nmae = x\n  output: o\n  priority: INFO\n', 5, 7],
    ['plain multi-line scalar', '- rule: R\n  desc: d\n  condition: evt.type = open\n     and proc.nmae = x\n  output: o\n  priority: INFO\n', 4, 10],
    ['double-quoted scalar', `- rule: R\n  desc: d\n  condition: "${broken}"\n  output: o\n  priority: INFO\n`, 3, 35],
    ['single-quoted scalar', `- rule: R\n  desc: d\n  condition: '${broken}'\n  output: o\n  priority: INFO\n`, 3, 35],
  ])('%s', (_name, yaml, line, col) => {
    const error = errors(load(yaml))[0];
    expect(error).toMatchObject({ code: 'COND_UNKNOWN_FIELD', line, col, item: { kind: 'rule', name: 'R' } });
  });

  test('an error inside a macro appended from another file points into that file', () => {
    const r = load(BASE, '- macro: spawned_process\n  condition: and proc.nmae = x\n  override:\n    condition: append\n');
    expect(errors(r)[0]).toMatchObject({ code: 'COND_UNKNOWN_FIELD', file: 'f2.yaml', line: 2, col: 18 });
  });
});

describe('the resolved ruleset for the evaluator', () => {
  test('event types follow Falco\'s evt.type index (and, or, not, !=, in)', () => {
    const r = load(`
- list: opens
  items: [open, openat, openat2]
- rule: A
  desc: d
  condition: evt.type in (opens) and not evt.type = open
  output: o
  priority: INFO
- rule: B
  desc: d
  condition: (evt.type = execve or evt.type = execveat) and proc.name = x
  output: o
  priority: INFO
- rule: C
  desc: d
  condition: evt.type != execve
  output: o
  priority: INFO
  warn_evttypes: false
`);
    expect(ruleNamed(r, 'A').eventTypes).toEqual({ kind: 'only', types: ['openat', 'openat2'] });
    expect(ruleNamed(r, 'B').eventTypes).toEqual({ kind: 'only', types: ['execve', 'execveat'] });
    expect(ruleNamed(r, 'C').eventTypes).toEqual({ kind: 'anyExcept', types: ['execve'] });
    expect(eventTypeMatches(ruleNamed(r, 'C').eventTypes, 'open')).toBe(true);
    expect(eventTypeMatches(ruleNamed(r, 'C').eventTypes, 'execve')).toBe(false);
    expect(warnings(r, 'LOAD_NO_EVTTYPE')).toEqual([]);
  });

  test('rules are grouped by source', () => {
    const r = load(`${BASE}
- rule: K
  desc: d
  condition: ka.verb = get
  output: o
  priority: INFO
  source: k8s_audit
`);
    expect([...r.ruleset.bySource].map(([source, rules]) => [source, rules.map((x) => x.name)])).toEqual([
      ['syscall', ['Shell spawned']],
      ['k8s_audit', ['K']],
    ]);
  });

  test('resolved conditions contain no macro or list references', () => {
    const text = JSON.stringify(ruleNamed(load(BASE), 'Shell spawned').condition);
    expect(text).not.toMatch(/"kind":"(macro|listRef)"/);
  });
});

describe('load, emit, load gives the same model', () => {
  const FIXTURE = `${BASE}
- required_plugin_versions:
  - name: k8saudit
    version: 0.7.0
    alternatives:
    - name: k8saudit-eks
      version: 0.4.0
- rule: Shell spawned
  exceptions:
  - name: parents
    fields: [proc.pname, proc.cmdline]
    comps: [in, startswith]
    values:
    - [[cron, "my daemon"], "/usr/bin/backup --x"]
  override:
    exceptions: append
- rule: K8s get
  desc: "a k8s rule: with 'quotes'"
  condition: >
    ka.verb = get and
    ka.target.resource in (secrets)
  output: "%ka.user.name got %ka.target.name"
  priority: info
  source: k8s_audit
  enabled: false
  skip-if-unknown-filter: true
  warn_evttypes: false
  capture: true
  capture_duration: 5000
- rule: K8s get
  enabled: true
- macro: m
  condition: proc.name = "a b"
  append: true
`;

  test('GIVEN a file using every kind of item WHEN emitted and read again THEN the items are equal', () => {
    const first = readRuleItems({ name: 'fixture.yaml', content: FIXTURE });
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const again = readRuleItems({ name: 'emitted.yaml', content: renderRulesYaml(first.items) });
    expect(again.items).toEqual(first.items);
    expect(first.items.find((i) => i.kind === 'rule' && i.name === 'K8s get')).toMatchObject({ priority: 'INFORMATIONAL', source: 'k8s_audit', captureDuration: 5000 });
  });

  test('the emitted file loads to the same ruleset', () => {
    const withoutDangling = FIXTURE.replace(/- macro: m\n.*\n.*\n$/, '');
    const original = loadRuleFiles([{ name: 'fixture.yaml', content: withoutDangling }]);
    const emitted = loadRuleFiles([{ name: 'emitted.yaml', content: renderRulesYaml(original.files[0].items) }]);
    expect(errors(original)).toEqual([]);
    expect(emitted.ruleset.rules.map((x) => [x.name, x.enabled, x.priority, print(x.condition)]))
      .toEqual(original.ruleset.rules.map((x) => [x.name, x.enabled, x.priority, print(x.condition)]));
  });
});
