// Analytics destinations as a user writes them, shared by the unit tests and the Fluent Bit conformance tests.
import type { DurableAnalyticsProps } from '../../lib/durable/analytics-props';
import type { DetectionStackProps } from '../../lib/stack/props';

export const OCI_LA: NonNullable<DurableAnalyticsProps['ociLoggingAnalytics']> = {
  namespace: 'axyzexample',
  logGroupId: 'ocid1.loganalyticsloggroup.oc1.eu-frankfurt-1.amaaaaaaexamplegroup',
  // A source name with spaces, as Logging Analytics' own sources are named.
  logSourceName: 'Detection Stack Alerts',
  apiKey: {
    user: 'ocid1.user.oc1..aaaaaaaaexampleuser',
    tenancy: 'ocid1.tenancy.oc1..aaaaaaaaexampletenancy',
    fingerprint: '12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0',
    privateKey: { name: 'oci-log-analytics', key: 'key.pem' },
  },
};

export const OCI_STREAMING: NonNullable<DurableAnalyticsProps['ociStreaming']> = {
  streamPoolId: 'ocid1.streampool.oc1.eu-frankfurt-1.amaaaaaaexamplepool',
  stream: 'detections',
  user: 'acme/Default/alert-shipper',
  authToken: { name: 'oci-streaming', key: 'auth-token' },
};

export const AZURE_LOGS: NonNullable<DurableAnalyticsProps['azureLogsIngestion']> = {
  tenantId: '11111111-2222-3333-4444-555555555555',
  clientId: '66666666-7777-8888-9999-000000000000',
  clientSecret: { name: 'azure-logs', key: 'client-secret' },
  dataCollection: {
    endpointUrl: 'https://detections-ab12.westeurope-1.ingest.monitor.azure.com',
    ruleImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
  },
};

/** One stack per provider with every analytics destination the provider takes. */
export const ANALYTICS_STACKS: Record<string, DetectionStackProps> = {
  'oke-analytics': {
    cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
    durable: {
      bucket: { name: 'detections', oci: { objectStorageNamespace: 'axyzexample', accessKeyId: { name: 'os', key: 'id' }, secretAccessKey: { name: 'os', key: 'key' } } },
      analytics: { ociLoggingAnalytics: OCI_LA, ociStreaming: OCI_STREAMING },
    },
  },
  'eks-analytics': {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    durable: { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } }, analytics: { cloudWatchLogs: { retentionDays: 400 } } },
  },
  'aks-analytics': {
    cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
    durable: {
      bucket: { name: 'detections', azure: { storageAccount: 'detectionsprod', sasToken: { name: 'blob', key: 'sas' } } },
      analytics: { azureLogsIngestion: AZURE_LOGS },
    },
  },
  'aks-analytics-pulumi': {
    cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
    durable: {
      bucket: { name: 'detections', azure: { storageAccount: 'detectionsprod', sasToken: { name: 'blob', key: 'sas' } } },
      analytics: { azureLogsIngestion: { ...AZURE_LOGS, dataCollection: 'pulumi', table: 'Alerts_CL' } },
    },
  },
};

/** The same stacks with Tetragon alone: what reaches each analytics destination is then Tetragon's alerts. */
export const TETRAGON_ANALYTICS_STACKS: Record<string, DetectionStackProps> = Object.fromEntries(Object.entries(ANALYTICS_STACKS)
  .map(([name, props]) => [`${name}-tetragon`, { ...props, sensors: { tetragon: { productNamespaces: ['billing'], seedPatterns: ['shell-in-container'] } } }]));

