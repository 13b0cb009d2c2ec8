import * as fs from 'fs';
import * as path from 'path';
import { CLOUDWATCH_RETENTION_DAYS } from '../../lib/core/cloudwatch';
import { RETENTION_LOCK_DELAY_DAYS } from '../../lib/pulumi/oci-policies';
import { planStack } from '../../lib/stack/plan';

// The README's cloud tables (Pulumi section: "Evidence that outlives pulumi destroy", lifecycle, rotation) re-checked
// against the providers' documentation. Where the pinned provider SDK in node_modules carries the provider's own
// documentation of the field, the test reads it there (so an SDK upgrade that changes the rule fails here); where it
// does not, the source is cited and the value the code enforces is asserted.
const SDK = path.join(__dirname, '..', '..', 'node_modules', '@pulumi');
const doc = (file: string) => fs.readFileSync(path.join(SDK, file), 'utf8');

test('CloudWatch Logs retention values are exactly the ones @pulumi/aws documents for LogGroup.retentionInDays (0 = never expire, not offered)', () => {
  const text = doc('aws/cloudwatch/logGroup.d.ts');
  const listed = /Possible values are: ([\d, ]+), and 0\./.exec(text)?.[1].split(',').map((v) => Number(v.trim()));
  expect(listed).toEqual([...CLOUDWATCH_RETENTION_DAYS]);
});

test('KMS key deletion window: 7-30 days, default 30 (@pulumi/aws kms.Key.deletionWindowInDays; AWS KMS API ScheduleKeyDeletion PendingWindowInDays)', () => {
  expect(doc('aws/kms/key.d.ts')).toContain('it must be between `7` and `30`, inclusive. If you do not specify a value, it defaults to `30`.');
  // What the component enforces (DS-PULUMI-036), at both edges.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EksCloudAudit } = require('../../lib/pulumi/aws') as typeof import('../../lib/pulumi/aws');
  const stack = { cluster: { name: 'c', provider: 'eks', region: 'eu-west-1' }, durable: { bucket: { name: 'facts-alerts', aws: { podIdentity: true } } } } as const;
  const code = (keyDeletionWindowDays: number) => {
    try {
      new EksCloudAudit('facts', { stack, keyDeletionWindowDays });
    } catch (e) {
      return (e as { code?: string }).code;
    }
    return undefined;
  };
  expect([code(6), code(31), code(6.5)]).toEqual(['DS-PULUMI-036', 'DS-PULUMI-036', 'DS-PULUMI-036']);
});

test('OCI Audit retention: 90-365 days (@pulumi/oci audit.Configuration.retentionPeriodDays), refused outside (DS-AUDIT-006)', () => {
  expect(doc('oci/audit/configuration.d.ts')).toContain('The minimum is 90, the maximum 365.');
  const plan = (retentionDays: number) => () => planStack({
    cluster: { name: 'c', provider: 'oke', region: 'eu-frankfurt-1' }, audit: { cloud: { retentionDays } },
  } as Parameters<typeof planStack>[0], 'facts');
  expect(plan(89)).toThrow(/DS-AUDIT-006/);
  expect(plan(366)).toThrow(/DS-AUDIT-006/);
  expect(plan(90)).not.toThrow();
  expect(plan(365)).not.toThrow();
});

test('OCI Vault automatic rotation: 60-365 days (@pulumi/oci kms Key autoKeyRotationDetails.rotationIntervalInDays), virtual private vaults only', () => {
  // "This feature is available only for virtual private vaults ... the rotation interval (the number of days, between 60
  // and 365 ...)": OCI docs, Key Management, "Enabling and Updating Automatic Key Rotation"
  // (docs.oracle.com/iaas/Content/KeyManagement/Tasks/tasks_tasks_managingkeys_topic_edit_auto_key_rotation.htm).
  expect(doc('oci/types/input.d.ts')).toContain('For auto key rotation the interval should between 60 day and 365 days (1 year).');
  // The component's side (DS-PULUMI-031 for a DEFAULT vault, DS-PULUMI-032 outside 60-365) is tested in component-options.test.ts.
});

test('OCI retention rule lock: a mandatory 14-day delay before a rule is locked', () => {
  // "A mandatory 14-day delay exists before a rule is locked": OCI docs, Object Storage Data Retention Rules
  // (docs.oracle.com/iaas/Content/Object/Tasks/usingretentionrules.htm).
  expect(RETENTION_LOCK_DELAY_DAYS).toBe(14);
});
