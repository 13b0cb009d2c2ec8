import { defineCodes } from './entry';

/** The durable path: bucket, Fluent Bit shipper, extra sources (lib/durable). */
export const DURABLE_CODES = defineCodes({
  'DS-DURABLE-001': { level: 'error', meaning: 'durable storage is both configured and waived', fix: 'keep either durable.bucket or durable.waived: { reason }' },
  'DS-DURABLE-002': { level: 'error', meaning: 'the bucket access given is for another provider than the cluster\'s', fix: 'use bucket.aws on EKS, bucket.oci on OKE, bucket.azure on AKS' },
  'DS-DURABLE-003': { level: 'error', meaning: 'the bucket region is missing or not valid', fix: 'set durable.bucket.region or cluster.region (e.g. eu-west-1, eu-frankfurt-1)' },
  'DS-DURABLE-004': { level: 'error', meaning: 'the bucket (or Azure container) name breaks the provider\'s naming rules', fix: 'use 3-63 lowercase letters, digits, \'.\' or \'-\' as the provider names the bucket (on AKS: letters, digits and single \'-\' only)' },
  'DS-DURABLE-005': { level: 'error', meaning: 'the shipper\'s buffer size is not a Fluent Bit size', fix: 'use a Fluent Bit size above 0 such as \'512M\' or \'2G\'' },
  'DS-DURABLE-041': { level: 'error', meaning: 'the object prefix is not valid', fix: 'use letters, digits, \'.\', \'_\', \'-\' and \'/\', not starting with \'/\'' },
  'DS-DURABLE-042': { level: 'error', meaning: 'the OCI Object Storage namespace is not valid', fix: 'use the tenancy\'s Object Storage namespace (oci os ns get)' },
  'DS-DURABLE-045': { level: 'error', meaning: 'two shipper sources have the same name', fix: 'give every source its own name' },
  'DS-DURABLE-046': { level: 'error', meaning: 'a shipper source name is not valid', fix: 'use 1-32 lowercase letters, digits or \'-\'' },
  'DS-DURABLE-047': { level: 'error', meaning: 'a shipper source\'s host path is not absolute', fix: 'give an absolute path (glob allowed), e.g. /var/run/cilium/tetragon/tetragon.log' },
  'DS-DURABLE-048': { level: 'error', meaning: 'an OCI Logging Analytics setting (namespace, log group, source, API key, region) is not valid', fix: 'give the tenancy\'s namespace, the log group OCID, the source name, and the API key\'s user and tenancy OCIDs, fingerprint and private-key Secret' },
  'DS-DURABLE-049': { level: 'error', meaning: 'an OCI Streaming setting (stream pool, stream, SASL user, bootstrap server, region) is not valid', fix: 'give the stream pool OCID, the stream name, \'<tenancy>/<user>\' and the auth-token Secret' },
  'DS-DURABLE-050': { level: 'error', meaning: 'the CloudWatch Logs log group name or retention is not valid', fix: 'use a log group name of letters, digits, \'_\', \'-\', \'/\', \'.\' or \'#\' and one of CloudWatch\'s retention values' },
  'DS-DURABLE-051': { level: 'error', meaning: 'analytics to CloudWatch Logs are configured on a cluster that is not on EKS', fix: 'use the provider\'s own analytics destination (ociLoggingAnalytics or ociStreaming on OKE, azureLogsIngestion on AKS)' },
  'DS-DURABLE-052': { level: 'error', meaning: 'an Azure Logs Ingestion setting (tenant, client, table, endpoint, rule) is not valid', fix: 'give GUIDs for tenant and client, a custom table ending in _CL, and the endpoint URL and rule immutable id (or \'pulumi\')' },
  'DS-DURABLE-053': { level: 'error', meaning: 'the shipper does not have exactly one credential for the provider\'s object store', fix: 'give exactly one: bucket.aws.roleArn (IRSA) or podIdentity, bucket.oci with a Customer Secret Key Secret, bucket.azure.sasToken or sharedKey Secret' },
  'DS-DURABLE-054': { level: 'error', meaning: 'the shipper\'s IRSA role is not an IAM role ARN', fix: 'use arn:aws:iam::<account>:role/<name>' },
  'DS-DURABLE-055': { level: 'error', meaning: 'the expected alert rate of the buffer is not a number above 0', fix: 'give the alerts per second one node is expected to raise, e.g. 0.5' },
  'DS-DURABLE-056': { level: 'error', meaning: 'the shipper\'s buffer directory is not an absolute host path outside /var/log', fix: 'use an absolute host path outside /var/log that survives reboots, e.g. /var/lib/detection-stack/fluent-bit' },
  'DS-DURABLE-057': { level: 'error', meaning: 'the shipper\'s buffer directory lies in a directory mounted read-only for its sources', fix: 'put the buffer outside the sources\' directories' },
  'DS-DURABLE-058': { level: 'error', meaning: 'the shipper\'s buffer directory is or lies in a system directory of the node, which it would create and write', fix: 'use a directory of the stack\'s own, e.g. /var/lib/detection-stack/fluent-bit' },
  'DS-DURABLE-059': { level: 'error', meaning: 'durable storage is waived without a reason', fix: 'give durable.waived: { reason } with at least 10 characters saying where the alerts are kept instead' },
  'DS-DURABLE-100': { level: 'error', meaning: 'no durable destination: alerts exist only in chat, SIEM or nowhere', fix: 'set durable.bucket (S3 on EKS, Object Storage on OKE, Blob on AKS), or durable.waived: { reason } to accept the risk' },
});
