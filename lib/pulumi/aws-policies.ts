// Pure planning for the EKS cloud side: names and IAM/KMS/S3 policy documents as plain data.
// No Pulumi import here, so everything is testable (and property-tested) on its own.
import { SIDEKICK_DEFAULT_LOG_STREAM } from '../routing/sidekick-plan';
import type { SidekickAwsPlan } from '../routing/sidekick-plan';

/** IAM policy document (the subset this stack writes). */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] };
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Facts of the account the program runs in (from `aws.getCallerIdentity` / `aws.getPartition`). */
export interface AwsAccountFacts {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/** Key prefix of CloudTrail's log files in the durable bucket. */
export const CLOUDTRAIL_PREFIX = 'cloudtrail';

/** The log group EKS writes control-plane logs to; it must exist first or EKS creates one that never expires. */
export function eksLogGroupName(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}

export function bucketArn(f: AwsAccountFacts, bucket: string): string {
  return `arn:${f.partition}:s3:::${bucket}`;
}

export function trailArn(f: AwsAccountFacts, trail: string): string {
  return `arn:${f.partition}:cloudtrail:${f.region}:${f.accountId}:trail/${trail}`;
}

export function logGroupArn(f: AwsAccountFacts, name: string): string {
  return `arn:${f.partition}:logs:${f.region}:${f.accountId}:log-group:${name}`;
}

/** Denies every request that does not use TLS (aws:SecureTransport false), on the bucket and its objects. */
export function tlsOnlyStatement(arn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** What CloudTrail needs on its bucket (ACL check and writes under AWSLogs/<account>/), scoped to one trail. */
export function cloudTrailBucketStatements(f: AwsAccountFacts, bucket: string, trail: string): PolicyStatement[] {
  const arn = bucketArn(f, bucket);
  const sourceArn = { 'aws:SourceArn': trailArn(f, trail) };
  return [
    {
      Sid: 'CloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: arn,
      Condition: { StringEquals: sourceArn },
    },
    {
      Sid: 'CloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${arn}/${CLOUDTRAIL_PREFIX}/AWSLogs/${f.accountId}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...sourceArn } },
    },
  ];
}

/** Policy of the durable bucket: TLS only, plus CloudTrail's grants when the trail writes to it. */
export function durableBucketPolicy(f: AwsAccountFacts, bucket: string, trail?: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [tlsOnlyStatement(bucketArn(f, bucket)), ...(trail ? cloudTrailBucketStatements(f, bucket, trail) : [])],
  };
}

/** Policy of the access-log bucket: TLS only, and S3 server access logging from the durable bucket only. */
export function accessLogBucketPolicy(f: AwsAccountFacts, logBucket: string, sourceBucket: string): PolicyDocument {
  const arn = bucketArn(f, logBucket);
  return {
    Version: '2012-10-17',
    Statement: [
      tlsOnlyStatement(arn),
      {
        Sid: 'S3ServerAccessLogs',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': bucketArn(f, sourceBucket) },
          StringEquals: { 'aws:SourceAccount': f.accountId },
        },
      },
    ],
  };
}

/**
 * Key policy of the stack's KMS key: the account administers it; CloudTrail may encrypt for this
 * account's trails; CloudWatch Logs may use it for the EKS control-plane log group (and the trail's, the analytics and
 * Falcosidekick's log group) only.
 */
export function auditKeyPolicy(
  f: AwsAccountFacts,
  opts: {
    readonly trail?: string;
    readonly logGroup?: string;
    readonly trailLogGroup?: string;
    readonly analyticsLogGroup?: string;
    readonly sidekickLogGroup?: string;
  },
): PolicyDocument {
  const statements: PolicyStatement[] = [{
    Sid: 'AccountAdministers',
    Effect: 'Allow',
    Principal: { AWS: `arn:${f.partition}:iam::${f.accountId}:root` },
    Action: 'kms:*',
    Resource: '*',
  }];
  if (opts.trail) {
    statements.push({
      Sid: 'CloudTrailEncrypts',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': trailArn(f, opts.trail) },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${f.partition}:cloudtrail:*:${f.accountId}:trail/*` },
      },
    }, {
      Sid: 'CloudTrailDescribesKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
    });
  }
  const logGroups = [opts.logGroup, opts.trailLogGroup, opts.analyticsLogGroup, opts.sidekickLogGroup].filter((g): g is string => g !== undefined);
  if (logGroups.length > 0) {
    const arns = logGroups.map((g) => logGroupArn(f, g));
    statements.push({
      Sid: 'CloudWatchLogsEncrypts',
      Effect: 'Allow',
      Principal: { Service: `logs.${f.region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arns.length === 1 ? arns[0] : arns } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * Trust policy for an EKS Pod Identity role: only the Pod Identity service, only for this account
 * and (when known) this cluster. The association names the ServiceAccount.
 */
export function podIdentityTrustPolicy(f: AwsAccountFacts, clusterArn?: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'EksPodIdentity',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': f.accountId },
        ...(clusterArn ? { ArnEquals: { 'aws:SourceArn': clusterArn } } : {}),
      },
    }],
  };
}

/**
 * The shipper may put objects under its prefix and nothing else: no read, no delete, no list.
 * SSE-KMS writes need GenerateDataKey on the bucket's key, only when called through S3.
 */
export function shipperWritePolicy(f: AwsAccountFacts, bucket: string, prefix: string, keyArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'PutAlerts', Effect: 'Allow', Action: 's3:PutObject', Resource: `${bucketArn(f, bucket)}/${prefix.replace(/\/+$/, '')}/*` },
      {
        Sid: 'EncryptAlerts',
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${f.region}.amazonaws.com` } },
      },
    ],
  };
}

/**
 * What Falcosidekick 2.34.1's aws.* outputs call (outputs/aws.go), on their own targets only:
 * - cloudwatchlogs: `CreateLogStream` of `falcosidekick-logstream` when no stream is configured, then `PutLogEvents`
 *   to that one stream (a configured stream is created by the stack and only written to);
 * - s3: `PutObject` under `<prefix>/` with the canned ACL `bucket-owner-full-control` (its default), which
 *   also needs `s3:PutObjectAcl` (S3 API reference, PutObject: "x-amz-acl ... requires s3:PutObjectAcl").
 * `sts:GetCallerIdentity` (aws.checkidentity) needs no permission. Undefined: no output the role serves.
 */
export function sidekickAwsPolicy(f: AwsAccountFacts, aws: SidekickAwsPlan): PolicyDocument | undefined {
  const statements: PolicyStatement[] = [];
  if (aws.cloudWatchLogs) {
    const { logGroupName, logStream } = aws.cloudWatchLogs;
    const stream = `${logGroupArn(f, logGroupName)}:log-stream:${logStream ?? SIDEKICK_DEFAULT_LOG_STREAM}`;
    statements.push({
      Sid: 'PutAlertEvents', Effect: 'Allow', Action: logStream ? 'logs:PutLogEvents' : ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: stream,
    });
  }
  if (aws.s3) {
    const prefix = aws.s3.prefix.replace(/^\/+|\/+$/g, '');
    statements.push({
      Sid: 'PutAlertObjects', Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: `${bucketArn(f, aws.s3.bucket)}/${prefix ? `${prefix}/` : ''}*`,
    });
  }
  return statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : undefined;
}

/** Read access k8saudit-eks needs, on the cluster's control-plane log group only (plugin README). */
export function k8sauditEksReadPolicy(f: AwsAccountFacts, cluster: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'ReadControlPlaneAuditLogs',
      Effect: 'Allow',
      Action: ['logs:Describe*', 'logs:FilterLogEvents', 'logs:Get*', 'logs:List*'],
      Resource: `${logGroupArn(f, eksLogGroupName(cluster))}:*`,
    }],
  };
}

/** S3 bucket naming rules (3-63 chars, lowercase letters, digits, dots, hyphens; no IP form). */
export function s3BucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return 'must be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit';
  if (/\.\.|\.-|-\./.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not look like an IP address or contain "..", ".-" or "-."';
  return undefined;
}

/** The access-log bucket of a durable bucket: 63 characters at most, not ending in '-' or '.'. */
export function accessLogBucketName(bucket: string): string {
  return `${bucket}-access-logs`.slice(0, 63).replace(/[-.]+$/, '');
}

/** The log group CloudTrail delivers to when CloudWatch Logs delivery is on. */
export function trailLogGroupName(trail: string): string {
  return `/aws/cloudtrail/${trail}`;
}

/** Trust policy of the role CloudTrail assumes to deliver to CloudWatch Logs, for this trail only. */
export function cloudTrailLogsTrustPolicy(f: AwsAccountFacts, trail: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'CloudTrailDelivers',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceArn': trailArn(f, trail) } },
    }],
  };
}

/** What CloudTrail needs to write its events into the log group (CloudTrail User Guide, "Role policy document"). */
export function cloudTrailLogsDeliveryPolicy(f: AwsAccountFacts, logGroup: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'CloudTrailCreatesStreamsAndPuts',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${logGroupArn(f, logGroup)}:log-stream:*`,
    }],
  };
}

/** One CIS metric filter: the Security Hub control that checks it, a short name, and the filter pattern. */
export interface CisMetricFilter {
  readonly control: string;
  readonly name: string;
  readonly pattern: string;
}

/**
 * The CIS AWS Foundations Benchmark metric filters, as the Security Hub controls CloudWatch.1-14
 * check them (Security Hub User Guide, "Security Hub controls for Amazon CloudWatch"; CIS v1.4.0 4.1-4.14).
 */
export const CIS_METRIC_FILTERS: readonly CisMetricFilter[] = [
  { control: 'CloudWatch.1', name: 'root-user-usage', pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }' },
  { control: 'CloudWatch.2', name: 'unauthorized-api-calls', pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }' },
  { control: 'CloudWatch.3', name: 'console-sign-in-without-mfa', pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }' },
  {
    control: 'CloudWatch.4',
    name: 'iam-policy-changes',
    pattern: '{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ' +
      '($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ' +
      '($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ' +
      '($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }',
  },
  {
    control: 'CloudWatch.5',
    name: 'cloudtrail-changes',
    pattern: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  },
  { control: 'CloudWatch.6', name: 'console-authentication-failures', pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }' },
  {
    control: 'CloudWatch.7',
    name: 'cmk-disabled-or-scheduled-for-deletion',
    pattern: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
  },
  {
    control: 'CloudWatch.8',
    name: 's3-bucket-policy-changes',
    pattern: '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ' +
      '($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ' +
      '($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  },
  {
    control: 'CloudWatch.9',
    name: 'config-changes',
    pattern: '{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ' +
      '($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }',
  },
  {
    control: 'CloudWatch.10',
    name: 'security-group-changes',
    pattern: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ' +
      '($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  },
  {
    control: 'CloudWatch.11',
    name: 'nacl-changes',
    pattern: '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ' +
      '($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  },
  {
    control: 'CloudWatch.12',
    name: 'network-gateway-changes',
    pattern: '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ' +
      '($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  },
  {
    control: 'CloudWatch.13',
    name: 'route-table-changes',
    pattern: '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ' +
      '($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }',
  },
  {
    control: 'CloudWatch.14',
    name: 'vpc-changes',
    pattern: '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ' +
      '($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ' +
      '($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  },
];

/**
 * Advanced event selectors: management events, and (opt-in) S3 object data events of every bucket
 * but the durable one (CloudTrail's own deliveries there would be logged back into it).
 */
export function trailEventSelectors(f: AwsAccountFacts, durableBucket: string, s3DataEvents: boolean) {
  const management = { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] };
  if (!s3DataEvents) return [management];
  return [management, {
    name: 'S3 object data events',
    fieldSelectors: [
      { field: 'eventCategory', equals: ['Data'] },
      { field: 'resources.type', equals: ['AWS::S3::Object'] },
      { field: 'resources.ARN', notStartsWith: [`${bucketArn(f, durableBucket)}/`] },
    ],
  }];
}
