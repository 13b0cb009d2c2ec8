import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { COMMANDS, main } from '../../lib/cli/main';

// What makes a short `validate` cheap (BENCH validate_vs_falco_ratio): only the command that runs is loaded,
// V8's optimizing compiler stays off for small inputs, and the process ends once its output is written.

const mockLoaded: string[] = [];
jest.mock('../../lib/cli/test-command', () => {
  mockLoaded.push('test');
  return jest.requireActual('../../lib/cli/test-command');
});
jest.mock('../../lib/cli/plan-command', () => {
  mockLoaded.push('plan');
  return jest.requireActual('../../lib/cli/plan-command');
});
jest.mock('../../lib/cli/report-command', () => {
  mockLoaded.push('report');
  return jest.requireActual('../../lib/cli/report-command');
});
jest.mock('../../lib/cli/deliver-command', () => {
  mockLoaded.push('deliver');
  return jest.requireActual('../../lib/cli/deliver-command');
});

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ds-startup-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const silent = { stdout: () => undefined, stderr: () => undefined };

describe('only the command that runs is loaded', () => {
  test('validate loads none of the test, plan, report and deliver modules; --help of a command loads that one only', async () => {
    const rules = file('ok.yaml', '- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n');
    expect(await main(['validate', rules], silent)).toBe(0);
    expect(mockLoaded).toEqual([]);
    let usage = '';
    expect(await main(['test', '--help'], { stdout: (t) => { usage += t; }, stderr: () => undefined })).toBe(0);
    expect(usage).toMatch(/^usage: detection-stack test /);
    expect(mockLoaded).toEqual(['test']);
  });

  test('the help text lists every command without loading any', async () => {
    mockLoaded.length = 0;
    let help = '';
    expect(await main(['--help'], { stdout: (t) => { help += t; }, stderr: () => undefined })).toBe(0);
    expect(COMMANDS.map((c) => c.name)).toEqual(['validate', 'test', 'plan', 'report', 'deliver']);
    for (const c of COMMANDS) expect(help).toContain(`  ${c.name.padEnd(8)}  ${c.summary}\n`);
    expect(mockLoaded).toEqual([]);
  });
});

describe("V8's optimizing compiler waits for a large input", () => {
  test('off after interpretUntilLargeInput, on again once OPTIMIZE_FROM_BYTES characters are read', () => {
    // %GetOptimizationStatus bit 4 (16) is "optimized" (v8 src/runtime/runtime.h, OptimizationStatus)
    const script = `
      const { interpretUntilLargeInput, InputBudget, OPTIMIZE_FROM_BYTES } = require(${JSON.stringify(join(ROOT, 'lib', 'cli', 'input.ts'))});
      const budget = new InputBudget({ what: 'inputs', bytes: 2 * OPTIMIZE_FROM_BYTES, fix: '' });
      const make = () => function hot(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; };
      const status = (f) => { for (let i = 0; i < 3000; i++) f(1000); return %GetOptimizationStatus(f); };
      interpretUntilLargeInput();
      budget.read('-', () => 'x'.repeat(OPTIMIZE_FROM_BYTES - 1));
      const small = status(make());
      budget.read('-', () => 'x');
      const large = status(make());
      console.log(JSON.stringify({ smallOptimized: (small & 16) !== 0, largeOptimized: (large & 16) !== 0 }));`;
    const run = spawnSync(process.execPath, [
      '--allow-natives-syntax', '--no-concurrent-recompilation', '-r', 'ts-node/register/transpile-only', '-e', script,
    ], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ smallOptimized: false, largeOptimized: true });
  }, 60_000);

  test('a program that calls the CLI in process keeps its compiler: main() never turns it off', async () => {
    const script = `
      const { main } = require(${JSON.stringify(join(ROOT, 'lib', 'cli', 'main.ts'))});
      const make = () => function hot(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; };
      const status = (f) => { for (let i = 0; i < 3000; i++) f(1000); return %GetOptimizationStatus(f); };
      main(['validate', ${JSON.stringify(file('in-process.yaml', '- list: l\n  items: [a]\n'))}], { stdout() {}, stderr() {} })
        .then((code) => console.log(JSON.stringify({ code, optimized: (status(make()) & 16) !== 0 })));`;
    const run = spawnSync(process.execPath, [
      '--allow-natives-syntax', '--no-concurrent-recompilation', '-r', 'ts-node/register/transpile-only', '-e', script,
    ], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual({ code: 0, optimized: true });
  }, 60_000);
});

describe('bin/detection-stack ends once its output is written', () => {
  test('GIVEN 3,000 errors WHEN validate writes them to a pipe THEN every line and the summary arrive', () => {
    if (!existsSync(join(ROOT, 'build', 'cli', 'main.js'))) execFileSync('npx', ['tsc', '--build'], { cwd: ROOT });
    const rules = file('many-errors.yaml', Array.from({ length: 3000 }, (_, i) =>
      `- rule: R${i}\n  desc: d\n  condition: evt.type = open and proc.pid = abc${i}\n  output: o\n  priority: INFO\n`).join(''));
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'detection-stack'), 'validate', rules], { encoding: 'utf8', maxBuffer: 2 ** 28 });
    const lines = run.stdout.split('\n');
    expect(run.status).toBe(1);
    expect(lines.filter((l) => / error COND_BAD_VALUE /.test(l))).toHaveLength(3000);
    expect(lines.slice(-2)).toEqual(['invalid: 1 file, 3000 errors, 0 warnings', '']);
  }, 120_000);
});

describe("validate of block-style rules files loads neither the yaml library's parser nor net", () => {
  const loaded = (rules: string): { code: number; yamlFiles: string[]; net: boolean } => {
    const script = `
      const { isBuiltin } = require('module');
      const netBefore = process.moduleLoadList.includes('NativeModule net');
      const { main } = require(${JSON.stringify(join(ROOT, 'lib', 'cli', 'main.ts'))});
      main(['validate', ${JSON.stringify(rules)}], { stdout() {}, stderr() {} }).then((code) => console.log(JSON.stringify({
        code,
        yamlFiles: Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]yaml[\\\\/]/.test(k)).map((k) => k.replace(/.*[\\\\/]yaml[\\\\/]dist[\\\\/]/, '')).sort(),
        net: !netBefore && process.moduleLoadList.includes('NativeModule net'),
      })));`;
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout);
  };

  test('GIVEN a block-style rules file THEN only the node-type tests of yaml are loaded (not its node classes, stringifier, composer, schemas or index)', () => {
    const got = loaded(file('block.yaml', '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = sh\n  output: o %proc.name\n  priority: INFO\n'));
    expect(got.code).toBe(0);
    expect(got.yamlFiles).toEqual(['nodes/identity.js']);
    expect(got.yamlFiles.filter((f) => f.startsWith('compose/') || f.startsWith('schema/tags') || f.startsWith('parse/'))).toEqual([]);
    expect(got.net).toBe(false);
  }, 60_000);

  test('GIVEN a file outside the block subset (flow mapping, anchor) THEN the whole library reads it, with the same node classes', () => {
    const got = loaded(file('flow.yaml', '- {list: l, items: &a [x]}\n- list: m\n  items: *a\n'));
    expect(got.code).toBe(0);
    expect(got.yamlFiles).toContain('index.js');
    expect(got.yamlFiles).toContain('compose/composer.js');
  }, 60_000);
});
