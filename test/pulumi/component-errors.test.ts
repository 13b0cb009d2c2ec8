import * as pulumi from '@pulumi/pulumi';
import { EksCloudAudit } from '../../lib/pulumi/aws';
import { AksDetectionStack } from '../../lib/pulumi/azure';
import { DetectionStackObjects } from '../../lib/pulumi/kubernetes';
import { OkeDetectionStack } from '../../lib/pulumi/oci';
import type { DetectionStackProps } from '../../lib/stack/props';

// Bad arguments throw at construction, before any resource is registered, with a code and a place.
beforeAll(async () => {
  await pulumi.runtime.setMocks({
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
  }, 'errors', 'test', false);
});

const waived = { waived: { reason: 'component argument tests only' } };
const eks = (extra: Partial<DetectionStackProps> = {}): DetectionStackProps => ({
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, durable: waived, ...extra,
});

test('a stack for another provider is refused, pointing at the right module', () => {
  const oke: DetectionStackProps = { cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, durable: waived };
  expect(() => new EksCloudAudit('a', { stack: oke, bucketName: 'b-bucket' }))
    .toThrow(/DS-PULUMI-004 at a\/cluster.provider: this component builds EKS but the stack targets 'oke'.*detection-stack\/pulumi\/oci/);
});

test('the cloud side needs the region', () => {
  expect(() => new EksCloudAudit('a', { stack: eks({ cluster: { name: 'prod-eks', provider: 'eks' } }), bucketName: 'b-bucket' }))
    .toThrow(/DS-PULUMI-005 at a\/cluster.region/);
});

test('without a durable bucket in the stack, bucketName is required; with one, a different name is refused', () => {
  expect(() => new EksCloudAudit('a', { stack: eks() })).toThrow(/DS-PULUMI-007 at a\/bucketName: no bucket name/);
  const withBucket = eks({ durable: { bucket: { name: 'stack-bucket', aws: { podIdentity: true } } } });
  expect(() => new EksCloudAudit('b', { stack: withBucket, bucketName: 'other-bucket' }))
    .toThrow(/DS-PULUMI-006 at b\/bucketName: bucketName 'other-bucket' differs from the stack's durable.bucket.name 'stack-bucket'/);
});

test('an invalid S3 bucket name is refused before anything is created', () => {
  expect(() => new EksCloudAudit('a', { stack: eks(), bucketName: 'Not_A_Bucket' })).toThrow(/DS-PULUMI-010 at a-durable\/bucketName/);
  // The fix says what to write: the rule and an example name.
  expect(() => new EksCloudAudit('a2', { stack: eks(), bucketName: 'Not_A_Bucket' }))
    .toThrow(/\. Fix: set bucketName \(durable\.bucket\.name in the stack\) to 3-63 lowercase letters, digits, dots or hyphens, .*e\.g\. 'prod-eks-detection-alerts'$/);
});

test('a fixed IRSA role in the stack conflicts with the Pod Identity role the component creates', () => {
  const irsa = eks({ durable: { bucket: { name: 'stack-bucket', aws: { roleArn: 'arn:aws:iam::123456789012:role/shipper' } } } });
  expect(() => new EksCloudAudit('a', { stack: irsa })).toThrow(/DS-PULUMI-016 at a\/durable.bucket.aws.roleArn/);
});

test('OKE and AKS name their bad inputs too', () => {
  const oke: DetectionStackProps = { cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, durable: waived };
  expect(() => new OkeDetectionStack('o', { stack: oke, tenancyId: 't', compartmentId: 'c', bucketName: 'bad name' }))
    .toThrow(/DS-PULUMI-011 at o\/bucketName: .*\. Fix: set bucketName \(durable\.bucket\.name in the stack\) to 1-256 letters, digits, hyphens, underscores or periods/);
  const aks: DetectionStackProps = { cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' }, durable: waived };
  expect(() => new AksDetectionStack('z', {
    stack: aks, resourceGroupName: 'rg', cluster: { id: 'id' }, containerName: 'alerts', storageAccountName: 'Bad-Name',
  })).toThrow(/DS-PULUMI-012 at z\/storageAccountName/);
});

test('the deployer refuses a stack that fails its guardrails, as cdk8s synth would', () => {
  const noDurable: DetectionStackProps = { cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' } };
  expect(() => new DetectionStackObjects('k', { stack: noDurable })).toThrow(/DS-PULUMI-001 at k: the stack does not pass its guardrails:\n.*DS-DURABLE-100/);
});

test('a Pulumi-made Secret may not shadow one the chart synthesizes', () => {
  const routed: DetectionStackProps = {
    ...eks(),
    routing: { teams: [{ name: 'payments', namespaces: ['payments'], receivers: { slack: [{ webhookUrl: { name: 'slack', key: 'url' }, minimumPriority: 'Critical' }] } }] },
  };
  expect(() => new DetectionStackObjects('k', { stack: routed, secrets: [{ name: 'alertmanager-config', data: { a: 'b' } }] }))
    .toThrow(/DS-PULUMI-003 at k\/secrets\/alertmanager-config: the chart already synthesizes a Secret with this name\. Fix: rename this Secret in secrets to a name the chart does not synthesize, or drop it/);
});

test('a Pulumi-made Secret key no workload reads is refused (a typo would leave the workload without its credential)', () => {
  const routed: DetectionStackProps = {
    ...eks(),
    routing: { teams: [{ name: 'payments', namespaces: ['payments'], receivers: { slack: [{ webhookUrl: { name: 'slack', key: 'url' }, minimumPriority: 'Critical' }] } }] },
  };
  expect(() => new DetectionStackObjects('k', { stack: routed, secrets: [{ name: 'slack', data: { 'webhook-url': 'x' } }] }))
    .toThrow(/DS-PULUMI-008 at k\/secrets\/slack.webhook-url: no workload of the stack reads this Secret key. Fix: use one the stack references: slack\/url/);
});
