import type { DurableAnalyticsProps } from './analytics-props';
import type { NamedOptOut } from '../core/opt-out';
import type { ResourceProps } from '../core/resources';
import type { SecretKeyRef } from '../core/secrets';

/** AWS S3 (EKS): how the shipper gets credentials. Exactly one. */
export interface AwsBucketAccess {
  /** IAM role for IRSA (ServiceAccount annotation `eks.amazonaws.com/role-arn`). @default none */
  readonly roleArn?: string;
  /** An EKS Pod Identity association exists for the shipper's ServiceAccount. @default false */
  readonly podIdentity?: boolean;
}

/** OCI Object Storage (OKE) through its S3-compatible API. */
export interface OciBucketAccess {
  /** Object Storage namespace of the tenancy. */
  readonly objectStorageNamespace: string;
  /** Secret keys holding a Customer Secret Key (the S3-compatible API takes no workload identity). */
  readonly accessKeyId: SecretKeyRef;
  readonly secretAccessKey: SecretKeyRef;
}

/** Azure Blob Storage (AKS). Fluent Bit's azure_blob output takes a shared key or a SAS token; exactly one. */
export interface AzureBlobAccess {
  /** Storage account name. */
  readonly storageAccount: string;
  /** Secret key holding a SAS token scoped to the container (create/write only). @default none */
  readonly sasToken?: SecretKeyRef;
  /** Secret key holding the account's shared key. @default none */
  readonly sharedKey?: SecretKeyRef;
}

/** The bucket (or Blob container) every alert lands in. */
export interface DurableBucketProps {
  /** Bucket name (Blob container name on AKS). */
  readonly name: string;
  /** Region of the bucket. @default the cluster's region */
  readonly region?: string;
  /** Key prefix of the objects. @default 'detections/<cluster name>' */
  readonly prefix?: string;
  /** EKS: access to S3. @default none (required on EKS) */
  readonly aws?: AwsBucketAccess;
  /** OKE: access to Object Storage. @default none (required on OKE) */
  readonly oci?: OciBucketAccess;
  /** AKS: access to Blob Storage. @default none (required on AKS) */
  readonly azure?: AzureBlobAccess;
}

/** A node file the shipper also sends to the bucket (e.g. Tetragon's JSON export). */
export interface DurableSourceProps {
  /** Short name, used as the object key segment (lowercase letters, digits, '-'). */
  readonly name: string;
  /** Absolute host path (glob allowed) of a file of JSON lines. */
  readonly hostPath: string;
  /** `json`: one JSON object a line; `cri`: container runtime log lines wrapping JSON. @default 'json' */
  readonly format?: 'json' | 'cri';
}

/** The Fluent Bit DaemonSet that ships alerts. */
export interface ShipperProps {
  /** Host directory of the buffer (survives pod restarts). @default '/var/lib/detection-stack/fluent-bit' */
  readonly bufferHostPath?: string;
  /** Container resources. @default requests 50m/64Mi, limits 500m/256Mi */
  readonly resources?: ResourceProps;
}

/** Durable storage for every alert. */
export interface DurableStorageProps {
  /** The bucket. @default none (then `waived` is required) */
  readonly bucket?: DurableBucketProps;
  /** No durable storage, on purpose. @default not waived */
  readonly waived?: NamedOptOut;
  /** Extra node files to ship (the sensors' own are added by the stack). @default none */
  readonly extraSources?: readonly DurableSourceProps[];
  /** The shipper. @default see ShipperProps */
  readonly shipper?: ShipperProps;
  /** The node's buffer and the alert rate it is sized for: together they give the outage budget. @default see DurableBufferProps */
  readonly buffer?: DurableBufferProps;
  /** Provider-native analytics that also get every alert, beside the bucket. @default none */
  readonly analytics?: DurableAnalyticsProps;
}

/** The buffer on each node's disk that carries alerts through a bucket outage. */
export interface DurableBufferProps {
  /**
   * Disk the bucket output may hold on each node (a Fluent Bit size, e.g. '2G'): the s3 output's
   * `store_dir_limit_size`, and the engine's `storage.total_limit_size` for the chunks queued before it.
   * @default '2G'
   */
  readonly bytes?: string;
  /** Alerts per second one node is expected to raise; sizes the outage budget in REPORT.md. @default 1 */
  readonly alertsPerSecond?: number;
}
