import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../lib/cli/main';
import { parseTestArgs, runTestCommand } from '../../lib/cli/test-command';

const RULES = `
- required_engine_version: 0.26.0

- list: shell_binaries
  items: [bash, sh, zsh]

- macro: spawned_process
  condition: (evt.type in (execve, execveat))

- rule: Shell spawned
  desc: a shell was started
  condition: spawned_process and proc.name in (shell_binaries)
  output: Shell spawned (user=%user.name command=%proc.cmdline parent=%proc.pname)
  priority: WARNING
  tags: [shell]

- rule: Any exec
  desc: every program start
  condition: spawned_process
  output: Exec %proc.name
  priority: INFO

- rule: Privileged pod
  desc: a privileged pod was created
  condition: ka.verb = create and ka.target.resource = pods and ka.req.pod.containers.privileged intersects (true)
  output: Privileged pod (user=%ka.user.name pod=%ka.resp.name)
  priority: CRITICAL
  source: k8s_audit
`;

const AUDIT_EVENT = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  auditID: 'a-1',
  stage: 'ResponseComplete',
  verb: 'create',
  user: { username: 'alice' },
  objectRef: { resource: 'pods', namespace: 'default', name: 'p' },
  requestObject: { spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } },
  responseObject: { metadata: { name: 'p' } },
  stageTimestamp: '2024-01-01T00:00:00Z',
};

const EVENTS = [
  { 'evt.type': 'execve', 'proc.name': 'bash', 'proc.cmdline': 'bash -i', 'proc.pname': 'sshd', 'user.name': 'root' },
  { 'evt.type': 'execve', 'proc.name': 'ls', 'proc.cmdline': 'ls', 'proc.pname': 'bash' },
  { 'evt.type': 'open', 'proc.name': 'cat' },
  AUDIT_EVENT,
];

describe('detection-stack test', () => {
  let dir: string;
  let out: string;
  let err: string;
  const io = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { err += t; } };
  const file = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const run = (...argv: string[]) => runTestCommand(argv, io);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ds-test-cmd-'));
    out = '';
    err = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a JSON array of events WHEN run with --format json THEN prints exactly the detections, first match per event', () => {
    const rules = file('rules.yaml', RULES);
    const events = file('events.json', JSON.stringify(EVENTS, null, 2));
    expect(run('--rules', rules, '--events', events, '--format', 'json')).toBe(0);
    expect(JSON.parse(out)).toEqual({
      detections: [
        { event: 0, rule: 'Shell spawned', priority: 'Warning', source: 'syscall', output: 'Shell spawned (user=root command=bash -i parent=sshd)' },
        { event: 1, rule: 'Any exec', priority: 'Informational', source: 'syscall', output: 'Exec ls' },
        { event: 3, rule: 'Privileged pod', priority: 'Critical', source: 'k8s_audit', output: 'Privileged pod (user=alice pod=p)' },
      ],
    });
    expect(err).toBe('');
  });

  it('GIVEN an event key that is no field, or a value not of its field\'s type THEN an error at the key, never a silent "no rule fired"', () => {
    const rules = file('rules.yaml', RULES);
    const typo = file('typo.jsonl', `${JSON.stringify(EVENTS[1])}\n{"evt.type": "execve", "proc.nmae": "bash"}\n`);
    expect(run('--rules', rules, '--events', typo)).toBe(1);
    expect(err).toBe(`${typo}:2:24: error EVENTS_UNKNOWN_FIELD the syscall source has no field "proc.nmae" (did you mean 'proc.name'?): `
      + 'no rule can read it, so the event would match as if it were absent\n');
    expect(out).toBe('');
    err = '';
    const number = file('number.jsonl', '{"evt.type": "execve", "proc.name": "bash", "proc.tty": "abc"}\n');
    expect(run('--rules', rules, '--events', number)).toBe(1);
    expect(err).toBe(`${number}:1:45: error EVENTS_BAD_VALUE "abc" is not a value of proc.tty (type UINT32): the evaluator would read it as missing; `
      + 'give a number (or a string of decimal digits), or null for a missing value\n');
    err = '';
    const ip = file('ip.json', JSON.stringify([{ 'evt.type': 'connect', 'fd.sip': ['10.0.0.1', '10.0.0.300'] }]));
    expect(run('--rules', rules, '--events', ip)).toBe(1);
    expect(err).toContain('error EVENTS_BAD_VALUE "10.0.0.300" is not a value of fd.sip (type IPADDR)');
    err = '';
    const object = file('object.jsonl', '{"evt.type": "execve", "proc.name": {"value": "bash"}}\n');
    expect(run('--rules', rules, '--events', object)).toBe(1);
    expect(err).toContain(':1:24: error EVENTS_BAD_VALUE {"value":"bash"} is not a value of proc.name (type CHARBUF)');
    // null is a missing value, numbers are read for string fields, and a k8s audit event is not field-keyed
    err = '';
    const fine = file('fine.jsonl', '{"evt.type": "execve", "proc.name": 5, "proc.tty": null}\n' + `${JSON.stringify(AUDIT_EVENT)}\n`);
    expect(run('--rules', rules, '--events', fine)).toBe(0);
    expect(err).toBe('');
  });

  it('reports every matching rule with --rule-matching all', () => {
    const rules = file('rules.yaml', RULES);
    const events = file('events.jsonl', EVENTS.map((e) => JSON.stringify(e)).join('\n'));
    expect(run('--rules', rules, '--events', events, '--rule-matching', 'all', '--format', 'json')).toBe(0);
    const detections = JSON.parse(out).detections as { event: number; rule: string }[];
    expect(detections.map((d) => [d.event, d.rule])).toEqual([
      [0, 'Shell spawned'], [0, 'Any exec'], [1, 'Any exec'], [3, 'Privileged pod'],
    ]);
  });

  it('says per event, in text, which rule fired and where the event is', () => {
    const rules = file('rules.yaml', RULES);
    const events = file('events.jsonl', `${EVENTS.map((e) => JSON.stringify(e)).join('\n')}\n`);
    expect(run('--rules', rules, '--events', events)).toBe(0);
    expect(out.split('\n')).toEqual([
      `event 0 (${events}:1): Shell spawned [Warning] Shell spawned (user=root command=bash -i parent=sshd)`,
      `event 1 (${events}:2): Any exec [Informational] Exec ls`,
      `event 2 (${events}:3): no rule fired`,
      `event 3 (${events}:4): Privileged pod [Critical] Privileged pod (user=alice pod=p)`,
      '4 events, 3 detections (rule_matching: first)',
      '',
    ]);
  });

  it('loads several rules files in order, like falco -r a -r b', () => {
    const base = file('base.yaml', RULES);
    const local = file('local.yaml', `
- rule: Shell spawned
  override:
    enabled: replace
  enabled: false
`);
    const events = file('events.json', JSON.stringify(EVENTS.slice(0, 1)));
    expect(run('--rules', base, local, '--events', events, '--format', 'json')).toBe(0);
    expect(JSON.parse(out).detections).toEqual([
      { event: 0, rule: 'Any exec', priority: 'Informational', source: 'syscall', output: 'Exec bash' },
    ]);
  });

  it('counts the items of an audit EventList as events', () => {
    const rules = file('rules.yaml', RULES);
    const events = file('audit.json', JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [AUDIT_EVENT, { ...AUDIT_EVENT, verb: 'get' }] }, null, 2));
    expect(run('--rules', rules, '--events', events, '--format', 'json')).toBe(0);
    expect(JSON.parse(out).detections.map((d: { event: number }) => d.event)).toEqual([0]);
  });

  it('names file:line:col of a JSON error in JSON lines', () => {
    const rules = file('rules.yaml', RULES);
    const events = file('events.jsonl', '{"evt.type": "open"}\n{"evt.type": open}\n');
    expect(run('--rules', rules, '--events', events)).toBe(1);
    expect(err).toMatch(new RegExp(`^${events.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: error EVENTS_BAD_JSON invalid JSON on this line`));
    expect(out).toBe('');
  });

  it('names file:line of a JSON error in an array', () => {
    const rules = file('rules.yaml', RULES);
    const events = file('events.json', '[\n  {"evt.type": "open"},\n  {"evt.type": "open",}\n]\n');
    expect(run('--rules', rules, '--events', events)).toBe(1);
    expect(err).toMatch(/events\.json:3:\d+: error EVENTS_BAD_JSON invalid JSON/);
  });

  it('names file:line of an event that is not an object', () => {
    const rules = file('rules.yaml', RULES);
    const events = file('events.json', '[\n  {"evt.type": "open"},\n  42\n]');
    expect(run('--rules', rules, '--events', events)).toBe(1);
    expect(err).toMatch(/events\.json:3:3: error EVENTS_NOT_OBJECT an event must be a JSON object/);
  });

  it('reports rules errors as file:line:col and does not evaluate', () => {
    const rules = file('bad.yaml', '- rule: Broken\n  desc: x\n  condition: proc.nme = bash\n  output: x\n  priority: WARNING\n');
    const events = file('events.json', '[]');
    expect(run('--rules', rules, '--events', events)).toBe(1);
    expect(err).toMatch(/bad\.yaml:3:\d+: error \S+ .*proc\.nme/);
    expect(out).toBe('');
  });

  it('reports a missing file', () => {
    const rules = file('rules.yaml', RULES);
    expect(run('--rules', rules, '--events', join(dir, 'nope.json'))).toBe(1);
    expect(err).toMatch(/nope\.json:1:1: error EVENTS_EMPTY cannot read the file: no such file/);
    expect(run('--rules', join(dir, 'nope.yaml'), '--events', rules)).toBe(1);
    expect(err).toMatch(/nope\.yaml:1:1: error RULES_FILE_READ cannot read the rules file: no such file/);
  });

  it('rejects an empty events file', () => {
    const rules = file('rules.yaml', RULES);
    const events = file('events.json', '  \n');
    expect(run('--rules', rules, '--events', events)).toBe(1);
    expect(err).toMatch(/events\.json:1:1: error EVENTS_EMPTY the events file has no events/);
  });

  it.each([
    [[], /--rules is required/],
    [['--rules', 'a.yaml'], /--events is required/],
    [['--rules'], /--rules needs at least one file/],
    [['--rules', 'a', '--events', 'e', '--rule-matching', 'some'], /--rule-matching takes first or all, not 'some'/],
    [['--rules', 'a', '--events', 'e', '--format', 'yaml'], /--format takes text or json, not 'yaml'/],
    [['--rules', 'a', '--events', 'e', '--verbose'], /unknown option '--verbose'\n/],
    [['--rules', 'a', '--event', 'e'], /unknown option '--event'; did you mean '--events'\?/],
    [['--rules', 'a', '--events'], /--events needs a value/],
    [['stray', '--rules', 'a', '--events', 'e'], /unexpected argument 'stray'/],
    [['--rules', 'a', '--events', 'e', '--events', 'f'], /--events is given twice/],
  ])('rejects bad arguments %j with a usage error', (argv, message) => {
    expect(runTestCommand(argv, io)).toBe(2);
    expect(err).toMatch(/^error CLI_USAGE /);
    expect(err).toMatch(message);
    expect(err).toMatch(/usage: detection-stack test --rules FILE\.\.\. --events FILE/);
  });

  it('is registered as the CLI command `test`', async () => {
    const rules = file('rules.yaml', RULES);
    const events = file('events.json', JSON.stringify(EVENTS.slice(2, 3)));
    expect(await main(['test', '--rules', rules, '--events', events], io)).toBe(0);
    expect(out).toBe(`event 0 (${events}:1): no rule fired\n1 event, 0 detections (rule_matching: first)\n`);
    out = '';
    expect(await main(['test', '--help'], io)).toBe(0);
    expect(out).toMatch(/^usage: detection-stack test --rules FILE\.\.\. --events FILE/);
  });

  it('parses several rules files and = forms', () => {
    expect(parseTestArgs(['--rules', 'a.yaml', 'b.yaml', '--events=e.json', '--rule-matching=all', '--format=json'])).toEqual({
      rules: ['a.yaml', 'b.yaml'], events: 'e.json', ruleMatching: 'all', format: 'json',
    });
    expect(parseTestArgs(['--events', 'e.json', '--rules', 'a.yaml'])).toEqual({
      rules: ['a.yaml'], events: 'e.json', ruleMatching: 'first', format: 'text',
    });
  });
});
