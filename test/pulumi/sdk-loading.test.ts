import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/* packages that ended up in require.cache. */
function pulumiPackagesLoadedBy(modulePath: string, viaTsNode = true): string[] {
  const script = `
    require(${JSON.stringify(modulePath)});
    const loaded = new Set();
    for (const file of Object.keys(require.cache)) {
      const m = file.match(/node_modules[\\\\/]@pulumi[\\\\/]([^\\\\/]+)/);
      if (m) loaded.add('@pulumi/' + m[1]);
    }
    process.stdout.write(JSON.stringify([...loaded].sort()));`;
  const out = execFileSync(process.execPath, [...(viaTsNode ? ['-r', 'ts-node/register/transpile-only'] : []), '-e', script], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_SKIP_PROJECT: 'true', TS_NODE_COMPILER_OPTIONS: '{"module":"commonjs"}' },
  });
  return JSON.parse(out);
}

describe('the published package, by its own name (package.json exports)', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'build', 'pulumi', 'aws.js'))) execFileSync('npx', ['tsc', '--build'], { cwd: ROOT });
  }, 120_000);

  test("require('detection-stack') loads no @pulumi/* module", () => {
    expect(pulumiPackagesLoadedBy('detection-stack', false)).toEqual([]);
  }, 60_000);

  test("require('detection-stack/pulumi/aws') loads the AWS SDK and never @pulumi/oci or @pulumi/azure-native", () => {
    expect(pulumiPackagesLoadedBy('detection-stack/pulumi/aws', false)).toEqual(['@pulumi/aws', '@pulumi/kubernetes', '@pulumi/pulumi']);
  }, 60_000);
});

test('the package entry point (cdk8s users) loads no @pulumi/* module', () => {
  expect(pulumiPackagesLoadedBy('./lib/index.ts')).toEqual([]);
}, 60_000);

test('the AWS module loads @pulumi/aws and the Kubernetes deployer, never @pulumi/oci or @pulumi/azure-native', () => {
  expect(pulumiPackagesLoadedBy('./lib/pulumi/aws.ts')).toEqual(['@pulumi/aws', '@pulumi/kubernetes', '@pulumi/pulumi']);
}, 60_000);

test('the OCI module loads @pulumi/oci only, among provider SDKs', () => {
  expect(pulumiPackagesLoadedBy('./lib/pulumi/oci.ts')).toEqual(['@pulumi/kubernetes', '@pulumi/oci', '@pulumi/pulumi']);
}, 60_000);

test('the Azure module loads @pulumi/azure-native only, among provider SDKs (and @pulumi/command, which locks the immutability policies)', () => {
  expect(pulumiPackagesLoadedBy('./lib/pulumi/azure.ts')).toEqual(['@pulumi/azure-native', '@pulumi/command', '@pulumi/kubernetes', '@pulumi/pulumi']);
}, 60_000);
