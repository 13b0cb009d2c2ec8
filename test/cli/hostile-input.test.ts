import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { escapeForTerminal } from '../../lib/cli/input';
import { runTestCommand } from '../../lib/cli/test-command';
import { registerFileValidator, runValidateCommand } from '../../lib/cli/validate';
import { TETRAGON_FILE_VALIDATOR } from '../../lib/cli/validate-tetragon';
import { parseEventsText } from '../../lib/falco/evaluator/events';

const ESC = '\u001b';
const RULES = `
- rule: Shell ${ESC}[2J${ESC}]0;owned${ESC}\\\\ spawned
  desc: a shell was started
  condition: evt.type = execve and proc.name = bash
  output: Shell (cmd=%proc.cmdline)
  priority: WARNING
`;
const EVENTS = JSON.stringify([{ 'evt.type': 'execve', 'proc.name': 'bash', 'proc.cmdline': `bash -c "${ESC}[31mred${ESC}[0m"` }]);

/** A TracingPolicy whose YAML aliases expand to 10^7 nodes. */
const ALIAS_BOMB = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: bomb
spec:
  a: &a ["x","x","x","x","x","x","x","x","x","x"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
`;

describe('CLI input from careless or hostile files', () => {
  let dir: string;
  let out: string;
  let err: string;
  const io = (stdin?: string) => ({
    stdout: (t: string) => { out += t; },
    stderr: (t: string) => { err += t; },
    readStdin: stdin === undefined ? undefined : () => stdin,
  });
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ds-hostile-'));
    out = '';
    err = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('test --events - reads the events from standard input', () => {
    const rules = file('r.yaml', RULES);
    expect(runTestCommand(['--rules', rules, '--events', '-'], io(EVENTS))).toBe(0);
    expect(out).toMatch(/event 0 \(-:1\): Shell .* spawned \[Warning\]/);
  });

  test('test --rules - reads the rules from standard input', () => {
    const events = file('e.json', EVENTS);
    expect(runTestCommand(['--rules', '-', '--events', events], io(RULES))).toBe(0);
    expect(out).toMatch(/1 event, 1 detection/);
  });

  test('standard input cannot be both the rules and the events', () => {
    expect(runTestCommand(['--rules', '-', '--events', '-'], io(RULES))).toBe(2);
    expect(err).toMatch(/error CLI_USAGE standard input \(-\) can be read once/);
  });

  test('rule names and event values with terminal escape sequences are printed escaped', () => {
    const rules = file('r.yaml', RULES);
    const events = file('e.json', EVENTS);
    expect(runTestCommand(['--rules', rules, '--events', events], io())).toBe(0);
    expect(out).not.toContain(ESC);
    expect(out).toContain('Shell \\x1b[2J\\x1b]0;owned\\x1b\\\\ spawned [Warning]');
    expect(out).toContain('cmd=bash -c "\\x1b[31mred\\x1b[0m"');
  });

  test('validate prints diagnostics naming such rules escaped', () => {
    // A YAML double-quoted key may hold an escape character (\\e); Falco warns about the unknown key by name.
    const rules = file('r.yaml', '- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: WARNING\n  "ev\\e[2Jil": 1\n');
    runValidateCommand([rules], io());
    expect(out).not.toContain(ESC);
    expect(out).toMatch(/warning LOAD_UNKNOWN_KEY .*ev\\x1b\[2Jil/);
  });

  test('escapeForTerminal shows every control character, line separators and bidi overrides included', () => {
    expect(escapeForTerminal(`a${ESC}[0mb\nc\r\u0007\u009b\u202e\u2028\td`)).toBe('a\\x1b[0mb\\nc\\r\\x07\\x9b\\u202e\\u2028\td');
  });

  test('a TracingPolicy alias bomb does not abort validate: it is reported on its file, every other file is judged', () => {
    const good = file('good.yaml', '- list: ok\n  items: [a]\n');
    const bomb = file('bomb.yaml', ALIAS_BOMB);
    const bad = file('bad.yaml', '- rule: r\n  condition: evt.type = execve\n');
    registerFileValidator(TETRAGON_FILE_VALIDATOR); // as the CLI's main module does
    expect(runValidateCommand([good, bomb, bad, '--format', 'json'], io())).toBe(1);
    const report = JSON.parse(out) as { diagnostics: { file: string; code: string; message: string }[] };
    // the yaml library's bound on alias expansion, at the first alias (line 7, `*a`); it was CLI_INTERNAL on the file
    expect(report.diagnostics.filter((d) => d.file === bomb)).toEqual([expect.objectContaining({
      code: 'DS-TETRA-001',
      line: 7,
      col: 10,
      message: expect.stringMatching(/^YAML aliases expand to more nodes than the reader allows \(an alias bomb\?\)/) as unknown,
    })]);
    expect(report.diagnostics.filter((d) => d.file === bad).map((d) => d.code)).toEqual(['RULES_MISSING_KEY']);
    expect(report.diagnostics.filter((d) => d.file === good)).toEqual([]);
    expect(err).toBe('');
  });

  test('an internal error in one file is CLI_INTERNAL on that file; the other files of its kind are still judged', () => {
    registerFileValidator({
      kind: 'Crashy',
      accepts: (f) => f.content.startsWith('crashy'),
      validate: (files) => files.flatMap((f) => {
        if (f.content.includes('boom')) throw new RangeError('Maximum call stack size exceeded');
        return [{ severity: 'error' as const, code: 'CRASHY_BAD', message: 'judged', file: f.name, line: 1, col: 1 }];
      }),
    });
    const boom = file('boom.txt', 'crashy boom');
    const fine = file('fine.txt', 'crashy fine');
    const rules = file('bad.yaml', '- rule: r\n  condition: evt.type = execve\n');
    expect(runValidateCommand([boom, fine, rules, '--format', 'json'], io())).toBe(1);
    const report = JSON.parse(out) as { diagnostics: { file: string; code: string; message: string }[] };
    expect(report.diagnostics.filter((d) => d.file === boom)).toEqual([
      expect.objectContaining({ code: 'CLI_INTERNAL', message: 'internal error while checking this Crashy file: Maximum call stack size exceeded' }),
    ]);
    expect(report.diagnostics.filter((d) => d.file === fine).map((d) => d.code)).toEqual(['CRASHY_BAD']);
    expect(report.diagnostics.some((d) => d.file === rules)).toBe(true);
  });

  test('an unclosed deeply nested JSON array reports a real line and column, not NaN', () => {
    const text = `[${'['.repeat(200_000)}`;
    expect(() => parseEventsText(text, 'deep.json')).toThrow(/^deep\.json:1:200002: error EVENTS_BAD_JSON/);
  });

  test('a folder given as a file is said to be one, with the files to give instead (validate and test)', () => {
    const folder = join(dir, 'rules');
    mkdirSync(folder);
    expect(runValidateCommand([folder], io())).toBe(1);
    expect(out).toContain(`${folder}:1:1: error RULES_FILE_READ cannot read the file: it is a folder; give the files in it (e.g. folder/*.yaml)`);
    out = '';
    const rules = file('r.yaml', RULES);
    expect(runTestCommand(['--rules', rules, '--events', folder], io())).toBe(1);
    expect(out + err).toContain(`${folder}:1:1: error EVENTS_EMPTY cannot read the file: it is a folder; give the files in it (e.g. folder/*.yaml)`);
  });
});
