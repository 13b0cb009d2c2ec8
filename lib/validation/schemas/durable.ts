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
  analytics: props('DurableAnalyticsProps', {
    ociLoggingAnalytics: props('OciLoggingAnalyticsProps', {
      namespace: z.string(),
      logGroupId: z.string(),
      logSourceName: z.string(),
      region: z.string().optional(),
      apiKey: props('OciApiKeyProps', { user: z.string(), tenancy: z.string(), fingerprint: z.string(), privateKey: secret }),
    }).optional(),
    ociStreaming: props('OciStreamingProps', {
      streamPoolId: z.string(),
      stream: z.string(),
      user: z.string(),
      authToken: secret,
      region: z.string().optional(),
      bootstrapServer: z.string().optional(),
    }).optional(),
    cloudWatchLogs: props('CloudWatchLogsProps', { logGroupName: z.string().optional(), retentionDays: z.number().optional() }).optional(),
    azureLogsIngestion: props('AzureLogsIngestionProps', {
      tenantId: z.string(),
      clientId: z.string(),
      clientSecret: secret,
      table: z.string().optional(),
      dataCollection: z.union([z.literal('pulumi'), props('AzureDataCollectionProps', { endpointUrl: z.string(), ruleImmutableId: z.string() })]),
    }).optional(),
  }).optional(),
});

assertSameType<SameType<z.output<typeof DurableStoragePropsSchema>, DurableStorageProps>>();
