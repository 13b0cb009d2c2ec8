import * as path from 'path';
import { formatPlanTable, parsePlanArgs, runPlanCommand } from '../../lib/cli/plan-command';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } };
};

describe('parsePlanArgs', () => {
  test('takes one folder and an optional format', () => {
    expect(parsePlanArgs(['examples/eks-pulumi'])).toEqual({ dir: 'examples/eks-pulumi', format: 'text' });
    expect(parsePlanArgs(['--format', 'json', 'dir'])).toEqual({ dir: 'dir', format: 'json' });
  });
  test.each([
    [[], /the program folder is missing/],
    [['a', 'b'], /one program folder only/],
    [['a', '--format', 'yaml'], /--format takes text or json, not 'yaml'/],
    [['a', '--preview'], /unknown option '--preview'/],
  ])('rejects %j', async (argv, message) => {
    const { err, io: sink } = io();
    await expect(runPlanCommand(argv as string[], sink)).resolves.toBe(2);
    expect(err.join('')).toMatch(message);
    expect(err.join('')).toMatch(/^error CLI_USAGE .*\nusage: detection-stack plan DIR/);
  });
});

test('a folder without a program is an error with a code, not a stack trace', async () => {
  const { err, io: sink } = io();
  await expect(runPlanCommand([__dirname], sink)).resolves.toBe(1);
  expect(err.join('')).toMatch(/^error DS-PULUMI-020 at .*test\/cli: no index.ts or index.js in this folder/);
});

test('--format json prints every registered resource, secrets as [secret]', async () => {
  const { out, io: sink } = io();
  await expect(runPlanCommand(['--format', 'json', path.join(__dirname, '..', '..', 'examples', 'oke-pulumi')], sink)).resolves.toBe(0);
  const plan = JSON.parse(out.join(''));
  expect(Object.keys(plan)).toEqual(['resources']);
  const types = plan.resources.map((r: { type: string }) => r.type);
  expect(types).toEqual(expect.arrayContaining(['detection-stack:oke:DetectionStack', 'oci:ObjectStorage/bucket:Bucket', 'kubernetes:apps/v1:DaemonSet']));
  for (const r of plan.resources) expect(Object.keys(r).slice(0, 3)).toEqual(['type', 'name', 'inputs']);
  const secret = plan.resources.find((r: { name: string }) => r.name === 'prod-oke-detection-k8s-routing-slack');
  expect(secret.inputs.stringData).toBe('[secret]');
}, 60_000);

test('the text format is a table with one row per resource', () => {
  const text = formatPlanTable({
    resources: [
      { type: 'aws:s3/bucket:Bucket', name: 'b', inputs: {}, urn: 'urn:pulumi:s::p::detection-stack:eks:DurableBucket$aws:s3/bucket:Bucket::b', parent: 'p' },
      { type: 'detection-stack:eks:DurableBucket', name: 'p', inputs: {}, urn: 'urn:pulumi:s::p::detection-stack:eks:DurableBucket::p', dependsOn: ['urn:pulumi:s::p::aws:kms/key:Key::k'] },
    ],
  });
  expect(text).toBe([
    'TYPE                               NAME  PARENT  DEPENDS ON',
    'aws:s3/bucket:Bucket               b     p',
    'detection-stack:eks:DurableBucket  p             Key/k',
    '',
    '2 resources',
    '',
  ].join('\n'));
});
