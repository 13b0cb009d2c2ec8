// The OKE cloud side on @pulumi/oci.
import * as oci from '@pulumi/oci';
import * as pulumi from '@pulumi/pulumi';
import { DetectionStackObjects, StackSecret } from './kubernetes';
import {
  OCI_AUDIT_PREFIX, objectStorageKeyStatement, ociBucketNameProblem, serviceConnectorWriteStatement,
  shipperGroupStatements, shipperWorkloadStatement,
} from './oci-policies';
import { durableTarget, planForProvider, resolveBucketName } from './stack-plan';
import { DetectionStackError } from '../core/errors';
import type { StackPlan } from '../stack/plan';
import type { DetectionStackProps } from '../stack/props';

/** The pure planning behind these components (names, policy documents), for review and tests. */
export * from './oci-policies';

/**
 * How the in-cluster shipper authenticates to Object Storage. The S3-compatible API the shipper
 * speaks takes only a customer secret key; workload identity suits clients of the native OCI API.
 */
export type OciShipperCredentials =
  /** A dedicated IAM user with a customer secret key, written to the Secrets the stack's `durable.bucket.oci` names. */
  | { readonly kind: 'customer-secret-key' }
  /** OKE workload identity (enhanced clusters): a policy for the shipper's ServiceAccount, no stored key. */
  | { readonly kind: 'workload-identity'; readonly clusterId: pulumi.Input<string> };

export interface OkeDetectionStackArgs {
  /** The stack definition, the same one the cdk8s path takes (`cluster.provider: 'oke'`, `cluster.region` set). */
  readonly stack: DetectionStackProps;
  /** Tenancy OCID: OCI Audit retention and the `_Audit` log group live there. */
  readonly tenancyId: pulumi.Input<string>;
  /** Compartment for the bucket, vault, connector and policies. */
  readonly compartmentId: pulumi.Input<string>;
  /** Durable bucket name. @default the stack's `durable.bucket.name` (one plain string for the chart and the bucket) */
  readonly bucketName?: string;
  /** Existing KMS key OCID. @default a new vault (DEFAULT type) and an AES-256 key that rotates yearly */
  readonly kmsKeyId?: pulumi.Input<string>;
  /** Days objects are retained (bucket retention rule). @default 365 */
  readonly retentionDays?: number;
  /** Copy audit events of every compartment (`_Audit_Include_Subcompartment`), not only the tenancy's. @default true */
  readonly includeSubcompartments?: boolean;
  /** How the stack's shipper authenticates (only when the stack has a durable shipper). @default customer-secret-key */
  readonly shipperCredentials?: OciShipperCredentials;
  /** Secrets the stack references (routing credentials), as Pulumi secrets. @default none */
  readonly secrets?: readonly StackSecret[];
  /** Kubernetes provider for the cluster. @default the default provider */
  readonly kubernetesProvider?: pulumi.ProviderResource;
}

/**
 * OCI Audit retention, a private KMS-encrypted bucket with a retention rule, a Service Connector
 * copying `_Audit` into it (with the policy it needs), the shipper's credentials path, and the
 * chart's objects.
 */
export class OkeDetectionStack extends pulumi.ComponentResource {
  public readonly plan: StackPlan;
  public readonly bucket: oci.objectstorage.Bucket;
  public readonly auditConfiguration?: oci.audit.Configuration;
  public readonly connector?: oci.sch.Connector;
  public readonly objects: DetectionStackObjects;
  public readonly bucketName: string;
  /** The Object Storage namespace (part of the S3-compatible endpoint). */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: OkeDetectionStackArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:oke:DetectionStack', name, {}, opts);
    this.plan = planForProvider(args.stack, 'oke', name);
    const target = resolveBucketName(this.plan, args.bucketName, `${name}/bucketName`);
    const bucketName = target.bucket;
    const problem = ociBucketNameProblem(bucketName);
    if (problem) throw new DetectionStackError('DS-PULUMI-011', `${name}/bucketName`, `'${bucketName}' ${problem}`, 'choose a valid bucket name');
    const ociAccess = args.stack.durable?.bucket?.oci;
    const region = this.plan.cluster.region as string;
    const audit = this.plan.audit!;
    const cluster = this.plan.cluster.name;
    const child = { parent: this };
    this.bucketName = bucketName;
    // The stack names the namespace as a plain string for the shipper's endpoint; otherwise ask OCI.
    this.namespace = ociAccess
      ? pulumi.output(ociAccess.objectStorageNamespace)
      : oci.objectstorage.getNamespaceOutput({ compartmentId: args.compartmentId }, child).namespace;

    if (audit.cloud.enabled) {
      this.auditConfiguration = new oci.audit.Configuration(`${name}-audit-retention`, {
        compartmentId: args.tenancyId,
        retentionPeriodDays: audit.cloud.retentionDays,
      }, child);
    }

    const keyId = args.kmsKeyId ?? this.createKey(name, args.compartmentId, cluster);
    const keyPolicy = new oci.identity.Policy(`${name}-objectstorage-key`, {
      compartmentId: args.compartmentId,
      description: `detection-stack ${cluster}: Object Storage encrypts ${bucketName} with its key`,
      statements: [pulumi.all([args.compartmentId, keyId]).apply(([c, k]) => objectStorageKeyStatement(region, c, k))],
    }, child);

    const retentionDays = args.retentionDays ?? 365;
    this.bucket = new oci.objectstorage.Bucket(`${name}-durable`, {
      compartmentId: args.compartmentId,
      namespace: this.namespace,
      name: bucketName,
      accessType: 'NoPublicAccess',
      kmsKeyId: keyId,
      // OCI refuses retention rules on versioned buckets: the retention rule is the immutability control.
      versioning: 'Disabled',
      storageTier: 'Standard',
      autoTiering: 'InfrequentAccess',
      retentionRules: [{ displayName: 'detection-stack-retention', duration: { timeAmount: String(retentionDays), timeUnit: 'DAYS' } }],
    }, { parent: this, dependsOn: [keyPolicy] });

    if (audit.cloud.enabled) {
      const writePolicy = new oci.identity.Policy(`${name}-connector`, {
        compartmentId: args.compartmentId,
        description: `detection-stack ${cluster}: Service Connector writes OCI Audit to ${bucketName}`,
        statements: [pulumi.output(args.compartmentId).apply((c) => serviceConnectorWriteStatement(c, bucketName))],
      }, child);
      this.connector = new oci.sch.Connector(`${name}-audit-to-bucket`, {
        compartmentId: args.compartmentId,
        displayName: `${cluster}-audit-to-bucket`,
        description: 'OCI Audit (API-server and IAM events) copied to the durable bucket',
        source: {
          kind: 'logging',
          logSources: [{
            compartmentId: args.tenancyId,
            logGroupId: (args.includeSubcompartments ?? true) ? '_Audit_Include_Subcompartment' : '_Audit',
          }],
        },
        target: {
          kind: 'objectStorage',
          bucket: this.bucket.name,
          namespace: this.namespace,
          objectNamePrefix: OCI_AUDIT_PREFIX,
          batchRolloverSizeInMbs: 100,
          batchRolloverTimeInMs: 420000,
        },
        state: 'ACTIVE',
      }, { parent: this, dependsOn: [writePolicy] });
    }

    const secrets = [...(args.secrets ?? [])];
    const creds = args.shipperCredentials ?? { kind: 'customer-secret-key' };
    const shipping = durableTarget(this.plan) !== undefined;
    if (shipping && creds.kind === 'customer-secret-key') {
      if (!ociAccess) {
        throw new DetectionStackError('DS-PULUMI-015', `${name}/durable.bucket.oci`, 'the stack ships alerts but names no Secret for the customer secret key',
          'set durable.bucket.oci.accessKeyId and secretAccessKey (Secret references) in the stack definition');
      }
      const groupName = `${cluster}-alert-shipper`;
      const user = new oci.identity.User(`${name}-shipper`, {
        compartmentId: args.tenancyId,
        name: `${cluster}-alert-shipper`,
        description: `detection-stack ${cluster}: writes alerts to ${bucketName}`,
      }, child);
      const group = new oci.identity.Group(`${name}-shipper`, {
        compartmentId: args.tenancyId, name: groupName, description: `detection-stack ${cluster}: alert shipper`,
      }, child);
      new oci.identity.UserGroupMembership(`${name}-shipper`, { groupId: group.id, userId: user.id }, child);
      new oci.identity.Policy(`${name}-shipper`, {
        compartmentId: args.compartmentId,
        description: `detection-stack ${cluster}: alert shipper may only create objects in ${bucketName}`,
        statements: pulumi.output(args.compartmentId).apply((c) => shipperGroupStatements(groupName, c, bucketName)),
      }, child);
      const key = new oci.identity.CustomerSecretKey(`${name}-shipper`, { userId: user.id, displayName: `${cluster}-alert-shipper` }, child);
      secrets.push(...secretsFor([[ociAccess.accessKeyId, key.id], [ociAccess.secretAccessKey, key.key]]));
    } else if (shipping && creds.kind === 'workload-identity') {
      new oci.identity.Policy(`${name}-shipper`, {
        compartmentId: args.compartmentId,
        description: `detection-stack ${cluster}: shipper ServiceAccount may only create objects in ${bucketName}`,
        statements: [pulumi.all([args.compartmentId, creds.clusterId]).apply(([c, id]) => shipperWorkloadStatement(c, bucketName, {
          clusterId: id, namespace: this.plan.namespace, serviceAccount: target.serviceAccount,
        }))],
      }, child);
    }

    this.objects = new DetectionStackObjects(`${name}-k8s`, { stack: args.stack, secrets }, {
      parent: this, providers: args.kubernetesProvider ? { kubernetes: args.kubernetesProvider } : undefined,
    });
    this.registerOutputs({ bucketName: this.bucket.name, namespace: this.namespace, connectorId: this.connector?.id });
  }

  private createKey(name: string, compartmentId: pulumi.Input<string>, cluster: string): pulumi.Output<string> {
    const vault = new oci.kms.Vault(`${name}-vault`, { compartmentId, displayName: `${cluster}-detection`, vaultType: 'DEFAULT' }, { parent: this });
    const key = new oci.kms.Key(`${name}-key`, {
      compartmentId,
      displayName: `${cluster}-detection`,
      managementEndpoint: vault.managementEndpoint,
      keyShape: { algorithm: 'AES', length: 32 },
      protectionMode: 'HSM',
      isAutoRotationEnabled: true,
      autoKeyRotationDetails: { rotationIntervalInDays: 365 },
    }, { parent: this });
    return key.id;
  }
}

/** Groups Secret key references by Secret name, so two keys of one Secret make one object. */
function secretsFor(refs: readonly [{ readonly name: string; readonly key: string }, pulumi.Input<string>][]): StackSecret[] {
  const byName = new Map<string, Record<string, pulumi.Input<string>>>();
  for (const [ref, value] of refs) byName.set(ref.name, { ...byName.get(ref.name), [ref.key]: value });
  return [...byName].map(([secretName, data]) => ({ name: secretName, data }));
}
