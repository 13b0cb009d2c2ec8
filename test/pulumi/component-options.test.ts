import * as pulumi from '@pulumi/pulumi';
import { EksCloudAudit } from '../../lib/pulumi/aws';
import { AksDetectionStack } from '../../lib/pulumi/azure';
import { OkeDetectionStack } from '../../lib/pulumi/oci';
import { checkProviderRegion } from '../../lib/pulumi/stack-plan';
import type { DetectionStackProps } from '../../lib/stack/props';

// Component options under Pulumi's mocks: what each option registers, and the combinations the provider refuses.
jest.setTimeout(60_000);

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
const awsProviderRegion = 'eu-west-1';
beforeAll(async () => {
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    // The region the default AWS provider is configured for.
    call: (args) => {
      if (args.token === 'aws:index/getRegion:getRegion') return { region: awsProviderRegion, name: awsProviderRegion };
      if (args.token === 'aws:index/getPartition:getPartition') return { partition: 'aws' };
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: '123456789012' };
      return args.inputs;
    },
  }, 'options', 'test', false);
});

const waived = { waived: { reason: 'component option tests only' } };
const oke: DetectionStackProps = { cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, durable: waived };
const base = { stack: oke, tenancyId: 't', compartmentId: 'c', bucketName: 'alerts' };

async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('OKE key rotation (OCI Vault: automatic rotation only in virtual private vaults)', () => {
  // docs.oracle.com/iaas/Content/KeyManagement/Tasks/tasks_tasks_managingkeys_topic_edit_auto_key_rotation.htm:
  // "This feature is only available for virtual private vaults"; the interval is 60 to 365 days.
  test('a VIRTUAL_PRIVATE vault gets a key that rotates at the chosen interval', async () => {
    new OkeDetectionStack('vp', { ...base, vaultType: 'VIRTUAL_PRIVATE', keyRotationDays: 90 });
    await settled();
    expect(registered.find((r) => r.name === 'vp-vault')?.inputs.vaultType).toBe('VIRTUAL_PRIVATE');
    expect(registered.find((r) => r.name === 'vp-key')?.inputs).toMatchObject({ isAutoRotationEnabled: true, autoKeyRotationDetails: { rotationIntervalInDays: 90 } });
  });

  test('asking for rotation in a DEFAULT vault, or outside 60-365 days, is refused', () => {
    expect(() => new OkeDetectionStack('d', { ...base, keyRotationDays: 90 }))
      .toThrow(/DS-PULUMI-031 at d\/keyRotationDays: automatic key rotation exists only for keys this component creates in a VIRTUAL_PRIVATE vault/);
    expect(() => new OkeDetectionStack('e', { ...base, vaultType: 'VIRTUAL_PRIVATE', keyRotationDays: 30 }))
      .toThrow(/DS-PULUMI-032 at e\/keyRotationDays: 30 is outside 60-365 days/);
  });
});

test('OKE IAM outside the home region needs a home-region provider', () => {
  // docs.oracle.com/iaas/Content/Identity/Tasks/managingregions.htm: IAM resources are created in the home region.
  expect(() => new OkeDetectionStack('h', { ...base, homeRegion: 'us-ashburn-1' }))
    .toThrow(/DS-PULUMI-030 at h\/homeRegionProvider: IAM resources can be created only in the home region 'us-ashburn-1', and the cluster runs in 'eu-frankfurt-1'/);
});

test('the OKE retention lock is a named opt-out: lockRetention false leaves the rule unlocked', async () => {
  new OkeDetectionStack('unlocked', { ...base, lockRetention: false });
  await settled();
  const bucket = registered.find((r) => r.name === 'unlocked-durable');
  expect(bucket?.inputs.retentionRules).toEqual([{ displayName: 'detection-stack-retention', duration: { timeAmount: '365', timeUnit: 'DAYS' } }]);
});

describe('OKE lifecycle expiration (docs.oracle.com/iaas/Content/Object/Tasks/usinglifecyclepolicies.htm)', () => {
  test('expireAfterDays deletes objects by lifecycle policy, and Object Storage is granted what its lifecycle needs for this bucket only', async () => {
    new OkeDetectionStack('expire', { ...base, retentionDays: 400, expireAfterDays: 730 });
    await settled();
    expect(registered.find((r) => r.name === 'expire-lifecycle')).toEqual({
      type: 'oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy',
      name: 'expire-lifecycle',
      inputs: {
        bucket: 'alerts',
        rules: [{ name: 'expire-evidence', action: 'DELETE', target: 'objects', isEnabled: true, timeAmount: '730', timeUnit: 'DAYS' }],
      },
    });
    // "Object Lifecycle Management will not work if you do not authorize the Object Storage service to archive and delete objects".
    expect(registered.find((r) => r.name === 'expire-objectstorage-lifecycle')?.inputs.statements).toEqual([
      "Allow service objectstorage-eu-frankfurt-1 to manage object-family in compartment id c where target.bucket.name = 'alerts'",
    ]);
  });

  test('without expireAfterDays nothing expires; an expiry inside the retention rule is refused', async () => {
    new OkeDetectionStack('kept', base);
    await settled();
    expect(registered.filter((r) => r.name.startsWith('kept-') && /lifecycle/i.test(r.name + r.type))).toEqual([]);
    expect(() => new OkeDetectionStack('short', { ...base, retentionDays: 365, expireAfterDays: 364 }))
      .toThrow(/DS-PULUMI-035 at short\/expireAfterDays: 364 must be a whole number of days no shorter than the retention rule \(365\)/);
    expect(() => new OkeDetectionStack('half', { ...base, expireAfterDays: 400.5 })).toThrow(/DS-PULUMI-035 at half\/expireAfterDays/);
  });
});

describe('EKS cloud audit options', () => {
  const eks: DetectionStackProps = {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    durable: { bucket: { name: 'opts-bucket', aws: { podIdentity: true } } },
  };
  const find = (name: string, type?: string) => registered.find((r) => r.name === name && (type === undefined || r.type === type));

  test('S3 data events are a named opt-in, for every bucket but the durable one', async () => {
    new EksCloudAudit('data', { stack: eks, s3DataEvents: true });
    await settled();
    expect(find('data-trail')?.inputs.advancedEventSelectors).toEqual([
      { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
      {
        name: 'S3 object data events',
        fieldSelectors: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::S3::Object'] },
          { field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::opts-bucket/'] },
        ],
      },
    ]);
    // Without the opt-in the trail logs management events only (data events are billed per event).
    new EksCloudAudit('mgmt', { stack: eks });
    await settled();
    expect(find('mgmt-trail')?.inputs.advancedEventSelectors).toEqual([
      { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
    ]);
  });

  test('lifecycle expiration is configurable, never shorter than the object lock retention', async () => {
    new EksCloudAudit('expire', { stack: eks, retentionDays: 400, expireAfterDays: 730 });
    await settled();
    expect((find('expire-durable', 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration')?.inputs.rules as Record<string, unknown>[] | undefined)?.[0]).toMatchObject({
      expiration: { days: 730 }, noncurrentVersionExpiration: { noncurrentDays: 730 },
    });
    expect(() => new EksCloudAudit('short', { stack: eks, retentionDays: 365, expireAfterDays: 30 }))
      .toThrow(/DS-PULUMI-035 at short-durable\/expireAfterDays: 30 must be a whole number of days no shorter than the object lock retention \(365\)/);
  });

  test('the KMS deletion window is 7 to 30 days (KMS ScheduleKeyDeletion PendingWindowInDays)', () => {
    expect(() => new EksCloudAudit('window', { stack: eks, keyDeletionWindowDays: 3 })).toThrow(/DS-PULUMI-036 at window\/keyDeletionWindowDays: 3 is outside 7-30 days/);
  });

  test('retainOnDestroy false is the named way to let pulumi destroy remove the evidence', async () => {
    new EksCloudAudit('gone', { stack: eks, retainOnDestroy: false, trailCloudWatchLogs: { cisMetricFilters: false } });
    await settled();
    expect(find('gone-trail-logs')).toBeDefined();
    expect(registered.filter((r) => r.name.startsWith('gone-') && r.type === 'aws:cloudwatch/logMetricFilter:LogMetricFilter')).toEqual([]);
  });

  test('a provider configured for another region than the stack is refused, naming both and the setting', () => {
    expect(checkProviderRegion('e', 'eu-west-1', 'eu-west-1', 'aws:region')).toBe('eu-west-1');
    expect(checkProviderRegion('e', 'eu-west-1', undefined, 'aws:region')).toBe('eu-west-1');
    expect(() => checkProviderRegion('e', 'eu-west-1', 'us-east-1', 'aws:region')).toThrow(
      /DS-PULUMI-034 at e\/cluster.region: the stack is for 'eu-west-1' but the provider is configured for 'us-east-1'.*pulumi config set aws:region eu-west-1/);
  });
});

test('a region the provider does not have is refused, with the nearest names', () => {
  const stack = (provider: 'eks' | 'oke' | 'aks', region: string): DetectionStackProps => ({ cluster: { name: 'c', provider, region }, durable: waived });
  expect(() => new OkeDetectionStack('r', { ...base, stack: stack('oke', 'us-east-1') }))
    .toThrow(/DS-PULUMI-033 at r\/cluster.region: 'us-east-1' is not a OKE region \(did you mean one of us-ashburn-1, us-chicago-1, us-phoenix-1, us-sanjose-1\?\)/);
  expect(() => new EksCloudAudit('r', { stack: stack('eks', 'eu-frankfurt-1'), bucketName: 'b-bucket' })).toThrow(/DS-PULUMI-033 at r\/cluster.region: 'eu-frankfurt-1' is not a EKS region/);
});

describe('AKS evidence account', () => {
  const shipping: DetectionStackProps = {
    cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
    durable: { bucket: { name: 'alerts', azure: { storageAccount: 'optsaccount', sasToken: { name: 'blob', key: 'sas' } } } },
  };
  const aks = { resourceGroupName: 'rg', cluster: { id: 'cluster-id' } };

  test('a stack whose shipper signs with a SAS must opt in to shared-key access by name', () => {
    // Fluent Bit 5.1.1 azure_blob: auth_type key or sas only; both are refused by an account without shared-key access.
    expect(() => new AksDetectionStack('z', { ...aks, stack: shipping }))
      .toThrow(/DS-PULUMI-037 at z\/allowSharedKeyAccess: the stack ships alerts with Fluent Bit's azure_blob output, .*Fix: set allowSharedKeyAccess: true/);
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    try {
      const opted = new AksDetectionStack('y', { ...aks, stack: shipping, allowSharedKeyAccess: true });
      expect(opted.loosenings).toEqual([expect.stringMatching(/^allowSharedKeyAccess: shared-key and SAS access are on/)]);
      // Reported on every `pulumi up`: a warning on the component, in the loosening's own words.
      expect(warn.mock.calls).toEqual([[`y: ${opted.loosenings[0]}`, opted]]);
    } finally {
      warn.mockRestore();
    }
  });

  test('expireAfterDays deletes block blobs and Azure Monitor\'s append blobs after that many days, tiering only the block blobs', async () => {
    // Only delete actions are supported for appendBlob (azure-native ManagementPolicyFilter.blobTypes; aks-example.test.ts).
    new AksDetectionStack('expiring', {
      ...aks, stack: { cluster: shipping.cluster, durable: waived }, containerName: 'alerts', storageAccountName: 'expiringaccount', expireAfterDays: 400,
    });
    await settled();
    const policy = registered.find((r) => r.name === 'expiring-lifecycle' && r.type === 'azure-native:storage:ManagementPolicy')?.inputs.policy as
      { rules: { name: string; definition: { filters: { blobTypes: string[]; prefixMatch: string[] }; actions: unknown } }[] };
    expect(policy.rules.map((r) => [r.name, r.definition.filters, r.definition.actions])).toEqual([
      ['evidence', { blobTypes: ['blockBlob'], prefixMatch: ['alerts/', 'insights-activity-logs/', 'insights-logs-kube-audit/', 'insights-logs-guard/'] },
        { baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 30 }, delete: { daysAfterModificationGreaterThan: 400 } } }],
      ['evidence-append-blobs', { blobTypes: ['appendBlob'], prefixMatch: ['insights-activity-logs/', 'insights-logs-kube-audit/', 'insights-logs-guard/'] },
        { baseBlob: { delete: { daysAfterModificationGreaterThan: 400 } } }],
    ]);
    expect(() => new AksDetectionStack('short', { ...aks, stack: { cluster: shipping.cluster, durable: waived }, containerName: 'alerts', storageAccountName: 'shortaccount', expireAfterDays: 364 }))
      .toThrow(/DS-PULUMI-035 at short\/expireAfterDays: 364 must be a whole number of days no shorter than the immutability period \(365\)/);
  });

  test('without a shipper shared keys stay off and nothing is reported; lockImmutability false is the named way to skip the locks', async () => {
    const quiet = new AksDetectionStack('x', { ...aks, stack: { cluster: shipping.cluster, durable: waived }, containerName: 'alerts', storageAccountName: 'quietaccount', lockImmutability: false });
    await settled();
    expect(quiet.loosenings).toEqual([]);
    expect(registered.find((r) => r.name === 'x-durable' && r.type === 'azure-native:storage:StorageAccount')?.inputs.allowSharedKeyAccess).toBe(false);
    expect(registered.filter((r) => r.name.startsWith('x-') && r.type === 'command:local:Command')).toEqual([]);
  });
});
