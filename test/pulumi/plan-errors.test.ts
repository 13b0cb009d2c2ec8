import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { AksDetectionStack } from '../../lib/pulumi/azure';
import { OkeDetectionStack } from '../../lib/pulumi/oci';
import { OfflinePlanOptions, PLAN_BOUNDS, planProgram } from '../../lib/pulumi/offline-plan';

// The Pulumi codes a user meets when a component's input or the program around it is wrong: each provoked
// through the public API, asserted with its code, place and problem.
const REPO_MODULES = path.resolve(__dirname, '../../node_modules');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-errors-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A Pulumi program folder; `linked`: the SDKs installed beside it (a link to the repository's node_modules), as in a user's project. */
function program(name: string, files: Record<string, string>, linked = true): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), `name: ${name}\nruntime: nodejs\n`);
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  if (linked) fs.symlinkSync(REPO_MODULES, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

async function planError(dir: string, options: OfflinePlanOptions = {}): Promise<[string, string]> {
  try {
    await planProgram(dir, options);
  } catch (e) {
    return [(e as { code: string }).code, (e as Error).message];
  }
  return ['planned', ''];
}

describe('detection-stack plan', () => {
  test('DS-PULUMI-021: a program that cannot resolve @pulumi/pulumi (nothing installed beside it)', async () => {
    const dir = program('no-sdk', { 'index.js': "require('@pulumi/pulumi');\n" }, false);
    expect(await planError(dir)).toEqual(['DS-PULUMI-021',
      `DS-PULUMI-021 at ${dir}: @pulumi/pulumi cannot be resolved from the program. Fix: npm install @pulumi/pulumi (and the provider SDKs) where the program can find them`]);
  });

  test('DS-PULUMI-023: a program that fails with an error of its own is reported with its first line, not a stack trace', async () => {
    const dir = program('throws', { 'index.js': "require('@pulumi/pulumi');\nthrow new Error('subnet list is empty\\nat line 2');\n" });
    expect(await planError(dir)).toEqual(['DS-PULUMI-023',
      `DS-PULUMI-023 at ${dir}: the program failed under mocks: subnet list is empty. Fix: run it with \`pulumi preview\` for the full error, or fix the stack definition`]);
  });

  test('DS-PULUMI-024: an encrypted value in the plan stack file cannot be read offline', async () => {
    const dir = program('encrypted', {
      'index.js': "require('@pulumi/pulumi');\n",
      'Pulumi.plan.yaml': 'config:\n  webhook:\n    secure: v1:AAAABBBB\n',
    });
    expect(await planError(dir)).toEqual(['DS-PULUMI-024',
      `DS-PULUMI-024 at ${path.join(dir, 'Pulumi.plan.yaml')}: webhook: encrypted config cannot be read without the Pulumi CLI. Fix: give the plan stack plain placeholder values`]);
  });

  test('DS-PULUMI-048: a plan stack file or Pulumi.yaml that is not YAML, or no mapping, is named with its place (was CLI_INTERNAL without the file)', async () => {
    const broken = program('broken-config', { 'index.js': "require('@pulumi/pulumi');\n", 'Pulumi.plan.yaml': 'config:\n  tenancyId: [unclosed\n' });
    const [code, message] = await planError(broken);
    expect(code).toBe('DS-PULUMI-048');
    expect(message).toMatch(new RegExp(`^DS-PULUMI-048 at ${path.join(broken, 'Pulumi.plan.yaml').replace(/[.]/g, '\\.')}:3:1: not valid YAML: `));
    expect(message).toContain('Fix: correct the YAML at the place given (Pulumi reads the same file)');
    const list = program('list-config', { 'index.js': "require('@pulumi/pulumi');\n", 'Pulumi.plan.yaml': 'config:\n  - tenancyId\n' });
    expect(await planError(list)).toEqual(['DS-PULUMI-048', `DS-PULUMI-048 at ${path.join(list, 'Pulumi.plan.yaml')}: \`config\` is not a mapping of keys to values. `
      + 'Fix: write config: followed by indented `key: value` lines, as `pulumi config set` writes them']);
    const project = program('binary-project', { 'index.js': "require('@pulumi/pulumi');\n", 'Pulumi.yaml': '- name\n- runtime\n' });
    expect(await planError(project)).toEqual(['DS-PULUMI-048', `DS-PULUMI-048 at ${path.join(project, 'Pulumi.yaml')}: the file is a list, not a mapping. `
      + 'Fix: write it as Pulumi does: top-level keys (name:, runtime: in Pulumi.yaml; config: in Pulumi.<stack>.yaml)']);
  });

  test('DS-PULUMI-025: the AWS provider asked for its region with none configured', async () => {
    const dir = program('no-region', { 'index.js': "const aws = require('@pulumi/aws');\nmodule.exports = async () => { await aws.getRegion({}); };\n" });
    const saved = [process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION];
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect(await planError(dir)).toEqual(['DS-PULUMI-025',
        'DS-PULUMI-025 at aws:region: the AWS provider has no region. Fix: set aws:region in the Pulumi.<stack>.yaml config (pulumi config set aws:region <region>)']);
    } finally {
      if (saved[0] !== undefined) process.env.AWS_REGION = saved[0];
      if (saved[1] !== undefined) process.env.AWS_DEFAULT_REGION = saved[1];
    }
  });
});

describe('the offline plan\'s bounds (#14: never a hang, never a silent exit)', () => {
  test('DS-PULUMI-039: a program registering more resources than the bound is stopped, its count named', async () => {
    const files = {
      'index.js': "const aws = require('@pulumi/aws');\nfor (let i = 0; i < 12; i++) new aws.s3.Bucket(`b${i}`);\n",
      'Pulumi.plan.yaml': 'config:\n  aws:region: eu-west-1\n',
    };
    const dir = program('many', files);
    expect(await planError(dir, { maxResources: 10 })).toEqual(['DS-PULUMI-039',
      `DS-PULUMI-039 at ${dir}: the program registers more than 10 resources, the offline plan's bound (README, Bounds). ` +
      'Fix: plan one stack per run (`plan --stack NAME`), or look for a loop that registers resources without end']);
    // at the bound itself it plans (a folder of its own: Node runs a program's module once per process)
    expect((await planProgram(program('many-at-bound', files), { maxResources: 12 })).resources).toHaveLength(12);
    expect(PLAN_BOUNDS).toEqual({ seconds: 120, resources: 2000 });
  }, 60_000); // the first require of @pulumi/aws takes seconds on a loaded machine

  test('DS-PULUMI-039: a program still running after the time bound is stopped', async () => {
    const dir = program('endless', { 'index.js': 'module.exports = () => new Promise(() => { globalThis.endlessPlanTimer = setInterval(() => undefined, 20); });\n' });
    try {
      expect(await planError(dir, { timeoutSeconds: 0.5 })).toEqual(['DS-PULUMI-039',
        `DS-PULUMI-039 at ${dir}: the program was still running after 0.5 s under mocks, the offline plan's bound (README, Bounds). ` +
        'Fix: look for a Promise, timer or loop that never ends in the program (under mocks no cloud call waits)']);
    } finally {
      clearInterval((globalThis as { endlessPlanTimer?: NodeJS.Timeout }).endlessPlanTimer);
    }
  });

  test('the plan captures no stack frames while the program runs (Pulumi stores a trace on every promise), and restores the limit', async () => {
    const dir = program('frames', {
      'index.js': "const aws = require('@pulumi/aws');\nnew aws.s3.Bucket('frames', { tags: { lines: String(new Error('probe').stack.split('\\n').length) } });\n",
      'Pulumi.plan.yaml': 'config:\n  aws:region: eu-west-1\n',
    });
    const before = Error.stackTraceLimit;
    const plan = await planProgram(dir);
    expect(plan.resources.map((r) => [r.name, r.inputs.tags])).toEqual([['frames', { lines: '1' }]]);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('after').stack?.split('\n').length).toBeGreaterThan(1);
  }, 60_000); // run alone, it is the first to load @pulumi/aws (seconds on a loaded machine)

  test('DS-PULUMI-022: a TypeScript program where ts-node cannot be resolved names the folder and the install', () => {
    // Outside Jest (which compiles .ts itself) the plan registers ts-node for index.ts. The child loads the sources through
    // ts-node, then takes the .ts loader away and makes 'ts-node' unresolvable, as in a project that has none installed.
    const dir = program('no-ts-node', { 'index.ts': 'export {};\n' });
    const script = `require('ts-node').register({ transpileOnly: true });
      const { planProgram } = require(${JSON.stringify(path.resolve(__dirname, '../../lib/pulumi/offline-plan'))});
      delete require.extensions['.ts'];
      const Module = require('module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'ts-node') throw Object.assign(new Error("Cannot find module 'ts-node'"), { code: 'MODULE_NOT_FOUND' });
        return resolve.call(this, request, ...rest);
      };
      planProgram(process.argv[1]).then(() => console.log('planned'), (e) => { console.log(e.message); process.exitCode = 1; });`;
    const r = spawnSync(process.execPath, ['-e', script, dir], { encoding: 'utf8', cwd: path.resolve(__dirname, '../..') });
    expect([r.status, r.stdout.trim()]).toEqual([1, `DS-PULUMI-022 at ${dir}: ts-node is needed to run index.ts. Fix: npm install --save-dev ts-node typescript`]);
  }, 60_000);

  test('DS-PULUMI-040: a program awaiting what never comes fails with the reason instead of exiting 0 with no plan', () => {
    // Only a process of its own empties its event loop (Jest keeps this one busy): the plan runs in a child, from the sources.
    const dir = program('never', { 'index.js': 'module.exports = () => new Promise(() => undefined);\n' });
    const script = `require('ts-node').register({ transpileOnly: true });
      require(${JSON.stringify(path.resolve(__dirname, '../../lib/pulumi/offline-plan'))}).planProgram(process.argv[1])
        .then(() => console.log('planned'), (e) => { console.log(e.message); process.exitCode = 1; });`;
    const r = spawnSync(process.execPath, ['-e', script, dir], { encoding: 'utf8', cwd: path.resolve(__dirname, '../..') });
    expect([r.status, r.stdout.trim()]).toEqual([1, `DS-PULUMI-040 at ${dir}: the program awaits something that never comes: nothing was left to run before it finished, ` +
      "and no plan was made. Fix: let the exported function's Promise resolve once the program has registered its resources"]);
  }, 60_000);
});

describe('component inputs', () => {
  beforeAll(async () => {
    await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs }, 'errors', 'test', false);
  });

  test('DS-PULUMI-013: an Azure blob container name that breaks Azure\'s rules (dots, as in detections.prod.aks)', () => {
    expect(() => new AksDetectionStack('z', {
      stack: { cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' }, durable: { waived: { reason: 'container name test' } } },
      resourceGroupName: 'rg',
      cluster: { id: 'id' },
      storageAccountName: 'prodaksdetection',
      containerName: 'detections.prod.aks',
    })).toThrow(/^DS-PULUMI-013 at z\/containerName: 'detections\.prod\.aks' .*\. Fix: set containerName to 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit, e\.g\. 'detection-alerts'$/);
  });

  test('an OKE stack that ships alerts without Object Storage access is refused by the stack, before the component (DS-DURABLE-053)', () => {
    expect(() => new OkeDetectionStack('o', {
      stack: { cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, durable: { bucket: { name: 'o-alerts' } } },
      tenancyId: 't',
      compartmentId: 'c',
    })).toThrow('DS-DURABLE-053 at o/durable.bucket.oci: the shipper has no access to Object Storage. ' +
      'Fix: set bucket.oci { objectStorageNamespace, accessKeyId, secretAccessKey } with a Customer Secret Key kept in a Secret');
  });
});
