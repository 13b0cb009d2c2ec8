// The OKE cloud side on @pulumi/oci.
import * as oci from '@pulumi/oci';
import * as pulumi from '@pulumi/pulumi';
import { OkeDetectionStackArgsSchema } from './args-schemas';
import { DetectionStackObjects, StackSecret } from './kubernetes';
import {
  OCI_AUDIT_PREFIX, objectStorageKeyStatement, objectStorageLifecycleStatement, ociBucketNameProblem, retentionLockTime,
  serviceConnectorWriteStatement, shipperGroupStatements,
} from './oci-policies';
import { checkExpireAfterDays, checkProviderRegion, durableTarget, planForProvider, resolveBucketName } from './stack-plan';
import { DetectionStackError } from '../core/errors';
import type { StackPlan } from '../stack/plan';
import type { DetectionStackProps } from '../stack/props';
import { validateProps } from '../validation/report';

/** The pure planning behind these components (names, policy documents), for review and tests. */
export * from './oci-policies';

/** Vault types (OCI Vault): automatic key rotation exists only for keys in a virtual private vault. */
export type OciVaultType = 'DEFAULT' | 'VIRTUAL_PRIVATE';

export interface OkeDetectionStackArgs {
  /** The stack definition, the same one the cdk8s path takes (`cluster.provider: 'oke'`, `cluster.region` set). */
  readonly stack: DetectionStackProps;
  /** Tenancy OCID: OCI Audit retention and the `_Audit` log group live there. */
  readonly tenancyId: pulumi.Input<string>;
  /** Compartment for the bucket, vault, connector and policies. */
  readonly compartmentId: pulumi.Input<string>;
  /** Durable bucket name. @default the stack's `durable.bucket.name` (one plain string for the chart and the bucket) */
  readonly bucketName?: string;
  /** Existing KMS key OCID. @default a new vault (`vaultType`) and an AES-256 HSM key */
  readonly kmsKeyId?: pulumi.Input<string>;
  /**
   * Type of the vault created for the key. Automatic key rotation is available only in a
   * `VIRTUAL_PRIVATE` vault (a dedicated partition, billed per vault); keys in a `DEFAULT` vault are
   * rotated by hand (`oci kms management key rotate`).
   * @default 'DEFAULT'
   */
  readonly vaultType?: OciVaultType;
  /** Days between automatic rotations of the key (60-365, `VIRTUAL_PRIVATE` vaults only). @default 365 */
  readonly keyRotationDays?: number;
  /** Days objects are retained (bucket retention rule). @default 365 */
  readonly retentionDays?: number;
  /**
   * Days after which an object lifecycle policy deletes the alerts and the OCI Audit copy (never
   * shorter than `retentionDays`); Object Storage is granted the permission its lifecycle needs.
   * @default never: the evidence is kept until retired by hand
   */
  readonly expireAfterDays?: number;
  /**
   * Lock the retention rule. OCI locks it after its mandatory 14-day delay; from then on not even a
   * tenancy administrator can shorten or delete it (the bucket goes only once it is empty). `false`
   * is a named loosening: the rule stays deletable by whoever may update the bucket.
   * @default true
   */
  readonly lockRetention?: boolean;
  /**
   * The tenancy's home region. IAM resources (users, groups, policies, customer secret keys) are
   * created only there.
   * @default the cluster region
   */
  readonly homeRegion?: string;
  /** An OCI provider for the home region; required when `homeRegion` differs from the cluster region. @default the default provider */
  readonly homeRegionProvider?: pulumi.ProviderResource;
  /** Copy audit events of every compartment (`_Audit_Include_Subcompartment`), not only the tenancy's. @default true */
  readonly includeSubcompartments?: boolean;
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
    validateProps(OkeDetectionStackArgsSchema, args, name);
    this.plan = planForProvider(args.stack, 'oke', name);
    const target = resolveBucketName(this.plan, args.bucketName, `${name}/bucketName`);
    const bucketName = target.bucket;
    const problem = ociBucketNameProblem(bucketName);
    if (problem) throw new DetectionStackError('DS-PULUMI-011', `${name}/bucketName`, `'${bucketName}' ${problem}`, 'set bucketName (durable.bucket.name in the stack) to 1-256 letters, digits, hyphens, underscores or periods, e.g. \'prod-oke-detection-alerts\'');
    const ociAccess = args.stack.durable?.bucket?.oci;
    // The default provider's region (oci:region) is known now; an explicit provider's once its region output resolves
    // (a region it takes from the environment or ~/.oci/config is not visible to the program, and is not checked).
    const clusterRegion = this.plan.cluster.region as string;
    const explicit = this.getProvider('oci::') as oci.Provider | undefined;
    const region = explicit ? clusterRegion : checkProviderRegion(name, clusterRegion, new pulumi.Config('oci').get('region'), 'oci:region');
    const checkedRegion: pulumi.Output<string> = explicit?.region
      ? explicit.region.apply((r) => checkProviderRegion(name, clusterRegion, r, 'oci:region',
        `create the provider with region: '${clusterRegion}' (new oci.Provider('...', { region: '${clusterRegion}' })), or set cluster.region to '${r}'`))
      : pulumi.output(region);
    const audit = this.plan.audit!;
    const cluster = this.plan.cluster.name;
    const child = { parent: this };
    const iam = { parent: this, ...homeRegionOptions(name, region, args) };
    const vaultType = args.vaultType ?? 'DEFAULT';
    if (args.keyRotationDays !== undefined && (vaultType !== 'VIRTUAL_PRIVATE' || args.kmsKeyId !== undefined)) {
      throw new DetectionStackError('DS-PULUMI-031', `${name}/keyRotationDays`,
        'automatic key rotation exists only for keys this component creates in a VIRTUAL_PRIVATE vault',
        "set vaultType: 'VIRTUAL_PRIVATE', or drop keyRotationDays and rotate the key by hand");
    }
    const rotationDays = args.keyRotationDays ?? 365;
    if (!Number.isInteger(rotationDays) || rotationDays < 60 || rotationDays > 365) {
      throw new DetectionStackError('DS-PULUMI-032', `${name}/keyRotationDays`, `${rotationDays} is outside 60-365 days`, 'choose a rotation interval of 60 to 365 days');
    }
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

    const keyId = args.kmsKeyId ?? this.createKey(name, args.compartmentId, cluster, vaultType, rotationDays);
    const keyPolicy = new oci.identity.Policy(`${name}-objectstorage-key`, {
      compartmentId: args.compartmentId,
      description: `detection-stack ${cluster}: Object Storage encrypts ${bucketName} with its key`,
      statements: [pulumi.all([args.compartmentId, keyId, checkedRegion]).apply(([c, k, r]) => objectStorageKeyStatement(r, c, k))],
    }, iam);

    const retentionDays = args.retentionDays ?? 365;
    const expireAfterDays = checkExpireAfterDays(name, args.expireAfterDays, retentionDays, 'retention rule');
    const lock = args.lockRetention ?? true;
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
      retentionRules: [{
        displayName: 'detection-stack-retention',
        duration: { timeAmount: String(retentionDays), timeUnit: 'DAYS' },
        ...(lock ? { timeRuleLocked: retentionLockTime(new Date()) } : {}),
      }],
    }, {
      parent: this,
      dependsOn: [keyPolicy],
      retainOnDelete: true,
      // The lock time is set once, at creation; later runs must not move it (a locked rule cannot change).
      ignoreChanges: lock ? ['retentionRules[0].timeRuleLocked'] : [],
    });

    if (expireAfterDays !== undefined) this.expireObjects(name, args.compartmentId, bucketName, region, expireAfterDays, iam);

    if (audit.cloud.enabled) {
      const writePolicy = new oci.identity.Policy(`${name}-connector`, {
        compartmentId: args.compartmentId,
        description: `detection-stack ${cluster}: Service Connector writes OCI Audit to ${bucketName}`,
        statements: [pulumi.output(args.compartmentId).apply((c) => serviceConnectorWriteStatement(c, bucketName))],
      }, iam);
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

    // The shipper speaks the S3-compatible API, which authenticates with a customer secret key only.
    const secrets = [...(args.secrets ?? [])];
    // A shipper on OKE always has `durable.bucket.oci`: the durable layer refuses one without it (DS-DURABLE-002).
    if (durableTarget(this.plan) !== undefined && ociAccess) {
      const groupName = `${cluster}-alert-shipper`;
      const user = new oci.identity.User(`${name}-shipper`, {
        compartmentId: args.tenancyId,
        name: `${cluster}-alert-shipper`,
        description: `detection-stack ${cluster}: writes alerts to ${bucketName}`,
      }, iam);
      const group = new oci.identity.Group(`${name}-shipper`, {
        compartmentId: args.tenancyId, name: groupName, description: `detection-stack ${cluster}: alert shipper`,
      }, iam);
      new oci.identity.UserGroupMembership(`${name}-shipper`, { groupId: group.id, userId: user.id }, iam);
      new oci.identity.Policy(`${name}-shipper`, {
        compartmentId: args.compartmentId,
        description: `detection-stack ${cluster}: alert shipper may only create objects in ${bucketName}`,
        statements: pulumi.output(args.compartmentId).apply((c) => shipperGroupStatements(groupName, c, bucketName)),
      }, iam);
      const key = new oci.identity.CustomerSecretKey(`${name}-shipper`, { userId: user.id, displayName: `${cluster}-alert-shipper` }, iam);
      secrets.push(...secretsFor([[ociAccess.accessKeyId, key.id], [ociAccess.secretAccessKey, key.key]]));
    }

    this.objects = new DetectionStackObjects(`${name}-k8s`, { stack: args.stack, secrets }, {
      parent: this, providers: args.kubernetesProvider ? { kubernetes: args.kubernetesProvider } : undefined,
    });
    this.registerOutputs({ bucketName: this.bucket.name, namespace: this.namespace, connectorId: this.connector?.id });
  }

  private expireObjects(
    name: string, compartmentId: pulumi.Input<string>, bucketName: string, region: string, days: number, iam: pulumi.CustomResourceOptions,
  ): void {
    // Object lifecycle management deletes nothing until Object Storage itself may manage the bucket's objects.
    const lifecyclePolicy = new oci.identity.Policy(`${name}-objectstorage-lifecycle`, {
      compartmentId,
      description: `detection-stack ${this.plan.cluster.name}: Object Storage deletes expired objects of ${bucketName}`,
      statements: [pulumi.output(compartmentId).apply((c) => objectStorageLifecycleStatement(region, c, bucketName))],
    }, iam);
    new oci.objectstorage.ObjectLifecyclePolicy(`${name}-lifecycle`, {
      bucket: this.bucket.name,
      namespace: this.namespace,
      rules: [{ name: 'expire-evidence', action: 'DELETE', target: 'objects', isEnabled: true, timeAmount: String(days), timeUnit: 'DAYS' }],
    }, { parent: this, dependsOn: [lifecyclePolicy] });
  }

  private createKey(
    name: string, compartmentId: pulumi.Input<string>, cluster: string, vaultType: OciVaultType, rotationDays: number,
  ): pulumi.Output<string> {
    const retain = { parent: this, retainOnDelete: true };
    const vault = new oci.kms.Vault(`${name}-vault`, { compartmentId, displayName: `${cluster}-detection`, vaultType }, retain);
    const key = new oci.kms.Key(`${name}-key`, {
      compartmentId,
      displayName: `${cluster}-detection`,
      managementEndpoint: vault.managementEndpoint,
      keyShape: { algorithm: 'AES', length: 32 },
      protectionMode: 'HSM',
      // OCI Vault: automatic key rotation is available only for virtual private vaults.
      ...(vaultType === 'VIRTUAL_PRIVATE' ? { isAutoRotationEnabled: true, autoKeyRotationDetails: { rotationIntervalInDays: rotationDays } } : {}),
    }, retain);
    return key.id;
  }
}

/** IAM lives in the tenancy's home region: a provider for it is required when the cluster runs elsewhere. */
function homeRegionOptions(name: string, region: string, args: OkeDetectionStackArgs): pulumi.CustomResourceOptions {
  const home = args.homeRegion ?? region;
  if (home !== region && !args.homeRegionProvider) {
    throw new DetectionStackError('DS-PULUMI-030', `${name}/homeRegionProvider`,
      `IAM resources can be created only in the home region '${home}', and the cluster runs in '${region}'`,
      `pass homeRegionProvider: new oci.Provider('home', { region: '${home}' })`);
  }
  return args.homeRegionProvider ? { provider: args.homeRegionProvider } : {};
}

/** Groups Secret key references by Secret name, so two keys of one Secret make one object. */
function secretsFor(refs: readonly [{ readonly name: string; readonly key: string }, pulumi.Input<string>][]): StackSecret[] {
  const byName = new Map<string, Record<string, pulumi.Input<string>>>();
  for (const [ref, value] of refs) byName.set(ref.name, { ...byName.get(ref.name), [ref.key]: value });
  return [...byName].map(([secretName, data]) => ({ name: secretName, data }));
}
