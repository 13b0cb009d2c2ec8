import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as oci from '@pulumi/oci';
import * as pulumi from '@pulumi/pulumi';
import { AwsDurableBucket, EksCloudAudit, EksDetectionStack } from '../../lib/pulumi/aws';
import { AksDetectionStack } from '../../lib/pulumi/azure';
import { DetectionStackHelmReleases } from '../../lib/pulumi/helm';
import { DetectionStackObjects } from '../../lib/pulumi/kubernetes';
import { OkeDetectionStack } from '../../lib/pulumi/oci';
import type { DetectionStackProps } from '../../lib/stack/props';
// Type-checked with the tests: the compile-time proofs that each schema accepts exactly its documented interface.
import '../../lib/pulumi/args-schema-proofs';

// #14: each Pulumi component checks its args against one schema at its door (lib/pulumi/args-schemas.ts), as
// the stack checks its props: a JavaScript user's wrong type, misspelled key or wrong provider is a
// DetectionStackError naming `<component>/<prop path>` with a fix, never a TypeError or a silently ignored key.
const registered: string[] = [];
beforeAll(async () => {
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push(args.name);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'args', 'test', false);
});

const waived = { waived: { reason: 'component argument tests only' } };
const eksStack: DetectionStackProps = { cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, durable: waived };
const okeStack: DetectionStackProps = { cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, durable: waived };
const aksStack: DetectionStackProps = { cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' }, durable: waived };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const loose = (args: Record<string, unknown>): any => args;

/** The thrown error's code and message, or 'no error'. */
function failure(construct: () => unknown): [string, string] {
  try {
    construct();
  } catch (e) {
    const err = e as { code?: string; message: string };
    return [err.code ?? `not a DetectionStackError: ${(e as Error).constructor.name}`, err.message];
  }
  return ['no error', ''];
}

describe('unknown keys are refused with the closest known one', () => {
  test.each([
    ['OkeDetectionStack', () => new OkeDetectionStack('o', loose({ stack: okeStack, tenancyId: 't', compartmentId: 'c', bucketName: 'b', lockRetentoin: false })),
      "DS-PROPS-011 at o/lockRetentoin: 'lockRetentoin' is not a prop of OkeDetectionStackArgs (did you mean 'lockRetention'?). Fix: remove it, or correct its spelling"],
    ['EksCloudAudit', () => new EksCloudAudit('e', loose({ stack: eksStack, bucketName: 'b-bucket', retainOnDestory: false })),
      "DS-PROPS-011 at e/retainOnDestory: 'retainOnDestory' is not a prop of EksCloudAuditArgs (did you mean 'retainOnDestroy'?). Fix: remove it, or correct its spelling"],
    ['EksCloudAudit.trailCloudWatchLogs', () => new EksCloudAudit('e', loose({ stack: eksStack, bucketName: 'b-bucket', trailCloudWatchLogs: { retentionDay: 30 } })),
      "DS-PROPS-011 at e/trailCloudWatchLogs.retentionDay: 'retentionDay' is not a prop of TrailCloudWatchLogs (did you mean 'retentionDays'?). Fix: remove it, or correct its spelling"],
    ['AksDetectionStack', () => new AksDetectionStack('z', loose({ stack: aksStack, resourceGroupName: 'rg', cluster: { id: 'i' }, immutabilityDay: 400 })),
      "DS-PROPS-011 at z/immutabilityDay: 'immutabilityDay' is not a prop of AksDetectionStackArgs (did you mean 'immutabilityDays'?). Fix: remove it, or correct its spelling"],
    ['DetectionStackObjects', () => new DetectionStackObjects('k', loose({ stack: eksStack, secret: [] })),
      "DS-PROPS-011 at k/secret: 'secret' is not a prop of DetectionStackObjectsArgs (did you mean 'secrets'?). Fix: remove it, or correct its spelling"],
    ['DetectionStackHelmReleases', () => new DetectionStackHelmReleases('h', loose({ stack: eksStack, waitForRedy: false })),
      "DS-PROPS-011 at h/waitForRedy: 'waitForRedy' is not a prop of DetectionStackHelmReleasesArgs (did you mean 'waitForReady'?). Fix: remove it, or correct its spelling"],
    ['AwsDurableBucket', () => new AwsDurableBucket('d', loose({ bucketName: 'd-bucket', kmsKeyArn: 'arn', account: { partition: 'aws', accountId: '1', region: 'eu-west-1' }, objectLockMod: 'GOVERNANCE' })),
      "DS-PROPS-011 at d/objectLockMod: 'objectLockMod' is not a prop of AwsDurableBucketArgs (did you mean 'objectLockMode'?). Fix: remove it, or correct its spelling"],
  ])('%s', (_, construct, message) => {
    expect(failure(construct)).toEqual(['DS-PROPS-011', message]);
  });
});

// A missing stack says what to write there (it said only "set stack"), for every component that takes one.
const STACK_FIX = 'the stack definition the cdk8s chart takes (DetectionStackProps: { cluster: { name, provider, region }, sensors, routing, durable })';
test.each([
  ['EksCloudAudit', () => new EksCloudAudit('e', loose({ bucketName: 'b-bucket' }))],
  ['OkeDetectionStack', () => new OkeDetectionStack('e', loose({ tenancyId: 't', compartmentId: 'c' }))],
  ['AksDetectionStack', () => new AksDetectionStack('e', loose({ resourceGroupName: 'rg', cluster: { id: 'i' } }))],
  ['DetectionStackObjects', () => new DetectionStackObjects('e', loose({}))],
  ['DetectionStackHelmReleases', () => new DetectionStackHelmReleases('e', loose({}))],
])('%s without a stack: the fix says what a stack is', (_, construct) => {
  expect(failure(construct)).toEqual(['DS-PROPS-004', `DS-PROPS-004 at e/stack: stack is missing. Fix: set stack to ${STACK_FIX}`]);
});
test('a missing component resource says which component to pass', () => {
  expect(failure(() => new EksDetectionStack('e', loose({}))))
    .toEqual(['DS-PROPS-004', "DS-PROPS-004 at e/cloudAudit: cloudAudit is missing. Fix: set cloudAudit to the EksCloudAudit component (new EksCloudAudit('audit', { stack }))"]);
});

describe('wrong types, missing args and values outside an enum name the prop', () => {
  test.each([
    ['a number for a string Input', () => new OkeDetectionStack('o', loose({ stack: okeStack, tenancyId: 5, compartmentId: 'c' })),
      'DS-PROPS-010', 'DS-PROPS-010 at o/tenancyId: tenancyId must be a string, not the number 5. Fix: give a string'],
    ['a required Input left out', () => new OkeDetectionStack('o', loose({ stack: okeStack, tenancyId: 't' })),
      'DS-PROPS-004', 'DS-PROPS-004 at o/compartmentId: compartmentId is missing. Fix: set compartmentId to a string'],
    ['a string for a number', () => new EksCloudAudit('e', loose({ stack: eksStack, bucketName: 'b-bucket', retentionDays: '365' })),
      'DS-PROPS-010', 'DS-PROPS-010 at e/retentionDays: retentionDays must be a number, not a string. Fix: give a number'],
    ['a value outside the enum', () => new OkeDetectionStack('o', loose({ stack: okeStack, tenancyId: 't', compartmentId: 'c', vaultType: 'PRIVATE' })),
      'DS-PROPS-012', "DS-PROPS-012 at o/vaultType: vaultType is 'PRIVATE', not one of the allowed values. Fix: use one of 'DEFAULT', 'VIRTUAL_PRIVATE'"],
    ['a string for the list of secrets', () => new AksDetectionStack('z', loose({ stack: aksStack, resourceGroupName: 'rg', cluster: { id: 'i' }, secrets: 'routing-slack' })),
      'DS-PROPS-010', 'DS-PROPS-010 at z/secrets: secrets must be a list, not a string. Fix: give a list'],
    ['a number as a Secret value', () => new DetectionStackObjects('k', loose({ stack: eksStack, secrets: [{ name: 's', data: { token: 42 } }] })),
      'DS-PROPS-010', 'DS-PROPS-010 at k/secrets[0].data.token: secrets[0].data.token must be a string, not the number 42. Fix: give a string'],
    ['the args left out', () => new EksCloudAudit('e', loose(undefined as unknown as Record<string, unknown>)),
      'DS-PROPS-004', 'DS-PROPS-004 at e: the props are missing. Fix: pass the props object'],
    ['a string for a boolean (Helm releases)', () => new DetectionStackHelmReleases('h', loose({ stack: eksStack, waitForReady: 'false' })),
      'DS-PROPS-010', 'DS-PROPS-010 at h/waitForReady: waitForReady must be true or false, not a string. Fix: give true or false'],
    ['the Helm releases without a stack', () => new DetectionStackHelmReleases('h', loose({ waitForReady: true })),
      'DS-PROPS-004', `DS-PROPS-004 at h/stack: stack is missing. Fix: set stack to ${STACK_FIX}`],
    ['the cluster id in the wrong shape', () => new AksDetectionStack('z', loose({ stack: aksStack, resourceGroupName: 'rg', cluster: 'id' })),
      'DS-PROPS-010', 'DS-PROPS-010 at z/cluster: cluster must be AksDetectionStackArgs.cluster { id }, not a string. Fix: give AksDetectionStackArgs.cluster { id }'],
  ])('%s', (_, construct, code, message) => {
    expect(failure(construct)).toEqual([code, message]);
  });

  test('Outputs and Promises are accepted wherever the interface says pulumi.Input', () => {
    expect(failure(() => new OkeDetectionStack('ok-inputs', {
      stack: okeStack, tenancyId: pulumi.output('t'), compartmentId: Promise.resolve('c'), bucketName: 'ok-inputs-bucket',
    }))).toEqual(['no error', '']);
    // A Secret value may be an Output too: past the schema, the next check is the component's own (the stack reads no such key).
    expect(failure(() => new DetectionStackObjects('k-inputs', { stack: eksStack, secrets: [{ name: 's', data: { v: pulumi.secret('x') } }] }))[1])
      .toMatch(/^DS-PULUMI-008 at k-inputs\/secrets\/s\.v: no workload of the stack reads this Secret key/);
  });
});

describe('explicit providers and resources are of the kind the option needs', () => {
  test('an AWS provider given as kubernetesProvider is refused with DS-PULUMI-038', () => {
    const wrong = new aws.Provider('wrong-kind', { region: 'eu-west-1' });
    expect(failure(() => new AksDetectionStack('z', { stack: aksStack, resourceGroupName: 'rg', cluster: { id: 'i' }, kubernetesProvider: wrong })))
      .toEqual(['DS-PULUMI-038', "DS-PULUMI-038 at z/kubernetesProvider: this is a provider of 'aws', not of 'kubernetes'. Fix: pass new k8s.Provider('cluster', { kubeconfig })"]);
  });

  test('a Kubernetes provider given as the OCI homeRegionProvider is refused; an OCI one passes', () => {
    const kube = new k8s.Provider('kube', { kubeconfig: '{}' });
    expect(failure(() => new OkeDetectionStack('o', { stack: okeStack, tenancyId: 't', compartmentId: 'c', bucketName: 'b', homeRegion: 'us-ashburn-1', homeRegionProvider: kube })))
      .toEqual(['DS-PULUMI-038', "DS-PULUMI-038 at o/homeRegionProvider: this is a provider of 'kubernetes', not of 'oci'. Fix: pass new oci.Provider('home', { region: '<home region>' })"]);
    const home = new oci.Provider('home', { region: 'us-ashburn-1' });
    expect(failure(() => new OkeDetectionStack('o-home', { stack: okeStack, tenancyId: 't', compartmentId: 'c', bucketName: 'o-home-bucket', homeRegion: 'us-ashburn-1', homeRegionProvider: home })))
      .toEqual(['no error', '']);
  });

  test('a plain object where a provider is expected is refused as the wrong type', () => {
    expect(failure(() => new AksDetectionStack('z', loose({ stack: aksStack, resourceGroupName: 'rg', cluster: { id: 'i' }, kubernetesProvider: { kubeconfig: '{}' } }))))
      .toEqual(['DS-PROPS-010', "DS-PROPS-010 at z/kubernetesProvider: must be a Pulumi provider (new k8s.Provider('cluster', { kubeconfig })). Fix: see the type of this prop in the README"]);
  });

  test('EksDetectionStack needs the EksCloudAudit component and a cluster resource, not their names', () => {
    expect(failure(() => new EksDetectionStack('s', loose({ cloudAudit: 'prod-eks-audit', cluster: 'prod-eks' }))))
      .toEqual(['DS-PROPS-010', "DS-PROPS-010 at s/cloudAudit: must be the EksCloudAudit component (new EksCloudAudit('audit', { stack })). Fix: see the type of this prop in the README"]);
  });

  test('a home region OCI does not have is refused with the nearest names (DS-PULUMI-033)', () => {
    expect(failure(() => new OkeDetectionStack('o', { stack: okeStack, tenancyId: 't', compartmentId: 'c', bucketName: 'b', homeRegion: 'us-east-1' })))
      .toEqual(['DS-PULUMI-033', "DS-PULUMI-033 at o/homeRegion: 'us-east-1' is not a OKE region (did you mean one of us-ashburn-1, us-chicago-1, us-phoenix-1, us-sanjose-1?). " +
        'Fix: use the tenancy\'s home region (oci iam region-subscription list --query "data[?\\"is-home-region\\"]")']);
  });
});

test('a refused args object registers no resource of that component', () => {
  failure(() => new OkeDetectionStack('refused', loose({ stack: okeStack, tenancyId: 't', compartmentId: 'c', bucketName: 'refused-bucket', lockRetentoin: false })));
  return new Promise((resolve) => setTimeout(resolve, 50)).then(() => {
    // Only the component itself (registered by its super() call) bears the name; none of its children does.
    expect(registered.filter((n) => n.startsWith('refused'))).toEqual(['refused']);
  });
});
