import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { COMMANDS, main } from '../../lib/cli/main';
import { CliDiagnostic, registerFileValidator } from '../../lib/cli/validate';

const dir = mkdtempSync(join(tmpdir(), 'ds-validate-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const GOOD = file('good.yaml', `
- list: shells
  items: [bash]
- rule: Shell
  desc: d
  condition: evt.type = execve and proc.name in (shells)
  output: "shell %proc.name"
  priority: WARNING
`);
const OVERRIDE = file('override.yaml', '- list: shells\n  items: [zsh]\n  override:\n    items: append\n');
const WARN = file('warn.yaml', '- rule: Broad\n  desc: d\n  condition: proc.name = bash\n  output: o\n  priority: warning\n');
const BAD = file('bad.yaml', '- rule: R\n  desc: d\n  condition: evt.type = open and proc.pid = abc\n  output: o\n  priority: INFO\n');

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('detection-stack validate', () => {
  test('GIVEN valid files loaded in order WHEN validated THEN exit 0', async () => {
    const r = await run('validate', GOOD, OVERRIDE);
    expect(r).toEqual({ code: 0, stdout: 'valid: 2 files, 0 errors, 0 warnings\n', stderr: '' });
  });

  test('the order matters: an override before its list is an error', async () => {
    const r = await run('validate', OVERRIDE, GOOD);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${OVERRIDE}:1:3: error RULES_NO_PREVIOUS_LIST List uses 'append'`);
  });

  test('warnings are printed but do not fail', async () => {
    const r = await run('validate', WARN);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      `${WARN}:1:3: warning LOAD_NO_EVTTYPE Rule matches too many evt.type values. This has a significant performance penalty.`,
      `${WARN}:5:13: warning LOAD_SCHEMA Priority 'warning' is not in Falco's schema (upper case, e.g. WARNING): Falco loads it with a schema validation warning`,
      'valid: 1 file, 0 errors, 2 warnings',
      '',
    ]);
  });

  test('errors are printed as file:line:col: error CODE message and exit 1', async () => {
    const r = await run('validate', BAD);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${BAD}:3:45: error COND_BAD_VALUE 'abc' is not a valid number for field proc.pid (INT64)\ninvalid: 1 file, 1 error, 0 warnings\n`);
  });

  test('--after falco loads the files after the names of Falco\'s default rules; --after k8saudit after the k8saudit rules', async () => {
    const custom = file('after.yaml', '- rule: R\n  desc: d\n  condition: spawned_process and proc.pid = abc\n  output: o\n  priority: INFO\n');
    const r = await run('validate', '--after', 'falco', custom);
    expect(r.stdout).toBe(`${custom}:3:45: error COND_BAD_VALUE 'abc' is not a valid number for field proc.pid (INT64)\ninvalid: 1 file, 1 error, 0 warnings\n`);
    const audit = file('after-audit.yaml', '- rule: A\n  desc: d\n  condition: kevt and ka.verb = get\n  output: o\n  priority: INFO\n  source: k8s_audit\n');
    expect((await run('validate', '--after=k8saudit', audit)).code).toBe(0);
    expect((await run('validate', audit)).stdout).toMatch(/COND_UNDEFINED_MACRO Undefined macro 'kevt'/);
    const bad = await run('validate', '--after', 'rules', custom);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--after takes falco or k8saudit, not 'rules'/);
  });

  test('--format json gives the diagnostics as data', async () => {
    const r = await run('validate', '--format', 'json', BAD, WARN);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ valid: false, errors: 1, warnings: 2, files: [{ name: BAD, kind: 'Falco rules' }, { name: WARN, kind: 'Falco rules' }] });
    expect(report.diagnostics[0]).toEqual({ file: BAD, line: 3, col: 45, severity: 'error', code: 'COND_BAD_VALUE', message: "'abc' is not a valid number for field proc.pid (INT64)" });
  });

  test('an unreadable file is an error, not a crash', async () => {
    const missing = join(dir, 'missing.yaml');
    const r = await run('validate', missing);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${missing}:1:1: error RULES_FILE_READ cannot read the file: no such file`);
  });

  test.each([
    [['validate'], /give at least one file/],
    [['validate', '--format', 'xml', 'a.yaml'], /--format takes text or json, not 'xml'/],
    [['validate', '--strict', 'a.yaml'], /unknown option '--strict'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /usage: detection-stack <command>/],
  ])('usage error %j exits 2 with a helpful message', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('help lists the registered commands', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name}`);
    expect((await run('validate', '--help')).stdout).toMatch(/^usage: detection-stack validate FILE\.\.\. \[--after falco\|k8saudit\] \[--format text\|json\]/);
  });

  test('a registered file validator takes the files it recognises; the rest are Falco rules', async () => {
    const policy = file('example.yaml', 'apiVersion: example.com/v1\nkind: ExampleKind\n');
    registerFileValidator({
      kind: 'ExampleKind',
      accepts: (f) => /^kind: ExampleKind$/m.test(f.content),
      validate: (files): CliDiagnostic[] => files.map((f) => ({ severity: 'error', code: 'EXAMPLE', message: 'checked', file: f.name, line: 2, col: 1 })),
    });
    const r = await run('validate', '--format', 'json', GOOD, policy);
    const report = JSON.parse(r.stdout);
    expect(report.files).toEqual([{ name: GOOD, kind: 'Falco rules' }, { name: policy, kind: 'ExampleKind' }]);
    expect(report.diagnostics).toEqual([{ file: policy, line: 2, col: 1, severity: 'error', code: 'EXAMPLE', message: 'checked' }]);
  });
});

describe('bin/detection-stack (the built binary)', () => {
  const bin = join(__dirname, '..', '..', 'bin', 'detection-stack');
  const built = join(__dirname, '..', '..', 'build', 'cli', 'main.js');

  test('GIVEN the package is built WHEN validate runs THEN it exits with the status and prints diagnostics', () => {
    if (!existsSync(built)) execFileSync('npx', ['tsc', '--build'], { cwd: join(__dirname, '..', '..') });
    const ok = spawnSync(process.execPath, [bin, 'validate', GOOD], { encoding: 'utf8' });
    expect({ status: ok.status, stdout: ok.stdout }).toEqual({ status: 0, stdout: 'valid: 1 file, 0 errors, 0 warnings\n' });
    const bad = spawnSync(process.execPath, [bin, 'validate', BAD], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('error COND_BAD_VALUE');
    const usage = spawnSync(process.execPath, [bin, 'validate'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^error CLI_USAGE give at least one file to validate/);
  }, 120_000);
});
