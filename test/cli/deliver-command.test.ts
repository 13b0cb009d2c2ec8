import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DELIVER_USAGE, parseDeliverArgs, runDeliverCommand, stackFolders } from '../../lib/cli/deliver-command';
import { main } from '../../lib/cli/main';
import { DetectionStackError } from '../../lib/core/errors';
import { helmDelivery, renderHelmFiles } from '../../lib/helm/releases';
import { operatorDelivery } from '../../lib/operator/resources';
import { eksPlan, okePlan } from '../report/stacks';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe('detection-stack deliver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deliver-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('one stack: DIR/helm/ with the values and HELM.md, DIR/operator/ with the operator resources, from its plan', () => {
    const out = join(dir, 'one');
    const plan = eksPlan();
    const { io: cli, out: stdout, err } = io();
    expect(runDeliverCommand(['examples/x', '--out', out], cli, (t) => (t === 'examples/x' ? [plan] : []))).toBe(0);
    expect(err).toEqual([]);
    expect(readdirSync(join(out, 'helm')).sort()).toEqual(['HELM.md', 'falco-values.yaml', 'falcosidekick-values.yaml', 'tetragon-values.yaml']);
    expect(readdirSync(join(out, 'operator')).sort()).toEqual(['OPERATOR.md', 'falco-operator.yaml']);
    expect(readFileSync(join(out, 'helm', 'falco-values.yaml'), 'utf8')).toBe(renderHelmFiles(helmDelivery(plan))[0].text);
    expect(readFileSync(join(out, 'operator', 'falco-operator.yaml'), 'utf8')).toContain(`kind: ${operatorDelivery(plan).objects[0].kind}`);
    expect(stdout.join('')).toContain(`wrote ${join(out, 'helm', 'falco-values.yaml')}`);
  });

  test('several stacks: a folder per cluster; --only writes one delivery', () => {
    const out = join(dir, 'two');
    const { io: cli } = io();
    expect(runDeliverCommand(['app.ts', '--out', out, '--only', 'helm'], cli, () => [eksPlan(), okePlan()])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['prod-eks', 'prod-oke']);
    expect(readdirSync(join(out, 'prod-oke'))).toEqual(['helm']);
    expect(stackFolders([eksPlan(), eksPlan(), okePlan()])).toEqual(['prod-eks', 'prod-eks-2', 'prod-oke']);
  });

  test('usage errors name the problem (exit 2); an app that fails prints its error (exit 1)', () => {
    expect(() => parseDeliverArgs(['app'])).toThrow('--out DIR is missing');
    expect(() => parseDeliverArgs(['--out', 'd'])).toThrow('the app (an example folder or its main.ts) is missing');
    expect(() => parseDeliverArgs(['a', 'b', '--out', 'd'])).toThrow("one app only (got 'a' and 'b')");
    expect(() => parseDeliverArgs(['a', '--out', 'd', '--only', 'flux'])).toThrow("--only takes helm or operator, not 'flux'");
    expect(() => parseDeliverArgs(['a', '--out', 'd', '--helm'])).toThrow("unknown option '--helm'");
    const bad = io();
    expect(runDeliverCommand(['a'], bad.io, () => [])).toBe(2);
    expect(bad.err.join('')).toBe(`error CLI_USAGE --out DIR is missing: the folder to write helm/ and operator/ into\n${DELIVER_USAGE}\n`);
    const failing = io();
    expect(runDeliverCommand(['a', '--out', join(dir, 'x')], failing.io, () => {
      throw new DetectionStackError('DS-PACK-030', 'a', 'no such file or folder', 'give an example folder (with main.ts) or the app file');
    })).toBe(1);
    expect(failing.err.join('')).toContain('error DS-PACK-030 at a: no such file or folder');
    const empty = io();
    expect(runDeliverCommand(['a', '--out', join(dir, 'y')], empty.io, () => [])).toBe(1);
    expect(empty.err.join('')).toBe('error CLI_USAGE a builds no DetectionStack: nothing to deliver\n');
  });

  test('is a command of the CLI, with its usage under --help', async () => {
    const { io: cli, out } = io();
    expect(await main(['deliver', '--help'], cli)).toBe(0);
    expect(out.join('')).toContain(DELIVER_USAGE);
  });
});
