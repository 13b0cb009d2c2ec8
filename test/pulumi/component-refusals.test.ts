import * as pulumi from '@pulumi/pulumi';
import { AksDetectionStack } from '../../lib/pulumi/azure';
import { OkeDetectionStack } from '../../lib/pulumi/oci';
import type { DetectionStackProps } from '../../lib/stack/props';
import { refusalIn as refusal } from '../helpers/refusal';

// Arguments the stack definition does not cover, refused at construction with the code and the place.
beforeAll(async () => {
  await pulumi.runtime.setMocks({
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
  }, 'refusals', 'test', false);
});

test('an AKS Blob container name Azure refuses, given as an argument (DS-PULUMI-013)', () => {
  const aks: DetectionStackProps = { cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' }, durable: { waived: { reason: 'component argument tests only' } } };
  expect(refusal(() => new AksDetectionStack('z', { stack: aks, resourceGroupName: 'rg', cluster: { id: 'id' }, storageAccountName: 'prodalerts', containerName: 'Alerts_Prod' })))
    .toMatch(/^DS-PULUMI-013 at z\/containerName: 'Alerts_Prod' /);
});

test('an OKE bucket without the customer secret key Secrets is refused by the stack plan, before any resource (DS-DURABLE-053)', () => {
  const oke = { cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, durable: { bucket: { name: 'detections-prod-oke' } } } as DetectionStackProps;
  expect(refusal(() => new OkeDetectionStack('o', { stack: oke, tenancyId: 't', compartmentId: 'c' })))
    .toBe('DS-DURABLE-053 at o/durable.bucket.oci: the shipper has no access to Object Storage');
});

test('OKE has no workload-identity option: the shipper reads customer secret keys only, so the key is refused', () => {
  // #13: the option wrote a policy while the chart still read customer-secret-key Secrets nobody created; it is gone.
  // Fluent Bit 5.1.1's s3 output reaches Object Storage's S3-compatible API, which takes a customer secret key only
  // (docs.oracle.com/iaas/Content/Identity/access/working-with-customer-secret-keys.htm: "To use this Amazon S3
  // Compatibility API, you need to generate the signing key ... an Access Key/Secret Key pair").
  const oke: DetectionStackProps = { cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, durable: { waived: { reason: 'component argument tests only' } } };
  const loose = { stack: oke, tenancyId: 't', compartmentId: 'c', bucketName: 'alerts', workloadIdentity: true } as unknown as ConstructorParameters<typeof OkeDetectionStack>[1];
  expect(refusal(() => new OkeDetectionStack('w', loose))).toMatch(/^DS-PROPS-011 at w\/workloadIdentity: 'workloadIdentity' is not a prop of OkeDetectionStackArgs/);
});
