import * as pulumi from '@pulumi/pulumi';
import { OkeDetectionStack } from '../../lib/pulumi/oci';
import type { DetectionStackProps } from '../../lib/stack/props';

// Component options under Pulumi's mocks: what each option registers, and the combinations the provider refuses.
const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
beforeAll(async () => {
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
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
