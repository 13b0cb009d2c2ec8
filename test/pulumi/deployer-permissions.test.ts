import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES } from './plan-helpers';
import {
  AWS_DEPLOYER_NEEDS, AZURE_DEPLOYER_NEEDS, DeployerCloud, deployerNeeds, deployerNeedsMarkdown, needsNoCloudPermission, OCI_DEPLOYER_NEEDS,
} from '../../lib/pulumi/deployer-permissions';
import { OfflinePlan, planProgram } from '../../lib/pulumi/offline-plan';

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
const plans = new Map<string, OfflinePlan>();
beforeAll(async () => {
  for (const p of PROGRAMS) {
    const plan = await planProgram(p.dir);
    plans.set(p.dir, plan);
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

// The entries the earlier list could not confirm, each against the provider's own source or documentation.
describe('entries confirmed against the providers', () => {
  test('a KMS-encrypted log group needs no logs:AssociateKmsKey to be created', () => {
    // hashicorp/terraform-provider-aws internal/service/logs/group.go (what @pulumi/aws 7.x runs): resourceGroupCreate sends
    // one CreateLogGroup with KmsKeyId and Tags, then PutRetentionPolicy, then reads with DescribeLogGroups (tags through
    // ListTagsForResource); AssociateKmsKey is in resourceGroupUpdate only, when kms_key_id changes. AWS's own
    // AWS::Logs::LogGroup handler (aws-cloudformation-resource-providers-logs, aws-logs-loggroup.json) lists
    // logs:AssociateKmsKey under "update", not "create". CreateLogGroup's API reference: tags on create need logs:TagResource.
    expect([...AWS_DEPLOYER_NEEDS['aws:cloudwatch/logGroup:LogGroup'].create].sort())
      .toEqual(['logs:CreateLogGroup', 'logs:DescribeLogGroups', 'logs:ListTagsForResource', 'logs:PutRetentionPolicy', 'logs:TagResource']);
    // The example's groups are the encrypted, tagged ones that path creates.
    const groups = plans.get(PROGRAMS[0].dir)!.resources.filter((r) => r.type === 'aws:cloudwatch/logGroup:LogGroup');
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect([g.name, typeof g.inputs.kmsKeyId, typeof g.inputs.retentionInDays]).toEqual([g.name, 'string', 'number']);
  });

  test('OCI: each statement is scoped where the plan puts the resource (policies in the compartment, users and groups in the tenancy)', () => {
    const plan = plans.get(PROGRAMS[1].dir)!;
    const config = { compartmentId: 'ocid1.compartment.oc1..plan', tenancyId: 'ocid1.tenancy.oc1..plan' }; // examples/oke-pulumi/Pulumi.plan.yaml
    const placed = (type: string) => [...new Set(plan.resources.filter((r) => r.type === type).map((r) => r.inputs.compartmentId))];
    // CreatePolicy needs POLICY_CREATE where the policy is attached (iampolicyreference): the compartment, not the tenancy.
    expect(placed('oci:Identity/policy:Policy')).toEqual([config.compartmentId]);
    expect(OCI_DEPLOYER_NEEDS['oci:Identity/policy:Policy'].create).toEqual(['manage policies in compartment <compartment>']);
    for (const t of ['oci:Identity/user:User', 'oci:Identity/group:Group']) expect([t, placed(t)]).toEqual([t, [config.tenancyId]]);
    for (const t of ['oci:ObjectStorage/bucket:Bucket', 'oci:Kms/vault:Vault', 'oci:Kms/key:Key', 'oci:Sch/connector:Connector']) {
      expect([t, placed(t)]).toEqual([t, [config.compartmentId]]);
    }
  });

  test('OCI: a bucket encrypted with a Vault key needs the key delegated (use key-delegate, which no manage verb of keys or vaults covers)', () => {
    // Oracle, "Assigning Master Encryption Keys", Required IAM Policy: "you must also authorize users to delegate key usage to
    // these services"; keypolicyreference: key-delegate "use" = KEY_ASSOCIATE KEY_DISASSOCIATE.
    const buckets = plans.get(PROGRAMS[1].dir)!.resources.filter((r) => r.type === 'oci:ObjectStorage/bucket:Bucket');
    expect(buckets.map((b) => typeof b.inputs.kmsKeyId)).toEqual(['string']);
    expect(deployerNeeds('oci', typesOf.get(PROGRAMS[1].dir)!).create).toContain('use key-delegate in compartment <compartment>');
  });

  test('OCI: the Audit retention is claimed for no policy statement, and the README says who may set it', () => {
    // The Audit policy reference has audit-events only (ListEvents); "Setting the Audit Log Retention Period": "you must be a
    // member of the Administrators group".
    const need = OCI_DEPLOYER_NEEDS['oci:Audit/configuration:Configuration'];
    expect(need.create).toEqual([]);
    expect(need.note).toMatch(/only by a member of the tenancy's Administrators group/);
    expect(fs.readFileSync(PROGRAMS[1].readme!, 'utf8')).toContain(need.note);
  });

  test('Azure: the container lock is immutabilityPolicies/lock/action, with the etag the policy resource read back', () => {
    // "Azure resource provider operations", Microsoft.Storage: ".../immutabilityPolicies/lock/action | Lock blob container
    // immutability policy"; REST Lock Immutability Policy: "ETag in If-Match is required".
    const plan = plans.get(PROGRAMS[2].dir)!;
    const locks = plan.resources.filter((r) => r.type === 'command:local:Command');
    expect(locks.length).toBeGreaterThan(0);
    for (const l of locks) expect(l.inputs.create).toMatch(/^az storage container immutability-policy lock .* --if-match '[^']+'$/);
    expect(AZURE_DEPLOYER_NEEDS['azure-native:storage:BlobContainerImmutabilityPolicy'].create).toEqual(expect.arrayContaining([
      'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/lock/action',
      'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/read',
    ]));
  });
});
