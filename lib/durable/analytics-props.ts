import type { SecretKeyRef } from '../core/secrets';

/**
 * OCI Logging Analytics through Fluent Bit's `oracle_log_analytics` output. Fluent Bit 5.1.1 signs its requests
 * only with an API key read from an OCI config file (plugins/out_oracle_log_analytics/oci_logan_conf.c at v5.1.1:
 * `config_file_location`, no instance or workload principal): the shipper writes that file from these values,
 * none of them secret, and mounts the private key from a Secret.
 */
export interface OciLoggingAnalyticsProps {
  /** Object Storage namespace of the tenancy (`oci os ns get`). */
  readonly namespace: string;
  /** OCID of the Logging Analytics log group (`ocid1.loganalyticsloggroup...`). */
  readonly logGroupId: string;
  /** Name of the Logging Analytics source that parses the alerts (a JSON source, e.g. one you create for them). */
  readonly logSourceName: string;
  /** Region of the Logging Analytics endpoint (`loganalytics.<region>.oci.oraclecloud.com`). @default the cluster's region */
  readonly region?: string;
  /** The API key the shipper signs with. */
  readonly apiKey: OciApiKeyProps;
}

/** An OCI API signing key of a user allowed to upload to the log group (`LOG_ANALYTICS_LOG_GROUP_UPLOAD_LOGS`). */
export interface OciApiKeyProps {
  /** OCID of the user (`ocid1.user...`). */
  readonly user: string;
  /** OCID of the tenancy (`ocid1.tenancy...`). */
  readonly tenancy: string;
  /** Fingerprint of the public key (16 hex pairs separated by ':'). */
  readonly fingerprint: string;
  /** Secret key holding the PEM private key; mounted as a file, never an env var. */
  readonly privateKey: SecretKeyRef;
}

/**
 * OCI Streaming through its Kafka-compatible endpoint with Fluent Bit's `kafka` output: SASL/PLAIN over TLS with an
 * auth token ("Kafka Compatibility" and "Using Kafka APIs", OCI Streaming documentation).
 */
export interface OciStreamingProps {
  /** OCID of the stream pool (`ocid1.streampool...`); it ends the SASL user name. */
  readonly streamPoolId: string;
  /** Name of the stream (the Kafka topic). */
  readonly stream: string;
  /** `<tenancy name>/<user name>`, or `<tenancy name>/<identity domain>/<user name>`: the SASL user name without the pool. */
  readonly user: string;
  /** Secret key holding the user's auth token (the SASL password). */
  readonly authToken: SecretKeyRef;
  /** Region of the endpoint. @default the cluster's region */
  readonly region?: string;
  /**
   * Bootstrap server `host:port`, e.g. a stream pool's private endpoint.
   * @default 'streaming.<region>.oci.oraclecloud.com:9092'
   */
  readonly bootstrapServer?: string;
}

/**
 * Amazon CloudWatch Logs through Fluent Bit's `cloudwatch_logs` output, with the shipper's own AWS identity (the
 * bucket's IRSA role or Pod Identity). The shipper never creates the group (`auto_create_group Off`): the Pulumi
 * path creates it with `retentionDays` and the stack's KMS key; on the cdk8s path it must exist.
 */
export interface CloudWatchLogsProps {
  /** Log group name. @default '/detection-stack/<cluster>/alerts' */
  readonly logGroupName?: string;
  /** Days the group keeps events (one of CloudWatch's retention values). Used where the group is created. @default 365 */
  readonly retentionDays?: number;
}

/**
 * Azure Monitor Logs (a Log Analytics workspace) through the Logs Ingestion API with Fluent Bit's
 * `azure_logs_ingestion` output. Fluent Bit 5.1.1 authenticates only with an Entra ID application's client secret
 * (plugins/out_azure_logs_ingestion at v5.1.1: tenant_id, client_id, client_secret; no managed or workload identity).
 */
export interface AzureLogsIngestionProps {
  /** Entra ID tenant (a GUID). */
  readonly tenantId: string;
  /** Client (application) id of the app registration (a GUID) that holds `Monitoring Metrics Publisher` on the rule. */
  readonly clientId: string;
  /** Secret key holding the app's client secret. */
  readonly clientSecret: SecretKeyRef;
  /** Custom table name, ending in `_CL`; the rule's stream is `Custom-<table>`. @default 'DetectionStackAlerts_CL' */
  readonly table?: string;
  /**
   * The Data Collection Endpoint's logs ingestion URL and the Data Collection Rule's immutable id. `'pulumi'`: the
   * Pulumi path creates the endpoint, the table and the rule and sets both into the shipper (AksDetectionStack
   * `logsIngestion`); a cdk8s-only stack gives existing ones.
   */
  readonly dataCollection: AzureDataCollectionProps | 'pulumi';
}

export interface AzureDataCollectionProps {
  /** `https://<endpoint>.<region>.ingest.monitor.azure.com` */
  readonly endpointUrl: string;
  /** `dcr-` and 32 hex digits. */
  readonly ruleImmutableId: string;
}

/**
 * Provider-native analytics the shipper also writes every alert to, beside the bucket (Falco alerts and Tetragon
 * alerts, not the raw Tetragon events or extra sources). Each destination has its own buffer and retries, so one
 * being down never holds back the bucket.
 */
export interface DurableAnalyticsProps {
  readonly ociLoggingAnalytics?: OciLoggingAnalyticsProps;
  readonly ociStreaming?: OciStreamingProps;
  /** EKS only (uses the shipper's AWS identity). */
  readonly cloudWatchLogs?: CloudWatchLogsProps;
  readonly azureLogsIngestion?: AzureLogsIngestionProps;
}
