// #14 reproducers through the real CLI process (bin/detection-stack over the built package): each one as the
// issue reported it, plus the new hostile files (10,000-deep nesting, 50 MB strings, Object-member keys,
// non-UTF-8 bytes). Never a crash, a hang, a stack trace or silently wrong output.
import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'detection-stack');
const ESC = '\u001b';
const RULE = '- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: WARNING\n';
const EVENT = '{"evt.type":"execve","proc.name":"bash"}';
const STACK_TRACE = /\n\s+at .+\(.+:\d+:\d+\)/;

let dir: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'build', 'cli', 'main.js'))) execFileSync('npx', ['tsc', '--build'], { cwd: ROOT });
  dir = mkdtempSync(join(tmpdir(), 'ds-hostile-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function cli(args: readonly string[], input?: string | Buffer): SpawnSyncReturns<string> {
  const run = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 120_000, maxBuffer: 2 ** 28 });
  expect(run.error).toBeUndefined();
  expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stdout + run.stderr).not.toContain('CLI_INTERNAL');
  return run;
}

describe('the #14 file reproducers, by the CLI process', () => {
  test('a UTF-8 BOM is accepted in rules (validate) and in events (test)', () => {
    const rules = file('bom.yaml', `\uFEFF${RULE}`);
    const events = file('bom.json', `\uFEFF[${EVENT}]`);
    expect(cli(['validate', rules])).toMatchObject({ status: 0, stdout: 'valid: 1 file, 0 errors, 0 warnings\n' });
    expect(cli(['test', '--rules', rules, '--events', events])).toMatchObject({ status: 0, stdout: `event 0 (${events}:1): r [Warning] o\n1 event, 1 detection (rule_matching: first)\n` });
  });

  test('anchors and aliases (items: *x, output: *d) read as Falco reads them', () => {
    const rules = file('alias.yaml', '- list: base\n  items: &x [bash, sh]\n- list: shells\n  items: *x\n- rule: r\n  desc: &d a shell ran\n'
      + '  condition: evt.type = execve and proc.name in (shells)\n  output: *d\n  priority: WARNING\n');
    expect(cli(['validate', rules]).stdout).toBe(`${rules}:1:3: warning LOAD_UNUSED_LIST List not referred to by any other rule/macro\nvalid: 1 file, 0 errors, 1 warning\n`);
    const events = file('alias.jsonl', `${EVENT}\n`);
    expect(cli(['test', '--rules', rules, '--events', events]).stdout).toContain(': r [Warning] a shell ran\n');
  });

  test('an alias bomb in a rules file stops at the bound with an error at the alias', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((l, i) => `${l}: &${l} [${new Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`)];
    const rules = file('bomb.yaml', levels.map((l, i) => `- list: l${i}\n  items: []\n  ${l}\n`).join(''));
    const run = cli(['validate', rules]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/:\d+:\d+: error RULES_YAML_ALIAS_LIMIT YAML aliases expand to more than 100000 nodes at the alias \*[a-g]/);
  });

  test('a TracingPolicy alias bomb is judged on its own file; the other files are still judged', () => {
    const bomb = file('tp-bomb.yaml', 'apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: bomb\nspec:\n'
      + '  a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
      + 'bcdefg'.split('').map((l, i) => `  ${l}: &${l} [${new Array(10).fill(`*${'abcdefg'[i]}`).join(',')}]\n`).join(''));
    const bad = file('bad.yaml', '- rule: r\n  condition: evt.type = execve\n');
    const run = cli(['validate', '--format', 'json', bomb, bad]);
    expect(run.status).toBe(1);
    const diagnostics = (JSON.parse(run.stdout) as { diagnostics: { file: string; code: string }[] }).diagnostics;
    expect(diagnostics.filter((d) => d.file === bomb)).toEqual([{
      file: bomb,
      line: 7,
      col: 10,
      severity: 'error',
      code: 'DS-TETRA-001',
      message: 'YAML aliases expand to more nodes than the reader allows (an alias bomb?), or an alias has no anchor. Fix: write the values out, or alias only small nodes with an anchor before the alias',
    }]);
    expect(diagnostics.filter((d) => d.file === bad).map((d) => d.code)).toContain('RULES_MISSING_KEY');
  });

  test('test --events - and test --rules - read standard input', () => {
    const rules = file('r.yaml', RULE);
    const events = file('e.jsonl', `${EVENT}\n`);
    expect(cli(['test', '--rules', rules, '--events', '-'], `${EVENT}\n`)).toMatchObject({ status: 0, stdout: 'event 0 (-:1): r [Warning] o\n1 event, 1 detection (rule_matching: first)\n' });
    expect(cli(['test', '--rules', '-', '--events', events], RULE)).toMatchObject({ status: 0 });
    expect(cli(['validate', '-'], RULE)).toMatchObject({ status: 0, stdout: 'valid: 1 file, 0 errors, 0 warnings\n' });
  });

  test('an unclosed deep JSON array reports a line and column, never NaN', () => {
    const rules = file('r.yaml', RULE);
    const run = cli(['test', '--rules', rules, '--events', file('deep-open.json', `[${'['.repeat(200_000)}`)]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/deep-open\.json:1:200002: error EVENTS_BAD_JSON/);
    expect(run.stderr).not.toContain('NaN');
  });

  test('terminal escapes in rule names and event values are printed escaped', () => {
    const rules = file('esc.yaml', RULE.replace('rule: r', `rule: r ${ESC}[2J${ESC}]0;owned${ESC}\\\\ x`).replace('output: o', 'output: cmd=%proc.cmdline'));
    const events = file('esc.json', JSON.stringify([{ 'evt.type': 'execve', 'proc.cmdline': `bash ${ESC}[31mred\u202e` }]));
    const run = cli(['test', '--rules', rules, '--events', events]);
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).toContain('r \\x1b[2J\\x1b]0;owned\\x1b\\\\ x [Warning] cmd=bash \\x1b[31mred\\u202e');
  });
});

describe('new hostile files, by the CLI process', () => {
  test.each([
    ['10,000 nested flow sequences', `${RULE}- list: l\n  items: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
    ['10,000 nested flow mappings', `${RULE}- list: l\n  items: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`],
  ])('%s in a rules file: one YAML error naming the place (validate and test)', (_name, text) => {
    const rules = file('deep.yaml', text);
    const run = cli(['validate', rules]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${rules}:7:\\d+: error RULES_YAML_SYNTAX YAML nested deeper than 499 levels`));
    const t = cli(['test', '--rules', rules, '--events', file('one.jsonl', `${EVENT}\n`)]);
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(/RULES_YAML_SYNTAX YAML nested deeper than 499 levels/);
  });

  test('a 10,000-deep TracingPolicy is DS-TETRA-001 on its file', () => {
    const policy = file('tp-deep.yaml', `apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: d\nspec:\n  kprobes: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expect(cli(['validate', policy]).stdout).toMatch(/tp-deep\.yaml:6:\d+: error DS-TETRA-001 YAML nested deeper than the reader follows/);
  });

  test('10,000-deep JSON events: a clear error on the event, not a crash', () => {
    const rules = file('r.yaml', RULE);
    const arrays = cli(['test', '--rules', rules, '--events', file('deep.json', `[${'['.repeat(10_000)}${']'.repeat(10_000)}]`)]);
    expect(arrays).toMatchObject({ status: 1 });
    expect(arrays.stderr).toMatch(/deep\.json:1:2: error EVENTS_NOT_OBJECT/);
    const objects = cli(['test', '--rules', rules, '--events', file('deep.jsonl', `{"evt.type":"execve","x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}\n`)]);
    expect(objects.stderr).toMatch(/deep\.jsonl:1:1: error EVENTS_UNKNOWN_FORMAT/);
  });

  test('a 50 MB string: rules and events files over their bound are refused unread', () => {
    const big = 'x'.repeat(50 * 1024 * 1024);
    const rules = file('big.yaml', `${RULE.replace('output: o', `output: "${big}"`)}`);
    expect(cli(['validate', rules]).stdout).toMatch(/big\.yaml:1:1: error CLI_INPUT_TOO_LARGE not read: it is 50\.\d+ MiB, above the bound of 8 MiB/);
    const events = file('big.jsonl', `{"evt.type":"execve","proc.name":"${big}"}\n`);
    expect(cli(['test', '--rules', file('r.yaml', RULE), '--events', events]).stderr).toMatch(/big\.jsonl:1:1: error CLI_INPUT_TOO_LARGE the events file is not read: it is 50\.\d+ MiB/);
  });

  test('a 7 MiB output string in a rules file and a 30 MiB event value are read and evaluated', () => {
    const rules = file('long.yaml', RULE.replace('output: o', `output: "${'o'.repeat(7 * 1024 * 1024)}"`));
    expect(cli(['validate', rules])).toMatchObject({ status: 0 });
    const events = file('long.jsonl', `{"evt.type":"execve","proc.name":"${'p'.repeat(30 * 1024 * 1024)}"}\n`);
    const run = cli(['test', '--rules', file('r.yaml', RULE), '--events', events, '--format', 'json']);
    expect(JSON.parse(run.stdout)).toEqual({ detections: [{ event: 0, rule: 'r', priority: 'Warning', source: 'syscall', output: 'o' }] });
  });

  test('constructor, __proto__ and toString as rule, list and macro names and as keys: as Falco (unknown keys warned), events matched by value only', () => {
    const rules = file('proto.yaml', '- list: constructor\n  items: [bash]\n- list: __proto__\n  items: [sh]\n- macro: toString\n  condition: evt.type = execve\n'
      + '- rule: constructor\n  desc: d\n  condition: toString and proc.name in (constructor, __proto__)\n  output: proc=%proc.name\n  priority: WARNING\n  __proto__: x\n  constructor: y\n');
    expect(cli(['validate', rules]).stdout).toBe(`${rules}:12:3: warning LOAD_UNKNOWN_KEY Unknown key '__proto__'. The key will be ignored.\n`
      + `${rules}:13:3: warning LOAD_UNKNOWN_KEY Unknown key 'constructor'. The key will be ignored.\nvalid: 1 file, 0 errors, 2 warnings\n`);
    const events = file('proto.jsonl', ['sh', 'constructor', 'toString', '__proto__', 'bash'].map((n) => `{"evt.type":"execve","proc.name":"${n}"}`).join('\n'));
    const run = cli(['test', '--rules', rules, '--events', events, '--format', 'json']);
    expect((JSON.parse(run.stdout) as { detections: { event: number }[] }).detections.map((d) => d.event)).toEqual([0, 4]);
    const keyed = cli(['test', '--rules', rules, '--events', file('proto-keys.jsonl', '{"evt.type":"execve","proc.name":"sh","__proto__":{"proc.name":"bash"}}\n')]);
    expect(keyed.stderr).toMatch(/proto-keys\.jsonl:1:1: error EVENTS_UNKNOWN_FORMAT/);
  });

  test('non-UTF-8 bytes in a rule name, a description, an output and a condition load as Falco loads them (see falco-hostile-files)', () => {
    const rules = file('latin1.yaml', Buffer.concat([Buffer.from('- rule: bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' name\n  desc: d '), Buffer.from([0xc3, 0x28]),
      Buffer.from('\n  condition: evt.type = execve and proc.name != "a'), Buffer.from([0xff]), Buffer.from('b"\n  output: o '), Buffer.from([0xe2, 0x82]), Buffer.from('\n  priority: WARNING\n')]));
    expect(cli(['validate', rules])).toMatchObject({ status: 0, stdout: 'valid: 1 file, 0 errors, 0 warnings\n' });
  });
});
