import * as fs from 'fs';
import * as os from 'os';
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
    // A fleet's program: one stack per cluster, the stack's config file selecting it.
    expect(parsePlanArgs(['examples/fleet/pulumi', '--stack', 'prod-eu'])).toEqual({ dir: 'examples/fleet/pulumi', format: 'text', stack: 'prod-eu' });
  });
  test.each([
    [[], /the program folder is missing/],
    [['a', 'b'], /one program folder only/],
    [['a', '--format', 'yaml'], /--format takes text or json, not 'yaml'/],
    [['a', '--preview'], /unknown option '--preview'/],
    [['a', '--stack'], /--stack needs a stack name\n/],
    [['a', '--stack', '../x'], /--stack takes a stack name .*, not '..\/x'/],
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

describe('plan names what is wrong with the folder or its config', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('a path that does not exist, or is a file, says so', async () => {
    const missing = io();
    await expect(runPlanCommand([path.join(scratch, 'nowhere')], missing.io)).resolves.toBe(1);
    expect(missing.err.join('')).toMatch(/^error DS-PULUMI-026 at .*nowhere: no such folder\. Fix: pass the folder of a Pulumi program/);
    const file = path.join(scratch, 'index.ts');
    fs.writeFileSync(file, '');
    const asFile = io();
    await expect(runPlanCommand([file], asFile.io)).resolves.toBe(1);
    expect(asFile.err.join('')).toMatch(/^error DS-PULUMI-026 at .*index\.ts: this is a file, not a folder/);
  });

  test('a config key the program requires and Pulumi.plan.yaml lacks is named, with the file to put it in', async () => {
    const program = path.join(scratch, 'needs-config');
    fs.mkdirSync(program);
    fs.writeFileSync(path.join(program, 'Pulumi.yaml'), 'name: needs-config\nruntime: nodejs\n');
    fs.writeFileSync(path.join(program, 'Pulumi.plan.yaml'), 'config:\n  other: x\n');
    fs.writeFileSync(path.join(program, 'index.ts'), "import * as pulumi from '@pulumi/pulumi';\nnew pulumi.Config().require('clusterId');\n");
    // A user's program has @pulumi/pulumi installed beside it; outside the repository only a link gives it one.
    fs.symlinkSync(path.resolve(__dirname, '../../node_modules'), path.join(program, 'node_modules'), 'dir');
    const sink = io();
    await expect(runPlanCommand([program], sink.io)).resolves.toBe(1);
    expect(sink.err.join('')).toBe(`error DS-PULUMI-027 at ${path.join(program, 'Pulumi.plan.yaml')}: the program needs the config key 'clusterId' ` +
      `(needs-config:clusterId), which this file does not set. Fix: add it under config: in ${path.join(program, 'Pulumi.plan.yaml')}, e.g. \`  clusterId: <placeholder>\`\n`);
  }, 60_000);
});
