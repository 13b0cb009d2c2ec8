// The EKS cloud side on @pulumi/aws v7 (non-deprecated S3 resources: aws.s3.Bucket and its companions).
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { analyticsDestination, shipperLogsPolicy } from './analytics-policies';
import { AwsDurableBucketArgsSchema, EksCloudAuditArgsSchema, EksDetectionStackArgsSchema } from './args-schemas';
import {
  accessLogBucketName, accessLogBucketPolicy, AwsAccountFacts, auditKeyPolicy, CIS_METRIC_FILTERS, CLOUDTRAIL_PREFIX, cloudTrailLogsDeliveryPolicy,
  cloudTrailLogsTrustPolicy, durableBucketPolicy, eksLogGroupName, k8sauditEksReadPolicy, podIdentityTrustPolicy, s3BucketNameProblem,
  shipperWritePolicy, sidekickAwsPolicy, trailEventSelectors, trailLogGroupName,
} from './aws-policies';
import { DetectionStackObjects, StackSecret } from './kubernetes';
import { checkExpireAfterDays, checkProviderRegion, planForProvider, resolveBucketName } from './stack-plan';
import { DetectionStackError } from '../core/errors';
import type { StackPlan } from '../stack/plan';
import type { DetectionStackProps } from '../stack/props';
import { validateProps } from '../validation/report';

/** The pure planning behind these components (names, policy documents), for review and tests. */
export * from './aws-policies';

export type ObjectLockMode = 'COMPLIANCE' | 'GOVERNANCE';

/** The durable S3 bucket for alerts and the cloud audit trail. */
export interface AwsDurableBucketArgs {
  /** Bucket name (global in S3). */
  readonly bucketName: string;
  /** KMS key for SSE-KMS. */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly account: pulumi.Input<AwsAccountFacts>;
  /** CloudTrail trail allowed to write under `cloudtrail/`. @default none */
  readonly trailName?: string;
  /**
   * Object lock default retention mode. `GOVERNANCE` lets principals with s3:BypassGovernanceRetention
   * delete early: a named loosening.
   * @default 'COMPLIANCE'
   */
  readonly objectLockMode?: ObjectLockMode;
  /** Object lock default retention in days. @default 365 */
  readonly retentionDays?: number;
  /** Days before objects move to Glacier Instant Retrieval. @default 30 */
  readonly coldAfterDays?: number;
  /** Days S3 server access logs are kept. @default 365 */
  readonly accessLogRetentionDays?: number;
  /**
   * Days after which objects (and noncurrent versions) expire. Never before the object lock retention
   * ends: a locked version cannot be deleted. @default never (evidence is kept until retired by hand)
   */
  readonly expireAfterDays?: number;
  /**
   * Keep the buckets when the stack is destroyed (`retainOnDelete`): `pulumi destroy` drops them from
   * the state and the evidence stays readable. `false` is a named loosening.
   * @default true
   */
  readonly retainOnDestroy?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A bucket that keeps evidence: versioning, object lock with a default retention, SSE-KMS, public
 * access blocked, TLS only, BucketOwnerEnforced, lifecycle to colder storage, access logging.
 */
export class AwsDurableBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly logBucket: aws.s3.Bucket;
  public readonly policy: aws.s3.BucketPolicy;
  public readonly bucketName: string;

  constructor(name: string, args: AwsDurableBucketArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:eks:DurableBucket', name, {}, opts);
    validateProps(AwsDurableBucketArgsSchema, args, name);
    const problem = s3BucketNameProblem(args.bucketName);
    if (problem) {
      throw new DetectionStackError('DS-PULUMI-010', `${name}/bucketName`, `'${args.bucketName}' ${problem}`, 'set bucketName (durable.bucket.name in the stack) to 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit, e.g. \'prod-eks-detection-alerts\'');
    }
    const retentionDays = args.retentionDays ?? 365;
    const coldAfterDays = args.coldAfterDays ?? 30;
    checkExpireAfterDays(name, args.expireAfterDays, retentionDays, 'object lock retention');
    const tags = { ...args.tags };
    const child = { parent: this };
    const kept = { parent: this, retainOnDelete: args.retainOnDestroy ?? true };
    this.bucketName = args.bucketName;
    const logBucketName = accessLogBucketName(args.bucketName);

    // Access-log target: S3 server access logging supports SSE-S3 only on the target bucket.
    this.logBucket = new aws.s3.Bucket(`${name}-access-logs`, { bucket: logBucketName, tags }, kept);
    const logBlock = new aws.s3.BucketPublicAccessBlock(`${name}-access-logs`, publicAccessBlock(this.logBucket.id), child);
    new aws.s3.BucketOwnershipControls(`${name}-access-logs`, ownerEnforced(this.logBucket.id), child);
    const logVersioning = new aws.s3.BucketVersioning(`${name}-access-logs`, { bucket: this.logBucket.id, versioningConfiguration: { status: 'Enabled' } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-access-logs`, {
      bucket: this.logBucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    }, child);
    new aws.s3.BucketLifecycleConfiguration(`${name}-access-logs`, {
      bucket: this.logBucket.id,
      rules: [{
        id: 'expire-access-logs',
        status: 'Enabled',
        filter: {},
        expiration: { days: args.accessLogRetentionDays ?? 365 },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
      }],
    }, { parent: this, dependsOn: [logVersioning] });
    new aws.s3.BucketPolicy(`${name}-access-logs`, {
      bucket: this.logBucket.id,
      policy: pulumi.output(args.account).apply((f) => JSON.stringify(accessLogBucketPolicy(f, logBucketName, args.bucketName))),
    }, { parent: this, dependsOn: [logBlock] });

    this.bucket = new aws.s3.Bucket(`${name}`, { bucket: args.bucketName, objectLockEnabled: true, tags }, kept);
    const block = new aws.s3.BucketPublicAccessBlock(name, publicAccessBlock(this.bucket.id), child);
    new aws.s3.BucketOwnershipControls(name, ownerEnforced(this.bucket.id), child);
    const versioning = new aws.s3.BucketVersioning(name, { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } }, child);
    new aws.s3.BucketObjectLockConfiguration(name, {
      bucket: this.bucket.id,
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: args.objectLockMode ?? 'COMPLIANCE', days: retentionDays } },
    }, { parent: this, dependsOn: [versioning] });
    new aws.s3.BucketServerSideEncryptionConfiguration(name, {
      bucket: this.bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
    }, child);
    new aws.s3.BucketLifecycleConfiguration(name, {
      bucket: this.bucket.id,
      rules: [{
        id: 'colder-storage',
        status: 'Enabled',
        filter: {},
        transitions: [{ days: coldAfterDays, storageClass: 'GLACIER_IR' }],
        noncurrentVersionTransitions: [{ noncurrentDays: coldAfterDays, storageClass: 'GLACIER_IR' }],
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        ...(args.expireAfterDays !== undefined
          ? { expiration: { days: args.expireAfterDays }, noncurrentVersionExpiration: { noncurrentDays: args.expireAfterDays } }
          : {}),
      }],
    }, { parent: this, dependsOn: [versioning] });
    new aws.s3.BucketLogging(name, { bucket: this.bucket.id, targetBucket: this.logBucket.id, targetPrefix: `${args.bucketName}/` }, child);
    this.policy = new aws.s3.BucketPolicy(name, {
      bucket: this.bucket.id,
      policy: pulumi.output(args.account).apply((f) => JSON.stringify(durableBucketPolicy(f, args.bucketName, args.trailName))),
    }, { parent: this, dependsOn: [block] });

    this.registerOutputs({ bucketName: this.bucket.bucket, bucketArn: this.bucket.arn, logBucketName: this.logBucket.bucket });
  }
}

function publicAccessBlock(bucket: pulumi.Input<string>): aws.s3.BucketPublicAccessBlockArgs {
  return { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
}

function ownerEnforced(bucket: pulumi.Input<string>): aws.s3.BucketOwnershipControlsArgs {
  return { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } };
}

/** The cloud side of an EKS stack that must exist before the cluster (its log group) or independently of it. */
export interface EksCloudAuditArgs {
  /** The stack definition, the same one the cdk8s path takes (`cluster.provider: 'eks'`, `cluster.region` set). */
  readonly stack: DetectionStackProps;
  /**
   * Name of the durable bucket (S3 names are global). Taken from the stack's `durable.bucket.name`
   * when it has one, so the chart and the bucket share one plain string.
   * @default the stack's durable bucket name
   */
  readonly bucketName?: string;
  /** @default 'COMPLIANCE' */
  readonly objectLockMode?: ObjectLockMode;
  /** Object lock default retention in days. @default 365 */
  readonly retentionDays?: number;
  /** CloudTrail trail name. @default `<cluster>-audit` */
  readonly trailName?: string;
  /** Days after which durable objects expire (not before the retention ends). @default never */
  readonly expireAfterDays?: number;
  /** Days the KMS key waits, once scheduled for deletion, before it is deleted (7-30). @default 30 */
  readonly keyDeletionWindowDays?: number;
  /**
   * Keep the key, buckets, trail and log groups when the stack is destroyed (`retainOnDelete`), so
   * the evidence stays readable; README "Retiring the evidence" says how to remove them. `false` is a
   * named loosening.
   * @default true
   */
  readonly retainOnDestroy?: boolean;
  /**
   * Named opt-in: the trail also delivers to CloudWatch Logs (`/aws/cloudtrail/<trail>`, KMS, retention),
   * with the CIS metric filters and alarms (Security Hub CloudWatch.1-14) unless `cisMetricFilters` is false.
   * @default off
   */
  readonly trailCloudWatchLogs?: TrailCloudWatchLogs;
  /** Named opt-in: log S3 object-level data events of every bucket but the durable one (billed per event). @default false */
  readonly s3DataEvents?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface TrailCloudWatchLogs {
  /** Days the trail's log group keeps events. @default 365 */
  readonly retentionDays?: number;
  /** The CIS metric filters, each with an alarm. @default true */
  readonly cisMetricFilters?: boolean;
  /** SNS topic the alarms notify (CIS asks for a subscriber). @default none: alarms only change state */
  readonly alarmTopicArn?: pulumi.Input<string>;
}

/**
 * KMS key (rotating), the durable bucket, CloudTrail (multi-region, global service events, log file
 * validation, KMS) and the EKS control-plane log group. Create it before the cluster and give the
 * cluster `enabledClusterLogTypes` and `dependsOn: [cloudAudit.controlPlaneLogGroup]`.
 */
export class EksCloudAudit extends pulumi.ComponentResource {
  /** The stack definition, kept for the in-cluster side. */
  public readonly stack: DetectionStackProps;
  public readonly plan: StackPlan;
  public readonly key: aws.kms.Key;
  public readonly durable: AwsDurableBucket;
  public readonly trail?: aws.cloudtrail.Trail;
  /** The trail's CloudWatch Logs group (with `trailCloudWatchLogs`). */
  public readonly trailLogGroup?: aws.cloudwatch.LogGroup;
  public readonly controlPlaneLogGroup?: aws.cloudwatch.LogGroup;
  /** The log group the shipper also writes alerts to (`durable.analytics.cloudWatchLogs`), with its retention and the key. */
  public readonly analyticsLogGroup?: aws.cloudwatch.LogGroup;
  /** The log group of Falcosidekick's `awsCloudWatchLogs` output (Falcosidekick never creates it), with its retention and the key. */
  public readonly sidekickLogGroup?: aws.cloudwatch.LogGroup;
  /** The configured `logStream` of that output (Falcosidekick creates only its default stream). */
  public readonly sidekickLogStream?: aws.cloudwatch.LogStream;
  /** For `aws.eks.Cluster` `enabledClusterLogTypes`. */
  public readonly enabledClusterLogTypes: string[];
  public readonly account: pulumi.Output<AwsAccountFacts>;
  public readonly bucketName: string;
  /** Object key prefix the shipper writes under (its role may write nowhere else). */
  public readonly alertsPrefix: string;
  /** The shipper's ServiceAccount (Pod Identity binds its role to it). */
  public readonly shipperServiceAccount: string;

  constructor(name: string, args: EksCloudAuditArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:eks:CloudAudit', name, {}, opts);
    validateProps(EksCloudAuditArgsSchema, args, name);
    this.stack = args.stack;
    this.plan = planForProvider(args.stack, 'eks', name);
    const clusterRegion = this.plan.cluster.region as string;
    const audit = this.plan.audit!;
    const cluster = this.plan.cluster.name;
    const trailName = audit.cloud.enabled ? args.trailName ?? `${cluster}-audit` : undefined;
    const logGroupName = audit.kubernetes.controlPlaneLogs ? eksLogGroupName(cluster) : undefined;
    const trailLogs = trailName && args.trailCloudWatchLogs ? args.trailCloudWatchLogs : undefined;
    const trailLogGroup = trailLogs && trailName ? trailLogGroupName(trailName) : undefined;
    const analytics = analyticsDestination(this.plan, 'cloudwatch-logs');
    const sidekickLogs = this.plan.routing?.sidekick.aws?.cloudWatchLogs;
    if (sidekickLogs) checkSidekickLogGroup(name, this.plan, [logGroupName, trailLogGroup, analytics?.logGroupName]);
    const deletionWindow = args.keyDeletionWindowDays ?? 30;
    if (!Number.isInteger(deletionWindow) || deletionWindow < 7 || deletionWindow > 30) {
      // AWS KMS ScheduleKeyDeletion: PendingWindowInDays is 7 to 30.
      throw new DetectionStackError('DS-PULUMI-036', `${name}/keyDeletionWindowDays`, `${deletionWindow} is outside 7-30 days`, 'choose 7 to 30 days (30 gives the longest time to cancel)');
    }
    if (args.stack.durable?.bucket?.aws?.roleArn !== undefined) {
      throw new DetectionStackError('DS-PULUMI-016', `${name}/durable.bucket.aws.roleArn`,
        'the stack names a fixed IRSA role, but this component creates the shipper role and binds it with EKS Pod Identity',
        'set durable.bucket.aws: { podIdentity: true } and drop roleArn');
    }
    const target = resolveBucketName(this.plan, args.bucketName, `${name}/bucketName`);
    const child = { parent: this };
    const kept = { parent: this, retainOnDelete: args.retainOnDestroy ?? true };
    const identity = aws.getCallerIdentityOutput({}, child);
    const partition = aws.getPartitionOutput({}, child);
    // ARNs, kms:ViaService and logs.<region> are written for the provider's region, which must be the stack's.
    // The default provider's region is known now (aws:region, else the environment, as the provider reads it):
    // refused here, the error reaches the user once and plainly, not through every output that needs the region.
    if (!this.getProvider('aws::')) {
      checkProviderRegion(name, clusterRegion, new pulumi.Config('aws').get('region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION, 'aws:region');
    }
    const providerRegion = aws.getRegionOutput({}, child).region;
    this.account = pulumi.all([identity.accountId, partition.partition, providerRegion]).apply(([accountId, p, r]) => ({
      partition: p, accountId, region: checkProviderRegion(name, clusterRegion, r, 'aws:region'),
    }));
    this.bucketName = target.bucket;
    this.alertsPrefix = target.prefix;
    this.shipperServiceAccount = target.serviceAccount;

    this.key = new aws.kms.Key(`${name}-key`, {
      description: `detection-stack ${cluster}: durable alerts, CloudTrail and control-plane logs`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: deletionWindow,
      policy: this.account.apply((f) => JSON.stringify(auditKeyPolicy(f, {
        trail: trailName,
        logGroup: logGroupName,
        trailLogGroup,
        analyticsLogGroup: analytics?.logGroupName,
        sidekickLogGroup: sidekickLogs?.logGroupName,
      }))),
      tags: { ...args.tags },
    }, kept);
    new aws.kms.Alias(`${name}-key`, { name: `alias/detection-stack/${cluster}`, targetKeyId: this.key.keyId }, child);

    this.durable = new AwsDurableBucket(`${name}-durable`, {
      bucketName: this.bucketName,
      kmsKeyArn: this.key.arn,
      account: this.account,
      trailName,
      objectLockMode: args.objectLockMode,
      retentionDays: args.retentionDays,
      expireAfterDays: args.expireAfterDays,
      retainOnDestroy: args.retainOnDestroy,
      tags: args.tags,
    }, child);

    if (trailName) {
      const delivery = trailLogs && trailLogGroup ? this.trailDelivery(name, trailName, trailLogGroup, trailLogs, args, kept) : undefined;
      this.trailLogGroup = delivery?.logGroup;
      this.trail = new aws.cloudtrail.Trail(`${name}-trail`, {
        name: trailName,
        s3BucketName: this.durable.bucket.bucket,
        s3KeyPrefix: CLOUDTRAIL_PREFIX,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        kmsKeyId: this.key.arn,
        advancedEventSelectors: this.account.apply((f) => trailEventSelectors(f, this.bucketName, args.s3DataEvents ?? false)),
        // CloudTrail takes the log group ARN with its `:*` suffix.
        ...(delivery ? { cloudWatchLogsGroupArn: pulumi.interpolate`${delivery.logGroup.arn}:*`, cloudWatchLogsRoleArn: delivery.role.arn } : {}),
        tags: { ...args.tags },
      }, { ...kept, dependsOn: [this.durable.policy, ...(delivery ? [delivery.rolePolicy] : [])] });
    }

    if (logGroupName) {
      this.controlPlaneLogGroup = new aws.cloudwatch.LogGroup(`${name}-control-plane`, {
        name: logGroupName,
        retentionInDays: audit.kubernetes.retentionDays,
        kmsKeyId: this.key.arn,
        tags: { ...args.tags },
      }, kept);
    }
    if (analytics) {
      this.analyticsLogGroup = new aws.cloudwatch.LogGroup(`${name}-analytics`, {
        name: analytics.logGroupName, retentionInDays: analytics.retentionDays, kmsKeyId: this.key.arn, tags: { ...args.tags },
      }, kept);
    }
    if (sidekickLogs) {
      this.sidekickLogGroup = new aws.cloudwatch.LogGroup(`${name}-sidekick`, {
        name: sidekickLogs.logGroupName, retentionInDays: sidekickLogs.retentionDays, kmsKeyId: this.key.arn, tags: { ...args.tags },
      }, kept);
      if (sidekickLogs.logStream) {
        this.sidekickLogStream = new aws.cloudwatch.LogStream(`${name}-sidekick`, { name: sidekickLogs.logStream, logGroupName: this.sidekickLogGroup.name }, kept);
      }
    }
    this.enabledClusterLogTypes = [...audit.kubernetes.eksLogTypes];

    this.registerOutputs({
      bucketName: this.durable.bucket.bucket,
      keyArn: this.key.arn,
      trailArn: this.trail?.arn,
      controlPlaneLogGroup: this.controlPlaneLogGroup?.name,
    });
  }

  /** The trail's log group, the role CloudTrail delivers with, and (unless turned off) the CIS filters and alarms. */
  private trailDelivery(
    name: string, trail: string, logGroupName: string, opts: TrailCloudWatchLogs, args: EksCloudAuditArgs, kept: pulumi.CustomResourceOptions,
  ) {
    const child = { parent: this };
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-trail-logs`, {
      name: logGroupName, retentionInDays: opts.retentionDays ?? 365, kmsKeyId: this.key.arn, tags: { ...args.tags },
    }, kept);
    const role = new aws.iam.Role(`${name}-trail-logs`, {
      description: `CloudTrail ${trail} delivers to ${logGroupName}`,
      assumeRolePolicy: this.account.apply((f) => JSON.stringify(cloudTrailLogsTrustPolicy(f, trail))),
    }, child);
    const rolePolicy = new aws.iam.RolePolicy(`${name}-trail-logs`, {
      role: role.id,
      policy: this.account.apply((f) => JSON.stringify(cloudTrailLogsDeliveryPolicy(f, logGroupName))),
    }, child);
    if (opts.cisMetricFilters ?? true) {
      for (const filter of CIS_METRIC_FILTERS) {
        const metricName = `cis-${filter.name}`;
        new aws.cloudwatch.LogMetricFilter(`${name}-${filter.name}`, {
          name: metricName,
          logGroupName: logGroup.name,
          pattern: filter.pattern,
          metricTransformation: { name: metricName, namespace: CIS_METRIC_NAMESPACE, value: '1' },
        }, child);
        new aws.cloudwatch.MetricAlarm(`${name}-${filter.name}`, {
          name: `${trail}-${metricName}`,
          alarmDescription: `${filter.control}: ${filter.name.replace(/-/g, ' ')} (CIS AWS Foundations Benchmark)`,
          namespace: CIS_METRIC_NAMESPACE,
          metricName,
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
          alarmActions: opts.alarmTopicArn ? [opts.alarmTopicArn] : [],
        }, child);
      }
    }
    return { logGroup, role, rolePolicy };
  }
}

/**
 * The Falcosidekick log group is created by the stack's provider, in the stack's region, beside the stack's other
 * groups: an output in another region, or a name one of those groups already has, cannot be created here.
 */
function checkSidekickLogGroup(name: string, plan: StackPlan, others: readonly (string | undefined)[]): void {
  const sidekick = plan.routing!.sidekick.aws!;
  const where = `${name}/routing.sidekick.outputs.awsCloudWatchLogs`;
  if (sidekick.region !== plan.cluster.region) {
    throw new DetectionStackError('DS-PULUMI-047', where,
      `the output writes to ${sidekick.region} but this component creates its log group in the stack's region ${plan.cluster.region}`,
      `leave routing.sidekick.aws.region out (or set it to '${plan.cluster.region}')`);
  }
  if (others.includes(sidekick.cloudWatchLogs!.logGroupName)) {
    throw new DetectionStackError('DS-PULUMI-049', `${where}.logGroup`,
      `'${sidekick.cloudWatchLogs!.logGroupName}' is a log group the stack already creates for another writer`,
      'give Falcosidekick a log group of its own');
  }
}

/** CloudWatch metric namespace of the CIS metric filters. */
export const CIS_METRIC_NAMESPACE = 'CISBenchmark';

export interface EksDetectionStackArgs {
  /** The cloud side created before the cluster; the stack definition is taken from it. */
  readonly cloudAudit: EksCloudAudit;
  /** The EKS cluster the stack runs on. */
  readonly cluster: aws.eks.Cluster;
  /** Install the `eks-pod-identity-agent` add-on. Turn off when the cluster already has it. @default true */
  readonly installPodIdentityAgent?: boolean;
  /** Secrets the stack references (routing credentials), as Pulumi secrets. @default none */
  readonly secrets?: readonly StackSecret[];
  /** Kubernetes provider for the cluster. @default the default provider */
  readonly kubernetesProvider?: pulumi.ProviderResource;
}

/**
 * The in-cluster side on EKS: Pod Identity roles (shipper: s3:PutObject on `alerts/` only; k8saudit-eks:
 * read on the control-plane log group) and the chart's objects. Pod Identity binds a role to a
 * ServiceAccount without an annotation, so the chart needs no value the cloud decides.
 */
export class EksDetectionStack extends pulumi.ComponentResource {
  public readonly shipperRole: aws.iam.Role;
  public readonly k8sauditRole?: aws.iam.Role;
  /** Falcosidekick's role for its aws.* outputs, when `routing.sidekick.aws` names no IRSA role (Pod Identity). */
  public readonly sidekickRole?: aws.iam.Role;
  public readonly objects: DetectionStackObjects;

  constructor(name: string, args: EksDetectionStackArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('detection-stack:eks:DetectionStack', name, {}, opts);
    validateProps(EksDetectionStackArgsSchema, args, name);
    const cloud = args.cloudAudit;
    const plan = cloud.plan;
    const child = { parent: this };
    const namespace = plan.namespace;
    const clusterName = args.cluster.name;
    // Pods get Pod Identity credentials only when the agent runs and their association exists at pod start.
    const dependsOn: pulumi.Resource[] = [];
    if (args.installPodIdentityAgent ?? true) {
      dependsOn.push(new aws.eks.Addon(`${name}-pod-identity-agent`, { clusterName, addonName: 'eks-pod-identity-agent' }, child));
    }
    const associations: pulumi.Resource[] = [];

    const trust = pulumi.all([cloud.account, args.cluster.arn]).apply(([f, arn]) => JSON.stringify(podIdentityTrustPolicy(f, arn)));
    this.shipperRole = new aws.iam.Role(`${name}-shipper`, {
      description: `detection-stack ${plan.cluster.name}: alert shipper writes to ${cloud.bucketName}/${cloud.alertsPrefix}/`,
      assumeRolePolicy: trust,
    }, child);
    // Each association waits for its role's policies: the pods that wait for it start with their permissions.
    const shipperPolicies: pulumi.Resource[] = [];
    shipperPolicies.push(new aws.iam.RolePolicy(`${name}-shipper`, {
      role: this.shipperRole.id,
      policy: pulumi.all([cloud.account, cloud.key.arn])
        .apply(([f, keyArn]) => JSON.stringify(shipperWritePolicy(f, cloud.bucketName, cloud.alertsPrefix, keyArn))),
    }, child));
    const analytics = analyticsDestination(plan, 'cloudwatch-logs');
    if (analytics) {
      shipperPolicies.push(new aws.iam.RolePolicy(`${name}-shipper-logs`, {
        role: this.shipperRole.id,
        policy: cloud.account.apply((f) => JSON.stringify(shipperLogsPolicy(f, analytics.logGroupName))),
      }, { parent: this, dependsOn: cloud.analyticsLogGroup ? [cloud.analyticsLogGroup] : [] }));
    }
    associations.push(new aws.eks.PodIdentityAssociation(`${name}-shipper`, {
      clusterName, namespace, serviceAccount: cloud.shipperServiceAccount, roleArn: this.shipperRole.arn,
    }, { parent: this, dependsOn: [...dependsOn, ...shipperPolicies] }));

    const sidekick = plan.routing?.sidekick;
    const sidekickPolicy = sidekick?.aws && !sidekick.aws.roleArn ? sidekick.aws : undefined;
    if (sidekick && sidekickPolicy) {
      // sidekick.aws without roleArn: EKS Pod Identity, the association made here (one per ServiceAccount).
      this.sidekickRole = new aws.iam.Role(`${name}-sidekick`, {
        description: `detection-stack ${plan.cluster.name}: Falcosidekick writes its aws.* outputs`,
        assumeRolePolicy: trust,
      }, child);
      const policy = new aws.iam.RolePolicy(`${name}-sidekick`, {
        role: this.sidekickRole.id,
        policy: cloud.account.apply((f) => JSON.stringify(sidekickAwsPolicy(f, sidekickPolicy))),
      }, { parent: this, dependsOn: [cloud.sidekickLogGroup, cloud.sidekickLogStream].filter((r): r is NonNullable<typeof r> => r !== undefined) });
      associations.push(new aws.eks.PodIdentityAssociation(`${name}-sidekick`, {
        clusterName, namespace: sidekick.workload.namespace, serviceAccount: sidekick.workload.serviceAccount.name, roleArn: this.sidekickRole.arn,
      }, { parent: this, dependsOn: [...dependsOn, policy] }));
    }

    const plugin = plan.audit?.kubernetes.falcoPlugin;
    if (plugin) {
      this.k8sauditRole = new aws.iam.Role(`${name}-k8saudit`, {
        description: `detection-stack ${plan.cluster.name}: Falco k8saudit-eks reads the control-plane log group`,
        assumeRolePolicy: trust,
      }, child);
      const k8sauditPolicy = new aws.iam.RolePolicy(`${name}-k8saudit`, {
        role: this.k8sauditRole.id,
        policy: cloud.account.apply((f) => JSON.stringify(k8sauditEksReadPolicy(f, plan.cluster.name))),
      }, child);
      associations.push(new aws.eks.PodIdentityAssociation(`${name}-k8saudit`, {
        clusterName, namespace, serviceAccount: plugin.serviceAccountName, roleArn: this.k8sauditRole.arn,
      }, { parent: this, dependsOn: [...dependsOn, k8sauditPolicy] }));
    }

    this.objects = new DetectionStackObjects(`${name}-k8s`, { stack: cloud.stack, secrets: args.secrets, workloadsDependOn: [...dependsOn, ...associations] }, {
      parent: this, providers: args.kubernetesProvider ? { kubernetes: args.kubernetesProvider } : undefined,
    });
    this.registerOutputs({ shipperRoleArn: this.shipperRole.arn, k8sauditRoleArn: this.k8sauditRole?.arn, sidekickRoleArn: this.sidekickRole?.arn });
  }
}
