import type { DurableStorageProps } from '../../lib/durable/props';
import { EKS, refusalOf } from '../helpers/refusal';

const s3 = EKS.durable!.bucket!;
const durable = (d: DurableStorageProps, cluster = EKS.cluster) => refusalOf({ ...EKS, cluster, durable: d });
const secret = { name: 'oci-shipper', key: 'value' };

describe('the durable layer refuses bucket and source settings it cannot render, naming the prop', () => {
  test.each([
    ['a prefix starting with /', { bucket: { ...s3, prefix: '/alerts' } },
      "DS-DURABLE-041 at stack/durable.bucket.prefix: prefix '/alerts' is not valid"],
    ['two extra sources of one name', { bucket: s3, extraSources: [{ name: 'app', hostPath: '/var/log/a.log' }, { name: 'app', hostPath: '/var/log/b.log' }] },
      "DS-DURABLE-045 at stack/durable.extraSources: source name 'app' is used twice"],
    ['an extra source named like a sensor', { bucket: s3, extraSources: [{ name: 'falco', hostPath: '/var/log/a.log' }] },
      "DS-DURABLE-045 at stack/durable.extraSources: source name 'falco' is used twice"],
    ['an upper-case source name', { bucket: s3, extraSources: [{ name: 'App', hostPath: '/var/log/a.log' }] },
      "DS-DURABLE-046 at stack/durable.extraSources[0].name: source name 'App' is not valid"],
    ['a buffer inside a source\'s read-only directory', {
      bucket: s3,
      extraSources: [{ name: 'app', hostPath: '/data/logs/app.log' }],
      shipper: { bufferHostPath: '/data/logs/buffer' },
    },
    "DS-DURABLE-057 at stack/durable.shipper.bufferHostPath: '/data/logs/buffer' is inside a directory mounted read-only for the sources"],
    ['a relative host path', { bucket: s3, extraSources: [{ name: 'app', hostPath: 'var/log/a.log' }] },
      "DS-DURABLE-047 at stack/durable.extraSources[0].hostPath: 'var/log/a.log' is not an absolute host path"],
  ])('%s', (_name, d, expected) => {
    expect(durable(d as DurableStorageProps)).toBe(expected);
  });

  test('an OCI Object Storage namespace that is not one (DS-DURABLE-042)', () => {
    const oke = { name: 'prod-oke', provider: 'oke' as const, region: 'eu-frankfurt-1' };
    expect(durable({ bucket: { name: 'detections-prod-oke', oci: { objectStorageNamespace: 'My Tenancy', accessKeyId: secret, secretAccessKey: secret } } }, oke))
      .toBe("DS-DURABLE-042 at stack/durable.bucket.oci.objectStorageNamespace: 'My Tenancy' is not an Object Storage namespace");
  });

  test('identifiers in the provider\'s format are checked by the props schema (DS-PROPS-021)', () => {
    const aks = { name: 'prod-aks', provider: 'aks' as const, region: 'westeurope' };
    expect(durable({ bucket: { name: 'detections', azure: { storageAccount: 'Prod_Detections', sasToken: secret } } }, aks))
      .toBe("DS-PROPS-021 at stack/durable.bucket.azure.storageAccount: storage account name 'Prod_Detections' must be 3-24 lowercase letters and digits");
    expect(durable({ bucket: { ...s3, aws: { roleArn: 'arn:aws:iam::12345:role/shipper' } } }))
      .toMatch(/^DS-PROPS-021 at stack\/durable\.bucket\.aws\.roleArn: /);
  });
});
