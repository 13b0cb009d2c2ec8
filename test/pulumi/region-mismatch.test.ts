import { execFileSync, spawnSync } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';
import { EXAMPLES } from './plan-helpers';
import { planProgram } from '../../lib/pulumi/offline-plan';

// GIVEN an example program WHEN its provider is configured for another region than the stack's
// cluster.region THEN planning it fails with DS-PULUMI-034 naming both regions and the setting to change,
// instead of writing ARNs, kms:ViaService, logs.<region> or Object Storage endpoints for the wrong region.
jest.setTimeout(120_000);
const ROOT = path.join(__dirname, '..', '..');

test('EKS: aws:region set to another region than the stack refuses the whole program', async () => {
  await expect(planProgram(path.join(EXAMPLES, 'eks-pulumi'), { config: { 'aws:region': 'us-east-1' } })).rejects.toThrow(
    "DS-PULUMI-034 at prod-eks-audit/cluster.region: the stack is for 'eu-west-1' but the provider is configured for 'us-east-1'. " +
    "Fix: set aws:region to 'eu-west-1' (pulumi config set aws:region eu-west-1), or cluster.region to 'us-east-1'");
});

test('OKE: oci:region set to another region than the stack refuses the whole program', async () => {
  await expect(planProgram(path.join(EXAMPLES, 'oke-pulumi'), { config: { 'oci:region': 'eu-amsterdam-1' } })).rejects.toThrow(
    "DS-PULUMI-034 at prod-oke-detection/cluster.region: the stack is for 'eu-frankfurt-1' but the provider is configured for 'eu-amsterdam-1'. " +
    "Fix: set oci:region to 'eu-frankfurt-1' (pulumi config set oci:region eu-frankfurt-1), or cluster.region to 'eu-amsterdam-1'");
});

test('EKS: an explicit provider for another region is refused too, once aws.getRegion answers through it', () => {
  // Run by the CLI in a plain Node process: Jest's sandboxed process never sees the late rejection of an apply.
  if (!existsSync(path.join(ROOT, 'build', 'pulumi', 'offline-plan.js'))) execFileSync('npx', ['tsc', '--build'], { cwd: ROOT });
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'detection-stack'), 'plan', path.join(__dirname, 'fixtures', 'eks-explicit-provider')], { encoding: 'utf8' });
  expect([r.status, r.stdout, r.stderr]).toEqual([1, '', "error DS-PULUMI-034 at explicit/cluster.region: the stack is for 'eu-west-1' but the provider is configured for 'us-east-1'. " +
    "Fix: set aws:region to 'eu-west-1' (pulumi config set aws:region eu-west-1), or cluster.region to 'us-east-1'\n"]);
});

describe('OKE: an explicit provider is checked once its region output resolves', () => {
  const fixture = path.join(__dirname, 'fixtures', 'oke-explicit-provider');

  test('for another region than the stack, the whole program is refused (DS-PULUMI-034), with the fix on the provider', () => {
    if (!existsSync(path.join(ROOT, 'build', 'pulumi', 'offline-plan.js'))) execFileSync('npx', ['tsc', '--build'], { cwd: ROOT });
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'detection-stack'), 'plan', fixture], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', "error DS-PULUMI-034 at explicit/cluster.region: the stack is for 'eu-frankfurt-1' but the provider is configured for 'us-ashburn-1'. " +
      "Fix: create the provider with region: 'eu-frankfurt-1' (new oci.Provider('...', { region: 'eu-frankfurt-1' })), or set cluster.region to 'us-ashburn-1'\n"]);
  });

  test('for the stack\'s region, it plans, every OCI resource through that provider and the key policy for that region', async () => {
    const plan = await planProgram(fixture, { config: { providerRegion: 'eu-frankfurt-1' } });
    const provider = plan.resources.find((r) => r.type === 'pulumi:providers:oci')!;
    expect(provider.inputs.region).toBe('eu-frankfurt-1');
    const oci = plan.resources.filter((r) => r.type.startsWith('oci:'));
    expect(oci.length).toBeGreaterThan(3);
    expect(oci.filter((r) => !r.provider?.startsWith(`${provider.urn}::`)).map((r) => r.name)).toEqual([]);
    const keyPolicy = oci.find((r) => r.name === 'explicit-objectstorage-key')!;
    expect(keyPolicy.inputs.statements).toEqual([expect.stringContaining('objectstorage-eu-frankfurt-1')]);
  });
});
