import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { parseReportArgs, runReportCommand } from '../../lib/cli/report-command';
import { DetectionStackError } from '../../lib/core/errors';
import { renderReports } from '../../lib/report/write';
import { eksPlan, okePlan } from '../report/stacks';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

/** `report APP` in a real Node process: jest's module sandbox cannot run an app as the main module. */
function reportInNode(app: string) {
  const script = 'const { runReportCommand } = require("./lib/cli/report-command");'
    + 'process.exitCode = runReportCommand([process.argv[1]], { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });';
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, app], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
}

describe('detection-stack report', () => {
  test('prints the same Markdown as REPORT.md for every stack the app builds', () => {
    const { io: cli, out, err } = io();
    const plans = [eksPlan(), okePlan()];
    expect(runReportCommand(['examples/x'], cli, (target) => (target === 'examples/x' ? plans : []))).toBe(0);
    expect(err).toEqual([]);
    expect(out.join('')).toBe(renderReports(plans));
    expect(out.join('')).toContain('# Detection coverage: eks-stack');
    expect(out.join('')).toContain('# Detection coverage: oke-stack');
  });

  test('--format json prints the coverage model', () => {
    const { io: cli, out } = io();
    expect(runReportCommand(['app.ts', '--format', 'json'], cli, () => [okePlan()])).toBe(0);
    const parsed = JSON.parse(out.join(''));
    expect(parsed).toHaveLength(1);
    expect(parsed[0].stack).toEqual({ path: 'oke-stack', cluster: 'prod-oke', provider: 'oke', providerName: 'Oracle Kubernetes Engine', namespace: 'falco' });
  });

  test('--out writes REPORT.md and one runbook per pack rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-out-'));
    const { io: cli, out } = io();
    expect(runReportCommand(['app', '--out', dir], cli, () => [okePlan()])).toBe(0);
    expect(readFileSync(join(dir, 'REPORT.md'), 'utf8')).toContain('## Coverage matrix');
    expect(existsSync(join(dir, 'runbooks', 'ds-privileged-pod-created.md'))).toBe(true);
    expect(out.join('')).toContain(`wrote ${join(dir, 'REPORT.md')}`);
    // the audit Policy for self-managed control planes, next to the report
    const policy = parse(readFileSync(join(dir, 'audit-policy.yaml'), 'utf8'));
    expect(policy).toMatchObject({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'] });
    expect(out.join('')).toContain(`wrote ${join(dir, 'audit-policy.yaml')}`);
  });

  test('usage errors exit 2 with the usage line', () => {
    const { io: cli, err } = io();
    expect(runReportCommand([], cli, () => [])).toBe(2);
    expect(err.join('')).toBe('error CLI_USAGE the app (an example folder or its main.ts) is missing\n'
      + 'usage: detection-stack report TARGET [--format markdown|json] [--out DIR]\n');
    expect(() => parseReportArgs(['a', '--format', 'yaml'])).toThrow(/--format takes markdown or json, not 'yaml'/);
    expect(() => parseReportArgs(['a', 'b'])).toThrow(/one app only/);
  });

  test('an app that fails with a DetectionStackError exits 1 with the error, no stack trace', () => {
    const { io: cli, err } = io();
    const failing = () => { throw new DetectionStackError('DS-PROPS-002', 'app/cluster.name', "cluster name 'x y' is not valid", 'fix it'); };
    expect(runReportCommand(['app'], cli, failing)).toBe(1);
    expect(err.join('')).toBe("error DS-PROPS-002 at app/cluster.name: cluster name 'x y' is not valid. Fix: fix it\n");
  });

  test('runs a real cdk8s app from its folder (as cdk8s synth would) without writing manifests', () => {
    const app = join(__dirname, '..', 'report', 'fixtures', 'app');
    const result = reportInNode(app);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('# Detection coverage: report-fixture');
    expect(result.stdout).toContain('| DS Shell In Product Container | Runtime: Falco | payments-sec | WARNING | medium |');
    expect(existsSync(join(app, 'dist'))).toBe(false);
  }, 60_000);

  test('an app whose definition fails reports that error once, with no second "no stack" error', () => {
    const result = reportInNode(join(__dirname, '..', 'report', 'fixtures', 'failing-app'));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error DS-CHECK-001 at failing-fixture/suppressions[0]: suppression of DS-FALCO-101 has no meaningful reason. '
      + 'Fix: give a reason of at least 10 characters saying why the risk is accepted\n');
    expect(result.stderr).not.toContain('DS-PACK-032');
  }, 60_000);

  test('an app with its own tsconfig (nodenext resolution, verbatimModuleSyntax) runs as cdk8s synth runs it', () => {
    // Was CLI_INTERNAL 'TS5110: Option module must be set to Node16 when moduleResolution is set to Node16'.
    const result = reportInNode(join(__dirname, '..', 'report', 'fixtures', 'nodenext-app'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('# Detection coverage: nodenext-fixture');
  }, 60_000);

  test('an app that throws while it runs is DS-PACK-033 at its own file:line:col, never CLI_INTERNAL', () => {
    const app = join(mkdtempSync(join(tmpdir(), 'ds-report-')), 'main.js');
    writeFileSync(app, "'use strict';\nconst stacks = undefined;\nstacks.forEach((s) => s);\n");
    const result = reportInNode(app);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error DS-PACK-033 at ${app}:3:8: the app failed while it ran: TypeError: Cannot read properties of undefined `
      + "(reading 'forEach'). Fix: run the app as cdk8s synth does (npx ts-node main.ts) and fix the error there; the report needs an app that runs\n");
  }, 60_000);

  test('a folder without an app is refused with the place named', () => {
    const { io: cli, err } = io();
    expect(runReportCommand([tmpdir()], cli)).toBe(1);
    expect(err.join('')).toMatch(/^error DS-PACK-030 at .*: the folder has no main.ts or main.js/);
  });

  test('a file that is not a .ts or .js app (a rules YAML given by mistake) is refused, not run as JavaScript', () => {
    const yamlFile = join(mkdtempSync(join(tmpdir(), 'ds-report-')), 'rules.yaml');
    writeFileSync(yamlFile, '- rule: r\n  desc: d\n');
    const { io: cli, err } = io();
    expect(runReportCommand([yamlFile], cli)).toBe(1);
    expect(err.join('')).toBe(`error DS-PACK-030 at ${yamlFile}: this is not a cdk8s app file (.ts or .js). Fix: give an example folder (with main.ts) or the app file\n`);
  });

  test('DS-PACK-031: a TypeScript app where ts-node cannot be loaded names the app and the install', () => {
    const app = join(mkdtempSync(join(tmpdir(), 'ds-report-')), 'main.ts');
    writeFileSync(app, 'export {};\n');
    let message = '';
    jest.isolateModules(() => {
      // As in a project without ts-node: requiring it fails as Node fails on a missing module.
      jest.doMock('ts-node', () => { throw Object.assign(new Error("Cannot find module 'ts-node'"), { code: 'MODULE_NOT_FOUND' }); });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { loadStackPlans } = require('../../lib/report/load-app') as typeof import('../../lib/report/load-app');
      try {
        loadStackPlans(app);
      } catch (e) {
        message = (e as Error).message;
      }
    });
    jest.dontMock('ts-node');
    expect(message).toBe(`DS-PACK-031 at ${app}: ts-node is needed to run a TypeScript app and was not found. `
      + 'Fix: npm install --save-dev ts-node, or compile the app and pass its .js file');
  });
});
