// The schema of the durable storage props (DurableStorageProps).
import { z } from 'zod';
import { optOut, resources, roleArn, secret } from './common';
import type { DurableStorageProps } from '../../durable/props';
import { props } from '../build';
import { assertSameType, SameType } from '../same-type';

export const DurableStoragePropsSchema = props('DurableStorageProps', {
  bucket: props('DurableBucketProps', {
    name: z.string(),
    region: z.string().optional(),
    prefix: z.string().optional(),
    aws: props('AwsBucketAccess', { roleArn: roleArn.optional(), podIdentity: z.boolean().optional() }).optional(),
    oci: props('OciBucketAccess', { objectStorageNamespace: z.string(), accessKeyId: secret, secretAccessKey: secret }).optional(),
    azure: props('AzureBlobAccess', { storageAccount: z.string(), sasToken: secret.optional(), sharedKey: secret.optional() }).optional(),
  }).optional(),
  waived: optOut.optional(),
  extraSources: z.array(props('DurableSourceProps', {
    name: z.string(), hostPath: z.string(), format: z.enum(['json', 'cri']).optional(),
  })).optional(),
  shipper: props('ShipperProps', {
    bufferHostPath: z.string().optional(),
    resources: resources('ShipperProps.resources'),
  }).optional(),
  buffer: props('DurableBufferProps', { bytes: z.string().optional(), alertsPerSecond: z.number().optional() }).optional(),
});

assertSameType<SameType<z.output<typeof DurableStoragePropsSchema>, DurableStorageProps>>();
