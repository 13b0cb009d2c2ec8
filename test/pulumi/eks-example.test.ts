import * as path from 'path';
import { cloudSnapshot, dependenciesOf, EXAMPLES, ofType, policyDocument, resource, retained, retiringParagraph } from './plan-helpers';
import { OfflinePlan, planProgram } from '../../lib/pulumi/offline-plan';

// GIVEN the eks-pulumi example WHEN it runs under Pulumi's mocks THEN the security properties hold exactly.
let plan: OfflinePlan;
beforeAll(async () => {
  plan = await planProgram(path.join(EXAMPLES, 'eks-pulumi'));
}, 60_000);

const DURABLE = 'prod-eks-audit-durable';
const BUCKET = 'prod-eks-detection-alerts';

test('components carry detection-stack type tokens and their children are parented', () => {
  expect(resource(plan, 'detection-stack:eks:CloudAudit', 'prod-eks-audit').parent).toBeUndefined();
  expect(resource(plan, 'detection-stack:eks:DurableBucket', DURABLE).parent).toBe('prod-eks-audit');
  expect(resource(plan, 'detection-stack:eks:DetectionStack', 'prod-eks-detection').parent).toBeUndefined();
  expect(resource(plan, 'detection-stack:kubernetes:DetectionStackObjects', 'prod-eks-detection-k8s').parent).toBe('prod-eks-detection');
  expect(resource(plan, 'aws:kms/key:Key', 'prod-eks-audit-key').parent).toBe('prod-eks-audit');
});

test('the durable bucket has object lock with a COMPLIANCE default retention of 365 days and versioning', () => {
  expect(resource(plan, 'aws:s3/bucket:Bucket', DURABLE).inputs).toMatchObject({ bucket: BUCKET, objectLockEnabled: true });
  expect(resource(plan, 'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration', DURABLE).inputs).toMatchObject({
    objectLockEnabled: 'Enabled',
    rule: { defaultRetention: { mode: 'COMPLIANCE', days: 365 } },
  });
  expect(resource(plan, 'aws:s3/bucketVersioning:BucketVersioning', DURABLE).inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
});

test('SSE-KMS with the stack key, and the key rotates', () => {
  const sse = resource(plan, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', DURABLE);
  expect(sse.inputs.rules).toEqual([{
    applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:mock::123456789012:kms/key/prod-eks-audit-key' },
    bucketKeyEnabled: true,
  }]);
  const key = resource(plan, 'aws:kms/key:Key', 'prod-eks-audit-key');
  expect(key.inputs).toMatchObject({ enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 });
});

test('public access is blocked and objects belong to the bucket owner on both buckets', () => {
  for (const name of [DURABLE, `${DURABLE}-access-logs`]) {
    expect(resource(plan, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', name).inputs).toMatchObject({
      blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    expect(resource(plan, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls', name).inputs.rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
  }
});

test('the bucket policy denies non-TLS requests and lets only this trail write under cloudtrail/AWSLogs/<account>/', () => {
  const doc = policyDocument(resource(plan, 'aws:s3/bucketPolicy:BucketPolicy', DURABLE));
  expect(doc.Statement[0]).toEqual({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
  expect(doc.Statement[2]).toEqual({
    Sid: 'CloudTrailWrite',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/cloudtrail/AWSLogs/123456789012/*`,
    Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/prod-eks-audit' } },
  });
});

test('lifecycle moves objects to colder storage and access logs go to the log bucket', () => {
  const lifecycle = resource(plan, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', DURABLE);
  expect((lifecycle.inputs.rules as Record<string, unknown>[])[0]).toMatchObject({ status: 'Enabled', transitions: [{ days: 30, storageClass: 'GLACIER_IR' }] });
  const logging = resource(plan, 'aws:s3/bucketLogging:BucketLogging', DURABLE);
  expect(logging.inputs).toMatchObject({ targetBucket: `${DURABLE}-access-logs-id`, targetPrefix: `${BUCKET}/` });
  expect(resource(plan, 'aws:s3/bucket:Bucket', `${DURABLE}-access-logs`).inputs.bucket).toBe(`${BUCKET}-access-logs`);
});

test('CloudTrail is multi-region, includes global service events, validates log files and uses KMS', () => {
  const trail = resource(plan, 'aws:cloudtrail/trail:Trail', 'prod-eks-audit-trail');
  expect(trail.inputs).toMatchObject({
    name: 'prod-eks-audit',
    s3BucketName: BUCKET,
    s3KeyPrefix: 'cloudtrail',
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogFileValidation: true,
    enableLogging: true,
    kmsKeyId: 'arn:aws:mock::123456789012:kms/key/prod-eks-audit-key',
  });
});

test('the trail is created after the bucket policy that lets CloudTrail write, its key, and its CloudWatch Logs delivery role policy', () => {
  // CreateTrail checks the bucket policy and fails with InsufficientS3BucketPolicyException when it does not
  // grant CloudTrail (AWS CloudTrail API Reference, CreateTrail, Errors; User Guide "Amazon S3 bucket policy for CloudTrail");
  // with CloudWatch Logs it fails with InvalidCloudWatchLogsRoleArnException until the role may write there.
  expect(dependenciesOf(plan, 'aws:cloudtrail/trail:Trail', 'prod-eks-audit-trail')).toEqual([
    'aws:cloudwatch/logGroup:LogGroup prod-eks-audit-trail-logs',
    'aws:iam/role:Role prod-eks-audit-trail-logs',
    'aws:iam/rolePolicy:RolePolicy prod-eks-audit-trail-logs',
    'aws:kms/key:Key prod-eks-audit-key',
    `aws:s3/bucket:Bucket ${DURABLE}`,
    `aws:s3/bucketPolicy:BucketPolicy ${DURABLE}`,
  ]);
});

test('each bucket\'s policy waits for its public access block, and object lock and lifecycle wait for versioning', () => {
  // PutBucketPolicy beside PutPublicAccessBlock on a new bucket fails with OperationAborted ("A conflicting conditional
  // operation is currently in progress against this resource", pulumi/pulumi-aws#1570, hashicorp/terraform-provider-aws#7628).
  // Lifecycle rules with noncurrent-version actions wait for versioning in @pulumi/aws 7.48's own example
  // (s3/bucketLifecycleConfiguration.d.ts, "Creating a Lifecycle Configuration for a bucket with versioning": dependsOn:
  // [versioning]); object lock needs versioning enabled first (s3/bucketObjectLockConfiguration.d.ts, `token`).
  for (const bucket of [DURABLE, `${DURABLE}-access-logs`]) {
    expect(dependenciesOf(plan, 'aws:s3/bucketPolicy:BucketPolicy', bucket)).toEqual([
      `aws:s3/bucket:Bucket ${bucket}`, `aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock ${bucket}`,
    ]);
    expect(dependenciesOf(plan, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', bucket)).toEqual([
      `aws:s3/bucket:Bucket ${bucket}`, `aws:s3/bucketVersioning:BucketVersioning ${bucket}`,
    ]);
  }
  expect(dependenciesOf(plan, 'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration', DURABLE)).toEqual([
    `aws:s3/bucket:Bucket ${DURABLE}`, `aws:s3/bucketVersioning:BucketVersioning ${DURABLE}`,
  ]);
});

test('opt-in: the trail delivers to its own KMS-encrypted log group through a role only this trail may assume', () => {
  // CloudTrail User Guide, "Sending events to CloudWatch Logs": the role needs logs:CreateLogStream and logs:PutLogEvents
  // on the log group's streams, and the trail takes the group ARN with ':*'.
  const trail = resource(plan, 'aws:cloudtrail/trail:Trail', 'prod-eks-audit-trail');
  expect(trail.inputs).toMatchObject({
    cloudWatchLogsGroupArn: 'arn:aws:mock::123456789012:cloudwatch/logGroup/prod-eks-audit-trail-logs:*',
    cloudWatchLogsRoleArn: 'arn:aws:mock::123456789012:iam/role/prod-eks-audit-trail-logs',
    advancedEventSelectors: [{ name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }],
  });
  expect(resource(plan, 'aws:cloudwatch/logGroup:LogGroup', 'prod-eks-audit-trail-logs').inputs).toMatchObject({
    name: '/aws/cloudtrail/prod-eks-audit', retentionInDays: 365, kmsKeyId: 'arn:aws:mock::123456789012:kms/key/prod-eks-audit-key',
  });
  expect(policyDocument(resource(plan, 'aws:iam/role:Role', 'prod-eks-audit-trail-logs'), 'assumeRolePolicy').Statement).toEqual([{
    Sid: 'CloudTrailDelivers',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/prod-eks-audit' } },
  }]);
  expect(policyDocument(resource(plan, 'aws:iam/rolePolicy:RolePolicy', 'prod-eks-audit-trail-logs')).Statement).toEqual([{
    Sid: 'CloudTrailCreatesStreamsAndPuts',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/cloudtrail/prod-eks-audit:log-stream:*',
  }]);
});

test('the KMS key lets CloudWatch Logs encrypt the control-plane and trail log groups, and only those', () => {
  const key = policyDocument(resource(plan, 'aws:kms/key:Key', 'prod-eks-audit-key'));
  expect(key.Statement.find((st) => st.Sid === 'CloudWatchLogsEncrypts')?.Condition).toEqual({
    ArnEquals: {
      'kms:EncryptionContext:aws:logs:arn': [
        'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/prod-eks/cluster',
        'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/cloudtrail/prod-eks-audit',
      ],
    },
  });
});

test('opt-in: the CIS metric filters CloudWatch.1-14 each count into a metric with an alarm at 1 in 5 minutes', () => {
  // Security Hub User Guide, "Security Hub controls for Amazon CloudWatch" (CIS AWS Foundations Benchmark v1.4.0 4.1-4.14).
  const filters = ofType(plan, 'aws:cloudwatch/logMetricFilter:LogMetricFilter');
  expect(filters).toHaveLength(14);
  expect(resource(plan, 'aws:cloudwatch/logMetricFilter:LogMetricFilter', 'prod-eks-audit-root-user-usage').inputs).toEqual({
    name: 'cis-root-user-usage',
    logGroupName: '/aws/cloudtrail/prod-eks-audit',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    metricTransformation: { name: 'cis-root-user-usage', namespace: 'CISBenchmark', value: '1' },
  });
  for (const filter of filters) {
    expect(resource(plan, 'aws:cloudwatch/metricAlarm:MetricAlarm', filter.name).inputs).toMatchObject({
      metricName: (filter.inputs.metricTransformation as { name: string }).name,
      namespace: 'CISBenchmark',
      statistic: 'Sum',
      period: 300,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: ['arn:aws:sns:eu-west-1:123456789012:security-alarms'],
    });
  }
});

test('pulumi destroy leaves the evidence: key, buckets, trail and log groups are retained on delete, and nothing else is', () => {
  expect(retained(plan)).toEqual([
    'aws:cloudtrail/trail:Trail prod-eks-audit-trail',
    'aws:cloudwatch/logGroup:LogGroup prod-eks-audit-control-plane',
    'aws:cloudwatch/logGroup:LogGroup prod-eks-audit-trail-logs',
    'aws:kms/key:Key prod-eks-audit-key',
    `aws:s3/bucket:Bucket ${DURABLE}`,
    `aws:s3/bucket:Bucket ${DURABLE}-access-logs`,
  ]);
  // KMS ScheduleKeyDeletion waits 7-30 days; the longest window is set explicitly.
  expect(resource(plan, 'aws:kms/key:Key', 'prod-eks-audit-key').inputs.deletionWindowInDays).toBe(30);
  // The README says how to retire each (S3 Object Lock: a locked version can be deleted once its retain-until date passes).
  expect(retiringParagraph()).toContain('EKS, empty the bucket (locked versions can be deleted once their retention date passes), ' +
    'delete both buckets, the trail and the log groups, then `aws kms schedule-key-deletion --pending-window-in-days 30`;');
});

test('pods start after the Pod Identity agent and their associations, so they get credentials at start', () => {
  // EKS User Guide, "Assign an IAM role to a Kubernetes service account" (pod-id-association): the agent injects
  // credentials into pods at creation; a pod that exists before its association must be restarted to get them.
  const waitsFor = [
    'aws:eks/addon:Addon prod-eks-detection-pod-identity-agent',
    'aws:eks/podIdentityAssociation:PodIdentityAssociation prod-eks-detection-k8saudit',
    'aws:eks/podIdentityAssociation:PodIdentityAssociation prod-eks-detection-shipper',
    'kubernetes:core/v1:Namespace prod-eks-detection-k8s-falco',
    'kubernetes:core/v1:Namespace prod-eks-detection-k8s-falco-routing',
    'kubernetes:core/v1:Secret prod-eks-detection-k8s-routing-slack',
  ];
  expect(dependenciesOf(plan, 'kubernetes:apps/v1:DaemonSet', 'prod-eks-detection-k8s-falco/alert-shipper')).toEqual(waitsFor);
  expect(dependenciesOf(plan, 'kubernetes:apps/v1:Deployment', 'prod-eks-detection-k8s-falco/falco-k8saudit')).toEqual(waitsFor);
  // A Secret is created in a namespace of the stack, so it waits for the Namespaces (dependsOn a ConfigGroup: each of its objects).
  expect(dependenciesOf(plan, 'kubernetes:core/v1:Secret', 'prod-eks-detection-k8s-routing-slack')).toEqual([
    'kubernetes:core/v1:Namespace prod-eks-detection-k8s-falco', 'kubernetes:core/v1:Namespace prod-eks-detection-k8s-falco-routing',
  ]);
  expect(dependenciesOf(plan, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', 'prod-eks-detection-shipper')).toEqual([
    'aws:eks/addon:Addon prod-eks-detection-pod-identity-agent', 'aws:eks/cluster:Cluster prod-eks', 'aws:iam/role:Role prod-eks-detection-shipper',
    'aws:iam/rolePolicy:RolePolicy prod-eks-detection-shipper',
  ]);
  // The association waits for its role's policy too: pods that start with credentials also start with their permissions.
  expect(dependenciesOf(plan, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', 'prod-eks-detection-k8saudit'))
    .toContain('aws:iam/rolePolicy:RolePolicy prod-eks-detection-k8saudit');
});

test('the control-plane log group exists first, with retention and KMS, and the cluster enables api, audit, authenticator', () => {
  const logGroup = resource(plan, 'aws:cloudwatch/logGroup:LogGroup', 'prod-eks-audit-control-plane');
  expect(logGroup.inputs).toMatchObject({
    name: '/aws/eks/prod-eks/cluster', retentionInDays: 365, kmsKeyId: 'arn:aws:mock::123456789012:kms/key/prod-eks-audit-key',
  });
  const cluster = resource(plan, 'aws:eks/cluster:Cluster', 'prod-eks');
  expect(cluster.inputs.enabledClusterLogTypes).toEqual(['api', 'audit', 'authenticator']);
  expect(dependenciesOf(plan, 'aws:eks/cluster:Cluster', 'prod-eks')).toEqual([
    'aws:cloudwatch/logGroup:LogGroup prod-eks-audit-control-plane', 'aws:iam/role:Role prod-eks-cluster',
  ]);
});

test('the shipper role trusts only EKS Pod Identity of this account and cluster, and may only put objects under its prefix', () => {
  const role = resource(plan, 'aws:iam/role:Role', 'prod-eks-detection-shipper');
  expect(policyDocument(role, 'assumeRolePolicy').Statement).toEqual([{
    Sid: 'EksPodIdentity',
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnEquals: { 'aws:SourceArn': 'arn:aws:mock::123456789012:eks/cluster/prod-eks' },
    },
  }]);
  const policy = policyDocument(resource(plan, 'aws:iam/rolePolicy:RolePolicy', 'prod-eks-detection-shipper'));
  expect(policy.Statement[0]).toEqual({ Sid: 'PutAlerts', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/detections/prod-eks/*` });
  expect(policy.Statement[1]).toMatchObject({ Action: 'kms:GenerateDataKey', Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } });
  expect(resource(plan, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', 'prod-eks-detection-shipper').inputs).toMatchObject({
    clusterName: 'prod-eks', namespace: 'falco', serviceAccount: 'alert-shipper',
  });
});

test('the chart objects are deployed by @pulumi/kubernetes and the routing secret value never appears', () => {
  expect(ofType(plan, 'kubernetes:apps/v1:DaemonSet').map((r) => r.name)).toContain('prod-eks-detection-k8s-falco/falco');
  const secret = resource(plan, 'kubernetes:core/v1:Secret', 'prod-eks-detection-k8s-routing-slack');
  // The whole stringData travels as one secret: no key or value shows.
  expect(secret.inputs.stringData).toBe('[secret]');
  expect(JSON.stringify(plan)).not.toContain('hooks.slack.invalid');
});

test('the Pod Identity association names a ServiceAccount the chart really synthesizes, which needs no role annotation', () => {
  const sa = resource(plan, 'kubernetes:core/v1:ServiceAccount', 'prod-eks-detection-k8s-falco/alert-shipper');
  expect((sa.inputs.metadata as { annotations?: Record<string, string> }).annotations?.['eks.amazonaws.com/role-arn']).toBeUndefined();
});

test('k8saudit-eks: its ServiceAccount is in the chart and its Pod Identity role may only read the control-plane log group', () => {
  resource(plan, 'kubernetes:apps/v1:Deployment', 'prod-eks-detection-k8s-falco/falco-k8saudit');
  resource(plan, 'kubernetes:core/v1:ServiceAccount', 'prod-eks-detection-k8s-falco/falco-k8saudit');
  expect(resource(plan, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', 'prod-eks-detection-k8saudit').inputs).toMatchObject({
    clusterName: 'prod-eks', namespace: 'falco', serviceAccount: 'falco-k8saudit',
  });
  expect(policyDocument(resource(plan, 'aws:iam/rolePolicy:RolePolicy', 'prod-eks-detection-k8saudit')).Statement).toEqual([{
    Sid: 'ReadControlPlaneAuditLogs',
    Effect: 'Allow',
    Action: ['logs:Describe*', 'logs:FilterLogEvents', 'logs:Get*', 'logs:List*'],
    Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/prod-eks/cluster:*',
  }]);
});

test('plan snapshot (cloud resources in full, Kubernetes objects by type and name)', () => {
  expect(cloudSnapshot(plan)).toMatchSnapshot();
});
