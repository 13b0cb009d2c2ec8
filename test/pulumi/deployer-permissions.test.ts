import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES } from './plan-helpers';
import {
  AWS_DEPLOYER_NEEDS, AZURE_DEPLOYER_NEEDS, DeployerCloud, deployerNeeds, deployerNeedsMarkdown, needsNoCloudPermission, OCI_DEPLOYER_NEEDS,
} from '../../lib/pulumi/deployer-permissions';
import { planProgram } from '../../lib/pulumi/offline-plan';

// GIVEN the three example projects and the fixtures that turn the components' opt-ins on WHEN their programs are planned
// offline THEN every cloud resource type they create has the deployer's permissions in lib/pulumi/deployer-permissions.ts
// (a new resource type without them fails here), no entry is left that nothing creates, and each example's README lists
// exactly what its own plan derives (regenerate: DEPLOYER_README=write npx jest test/pulumi/deployer-permissions.test.ts).
const FIXTURES = path.join(__dirname, 'fixtures');
const PROGRAMS: { dir: string; cloud: DeployerCloud; readme?: string }[] = [
  { dir: path.join(EXAMPLES, 'eks-pulumi'), cloud: 'aws', readme: path.join(EXAMPLES, 'eks-pulumi', 'README.md') },
  { dir: path.join(EXAMPLES, 'oke-pulumi'), cloud: 'oci', readme: path.join(EXAMPLES, 'oke-pulumi', 'README.md') },
  { dir: path.join(EXAMPLES, 'aks-pulumi'), cloud: 'azure', readme: path.join(EXAMPLES, 'aks-pulumi', 'README.md') },
  { dir: path.join(FIXTURES, 'analytics-eks'), cloud: 'aws' },
  { dir: path.join(FIXTURES, 'sidekick-eks-stream'), cloud: 'aws' },
  { dir: path.join(FIXTURES, 'analytics-aks'), cloud: 'azure' },
];
const BLOCK = /<!-- deployer-permissions:[^]*?<!-- \/deployer-permissions -->/;

const typesOf = new Map<string, string[]>();
beforeAll(async () => {
  for (const p of PROGRAMS) {
    const plan = await planProgram(p.dir);
    typesOf.set(p.dir, [...new Set(plan.resources.map((r) => r.type))].sort());
  }
}, 300_000);

test.each(PROGRAMS.map((p) => [path.relative(path.join(__dirname, '..', '..'), p.dir), p] as const))('%s: every cloud resource type has its permissions', (_, p) => {
  const types = typesOf.get(p.dir)!;
  expect(types.filter((t) => !needsNoCloudPermission(t)).length).toBeGreaterThan(3);
  expect(deployerNeeds(p.cloud, types).unknown).toEqual([]);
});

test('no entry is left that no planned program creates', () => {
  const planned = new Set([...typesOf.values()].flat());
  const entries = [...Object.keys(AWS_DEPLOYER_NEEDS), ...Object.keys(OCI_DEPLOYER_NEEDS), ...Object.keys(AZURE_DEPLOYER_NEEDS)];
  expect(entries.filter((t) => !planned.has(t))).toEqual([]);
});

test('a type the table does not know is reported, not dropped', () => {
  expect(deployerNeeds('aws', ['aws:sqs/queue:Queue', 'aws:kms/key:Key', 'detection-stack:eks:CloudAudit']).unknown).toEqual(['aws:sqs/queue:Queue']);
});

test('what is kept on destroy needs no delete action (retainOnDelete: the key, buckets, trail, log groups)', () => {
  const { destroy } = deployerNeeds('aws', typesOf.get(PROGRAMS[0].dir)!);
  for (const kept of ['kms:ScheduleKeyDeletion', 's3:DeleteBucket', 'cloudtrail:DeleteTrail', 'logs:DeleteLogGroup']) expect(destroy).not.toContain(kept);
  expect(destroy).toEqual(expect.arrayContaining(['iam:DeleteRole', 'eks:DeletePodIdentityAssociation']));
});

test.each(PROGRAMS.filter((p) => p.readme).map((p) => [path.basename(p.dir), p] as const))('%s/README.md lists what its plan derives', (_, p) => {
  const readme = fs.readFileSync(p.readme!, 'utf8');
  const expected = deployerNeedsMarkdown(p.cloud, typesOf.get(p.dir)!);
  if (process.env.DEPLOYER_README === 'write') fs.writeFileSync(p.readme!, readme.replace(BLOCK, expected));
  expect(readme.match(BLOCK)?.[0]).toBe(expected);
});
