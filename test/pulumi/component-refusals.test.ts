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

test('an OKE bucket without the customer secret key Secrets is refused by the stack plan, before any resource (DS-DURABLE-002)', () => {
  const oke = { cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, durable: { bucket: { name: 'detections-prod-oke' } } } as DetectionStackProps;
  expect(refusal(() => new OkeDetectionStack('o', { stack: oke, tenancyId: 't', compartmentId: 'c' })))
    .toBe('DS-DURABLE-002 at o/durable.bucket.oci: the shipper has no access to Object Storage');
});
