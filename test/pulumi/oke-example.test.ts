import * as path from 'path';
import { cloudSnapshot, dependenciesOf, EXAMPLES, ofType, resource, retained, retiringParagraph, urnOf } from './plan-helpers';
import { OfflinePlan, planProgram } from '../../lib/pulumi/offline-plan';

// GIVEN the oke-pulumi example WHEN it runs under Pulumi's mocks THEN the security properties hold exactly.
let plan: OfflinePlan;
beforeAll(async () => {
  plan = await planProgram(path.join(EXAMPLES, 'oke-pulumi'));
}, 60_000);

const NAME = 'prod-oke-detection';
const COMPARTMENT = 'ocid1.compartment.oc1..plan';

test('OCI Audit keeps events 365 days, set on the tenancy', () => {
  expect(resource(plan, 'oci:Audit/configuration:Configuration', `${NAME}-audit-retention`).inputs).toEqual({
    compartmentId: 'ocid1.tenancy.oc1..plan', retentionPeriodDays: 365,
  });
});

test('the bucket is private, KMS-encrypted, unversioned (OCI forbids retention rules on versioned buckets) and retains 365 days', () => {
  const bucket = resource(plan, 'oci:ObjectStorage/bucket:Bucket', `${NAME}-durable`);
  expect(bucket.inputs).toMatchObject({
    name: 'prod-oke-detection-alerts',
    namespace: 'mocknamespace',
    compartmentId: COMPARTMENT,
    accessType: 'NoPublicAccess',
    kmsKeyId: `ocid1.key.oc1..${NAME}-key`,
    versioning: 'Disabled',
  });
  // Object Storage must be allowed to use the key before the bucket can be created with it.
  expect(dependenciesOf(plan, 'oci:ObjectStorage/bucket:Bucket', `${NAME}-durable`)).toEqual([
    `oci:Identity/policy:Policy ${NAME}-objectstorage-key`, `oci:Kms/key:Key ${NAME}-key`,
  ]);
  expect(resource(plan, 'oci:Identity/policy:Policy', `${NAME}-objectstorage-key`).inputs.statements).toEqual([
    `Allow service objectstorage-eu-frankfurt-1 to use keys in compartment id ${COMPARTMENT} where target.key.id = 'ocid1.key.oc1..${NAME}-key'`,
  ]);
});

test('the retention rule locks after OCI\'s mandatory 14-day delay, and the lock time is set once', () => {
  // docs.oracle.com/iaas/Content/Object/Tasks/usingretentionrules.htm: "A mandatory 14-day delay exists before a rule is
  // locked"; a locked rule can only be lengthened and goes only with the (empty) bucket.
  const bucket = resource(plan, 'oci:ObjectStorage/bucket:Bucket', `${NAME}-durable`);
  const [rule] = bucket.inputs.retentionRules as { displayName: string; duration: unknown; timeRuleLocked: string }[];
  expect(rule).toEqual({ displayName: 'detection-stack-retention', duration: { timeAmount: '365', timeUnit: 'DAYS' }, timeRuleLocked: expect.any(String) });
  const lockIn = Date.parse(rule.timeRuleLocked) - Date.now();
  expect(lockIn).toBeGreaterThan(14 * 86_400_000);
  expect(lockIn).toBeLessThan(17 * 86_400_000);
  expect(bucket.retainOnDelete).toBe(true);
  // The lock time is computed from the day the program runs: without ignoreChanges every later `pulumi up` would move
  // it, an update OCI refuses once the rule is locked (a locked rule's duration can only be lengthened).
  expect(bucket.ignoreChanges).toEqual(['retentionRules[0].timeRuleLocked']);
});

test('the evidence expires after 730 days by lifecycle policy, created only once Object Storage may delete in this bucket', () => {
  const lifecycle = 'oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy';
  expect(resource(plan, lifecycle, `${NAME}-lifecycle`).inputs).toEqual({
    bucket: 'prod-oke-detection-alerts',
    namespace: 'mocknamespace',
    rules: [{ action: 'DELETE', isEnabled: true, name: 'expire-evidence', target: 'objects', timeAmount: '730', timeUnit: 'DAYS' }],
  });
  expect(dependenciesOf(plan, lifecycle, `${NAME}-lifecycle`)).toEqual([
    `oci:Identity/policy:Policy ${NAME}-objectstorage-lifecycle`, `oci:ObjectStorage/bucket:Bucket ${NAME}-durable`,
  ]);
  expect(resource(plan, 'oci:Identity/policy:Policy', `${NAME}-objectstorage-lifecycle`).inputs.statements).toEqual([
    `Allow service objectstorage-eu-frankfurt-1 to manage object-family in compartment id ${COMPARTMENT} where target.bucket.name = 'prod-oke-detection-alerts'`,
  ]);
});

test('the KMS key is AES-256 in an HSM, in a DEFAULT vault without automatic rotation (OCI offers it only in virtual private vaults)', () => {
  // docs.oracle.com/iaas/Content/KeyManagement/Tasks/tasks_tasks_managingkeys_topic_edit_auto_key_rotation.htm:
  // "This feature is only available for virtual private vaults."
  const key = resource(plan, 'oci:Kms/key:Key', `${NAME}-key`);
  expect(key.inputs).toMatchObject({ keyShape: { algorithm: 'AES', length: 32 }, protectionMode: 'HSM' });
  expect(key.inputs.isAutoRotationEnabled).toBeUndefined();
  expect(key.inputs.autoKeyRotationDetails).toBeUndefined();
  expect(resource(plan, 'oci:Kms/vault:Vault', `${NAME}-vault`).inputs.vaultType).toBe('DEFAULT');
  expect(key.retainOnDelete).toBe(true);
  expect(resource(plan, 'oci:Kms/vault:Vault', `${NAME}-vault`).retainOnDelete).toBe(true);
});

test('every IAM resource goes through the home-region provider (IAM is created only in the home region)', () => {
  // docs.oracle.com/iaas/Content/Identity/Tasks/managingregions.htm: IAM resources are created in the home region
  // and replicated to the other subscribed regions.
  const home = `${urnOf(plan, 'pulumi:providers:oci', 'home-region')}::home-region-id`;
  const iam = plan.resources.filter((r) => r.type.startsWith('oci:Identity/'));
  expect(iam.map((r) => r.type).sort()).toEqual([
    'oci:Identity/customerSecretKey:CustomerSecretKey', 'oci:Identity/group:Group',
    'oci:Identity/policy:Policy', 'oci:Identity/policy:Policy', 'oci:Identity/policy:Policy', 'oci:Identity/policy:Policy',
    'oci:Identity/user:User', 'oci:Identity/userGroupMembership:UserGroupMembership',
  ]);
  for (const r of iam) expect([r.name, r.provider]).toEqual([r.name, home]);
  for (const r of ofType(plan, 'oci:ObjectStorage/bucket:Bucket')) expect(r.provider).toBeUndefined();
});

test('pulumi destroy leaves the evidence: the bucket, the key and its vault are retained, and nothing else is', () => {
  expect(retained(plan)).toEqual([
    `oci:Kms/key:Key ${NAME}-key`, `oci:Kms/vault:Vault ${NAME}-vault`, `oci:ObjectStorage/bucket:Bucket ${NAME}-durable`,
  ]);
  // docs.oracle.com/iaas/Content/Object/Tasks/usingretentionrules.htm: a locked rule "can only be deleted by deleting the
  // bucket. A bucket must be empty before it can be deleted"; vault keys and vaults are only scheduled for deletion.
  expect(retiringParagraph()).toContain('OKE, objects can be deleted once past the rule\'s duration, then the (empty) bucket, which takes the locked ' +
    'rule with it, then schedule the key and vault deletion;');
});

test('a Service Connector copies the _Audit log group into the bucket, with the policy it needs', () => {
  const connector = resource(plan, 'oci:Sch/connector:Connector', `${NAME}-audit-to-bucket`);
  expect(connector.inputs).toMatchObject({
    state: 'ACTIVE',
    source: { kind: 'logging', logSources: [{ compartmentId: 'ocid1.tenancy.oc1..plan', logGroupId: '_Audit_Include_Subcompartment' }] },
    target: { kind: 'objectStorage', bucket: 'prod-oke-detection-alerts', namespace: 'mocknamespace', objectNamePrefix: 'oci-audit' },
  });
  expect(dependenciesOf(plan, 'oci:Sch/connector:Connector', `${NAME}-audit-to-bucket`)).toEqual([
    `oci:Identity/policy:Policy ${NAME}-connector`, `oci:ObjectStorage/bucket:Bucket ${NAME}-durable`,
  ]);
  expect(resource(plan, 'oci:Identity/policy:Policy', `${NAME}-connector`).inputs.statements).toEqual([
    `Allow any-user to manage objects in compartment id ${COMPARTMENT} where all {request.principal.type='serviceconnector', ` +
      `target.bucket.name='prod-oke-detection-alerts', request.principal.compartment.id='${COMPARTMENT}'}`,
  ]);
});

test('the shipper user may only create objects in the bucket, and its key lands in the Secret the stack names, as a secret', () => {
  expect(resource(plan, 'oci:Identity/policy:Policy', `${NAME}-shipper`).inputs.statements).toEqual([
    `Allow group prod-oke-alert-shipper to manage objects in compartment id ${COMPARTMENT} where all {target.bucket.name='prod-oke-detection-alerts', ` +
      "request.permission='OBJECT_CREATE'}",
  ]);
  const secret = resource(plan, 'kubernetes:core/v1:Secret', `${NAME}-k8s-alert-shipper-s3`);
  expect(secret.inputs).toMatchObject({ metadata: { name: 'alert-shipper-s3', namespace: 'falco' }, type: 'Opaque', stringData: '[secret]' });
});

test('plan snapshot (cloud resources in full, Kubernetes objects by type and name)', () => {
  expect(cloudSnapshot(plan)).toMatchSnapshot();
});

test('the chart objects are deployed by @pulumi/kubernetes under the stack component', () => {
  const daemonSet = resource(plan, 'kubernetes:apps/v1:DaemonSet', `${NAME}-k8s-falco/falco`);
  expect(daemonSet.parent).toBe(`${NAME}-k8s-objects`);
  expect((daemonSet.inputs.metadata as Record<string, unknown>).namespace).toBe('falco');
});
