import * as path from 'path';
import { dependenciesOf, ofType, policyDocument, resource, urnOf } from './plan-helpers';
import { DetectionStackError } from '../../lib/core/errors';
import { OfflinePlan, planProgram } from '../../lib/pulumi/offline-plan';
import type { DetectionStackProps } from '../../lib/stack/props';

// GIVEN a stack whose Falcosidekick has the awsCloudWatchLogs and awsS3 outputs and no IRSA role (sidekick.aws: {})
// WHEN its Pulumi program runs under Pulumi's mocks THEN the log group exists before anything writes to it, and
// Falcosidekick's Pod Identity role may do exactly what its outputs call, on their targets only.
// Falcosidekick 2.34.1 outputs/aws.go (PutCloudWatchLog): no log group is ever created; without
// aws.cloudwatchlogs.logstream it calls CreateLogStream('falcosidekick-logstream') and reuses it when it exists, then
// PutLogEvents; a configured stream is only written to. UploadS3: PutObject of `<prefix>/<date>/<time>.json` with the
// canned ACL of aws.s3.objectcannedacl (config.go default 'bucket-owner-full-control'), which S3 authorizes as
// s3:PutObjectAcl too (Amazon S3 API Reference, PutObject, x-amz-acl).
const FIXTURE = path.join(__dirname, 'fixtures', 'sidekick-eks');
const GROUP_ARN = 'arn:aws:logs:eu-west-1:123456789012:log-group:/falco/alerts';

describe('Falcosidekick\'s CloudWatch Logs group and Pod Identity role, default stream', () => {
  let plan: OfflinePlan;
  beforeAll(async () => {
    plan = await planProgram(FIXTURE);
  }, 120_000);

  test('the group is created with the output\'s retention and the stack\'s KMS key, and kept on destroy', () => {
    const group = resource(plan, 'aws:cloudwatch/logGroup:LogGroup', 'sk-sidekick');
    expect(group.inputs).toEqual({ name: '/falco/alerts', retentionInDays: 731, kmsKeyId: 'arn:aws:mock::123456789012:kms/key/sk-key', tags: {} });
    expect(group.retainOnDelete).toBe(true);
    expect(ofType(plan, 'aws:cloudwatch/logStream:LogStream')).toEqual([]);
  });

  test('the key lets CloudWatch Logs encrypt that group', () => {
    const key = policyDocument(resource(plan, 'aws:kms/key:Key', 'sk-key'));
    const logs = key.Statement.find((s) => s.Sid === 'CloudWatchLogsEncrypts')!;
    expect(logs.Condition).toEqual({
      ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/prod-eks/cluster', GROUP_ARN] },
    });
  });

  test('the role may create and write the default stream and put objects under the S3 prefix, nothing else', () => {
    const policy = resource(plan, 'aws:iam/rolePolicy:RolePolicy', 'sk-sidekick');
    expect(policy.inputs.role).toBe('sk-sidekick-id');
    expect(policyDocument(policy).Statement).toEqual([
      { Sid: 'PutAlertEvents', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${GROUP_ARN}:log-stream:falcosidekick-logstream` },
      { Sid: 'PutAlertObjects', Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: 'arn:aws:s3:::security-lake-raw/falco/*' },
    ]);
    expect(dependenciesOf(plan, 'aws:iam/rolePolicy:RolePolicy', 'sk-sidekick')).toEqual(['aws:cloudwatch/logGroup:LogGroup sk-sidekick', 'aws:iam/role:Role sk-sidekick']);
  });

  test('the association binds the role to Falcosidekick\'s ServiceAccount in the routing namespace, after the agent and its policy', () => {
    const assoc = resource(plan, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', 'sk-sidekick');
    expect(assoc.inputs).toMatchObject({ namespace: 'falco-routing', serviceAccount: 'falcosidekick', roleArn: 'arn:aws:mock::123456789012:iam/role/sk-sidekick' });
    expect(dependenciesOf(plan, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', 'sk-sidekick')).toEqual(['aws:eks/addon:Addon sk-pod-identity-agent', 'aws:iam/role:Role sk-sidekick', 'aws:iam/rolePolicy:RolePolicy sk-sidekick']);
  });

  test('the Falcosidekick Deployment waits for its association (pods start with credentials)', () => {
    const [deployment] = ofType(plan, 'kubernetes:apps/v1:Deployment').filter((d) => (d.inputs.metadata as { name: string }).name === 'falcosidekick');
    expect(deployment).toBeDefined();
    const group = plan.resources.find((r) => r.urn === deployment.parent || r.name === deployment.parent);
    const waits = [...(deployment.dependsOn ?? []), ...(group?.dependsOn ?? [])];
    expect(waits).toContain(urnOf(plan, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', 'sk-sidekick'));
  });
});

describe('Falcosidekick\'s configured log stream', () => {
  let plan: OfflinePlan;
  beforeAll(async () => {
    plan = await planProgram(`${FIXTURE}-stream`);
  }, 120_000);

  test('the stream is created in the group (Falcosidekick would not), kept on destroy, and only written to', () => {
    const stream = resource(plan, 'aws:cloudwatch/logStream:LogStream', 'sk-sidekick');
    expect(stream.inputs).toEqual({ name: 'falco-alerts', logGroupName: '/falco/alerts' });
    expect(stream.retainOnDelete).toBe(true);
    expect(policyDocument(resource(plan, 'aws:iam/rolePolicy:RolePolicy', 'sk-sidekick')).Statement[0])
      .toEqual({ Sid: 'PutAlertEvents', Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: `${GROUP_ARN}:log-stream:falco-alerts` });
    expect(dependenciesOf(plan, 'aws:iam/rolePolicy:RolePolicy', 'sk-sidekick'))
      .toEqual(['aws:cloudwatch/logGroup:LogGroup sk-sidekick', 'aws:cloudwatch/logStream:LogStream sk-sidekick', 'aws:iam/role:Role sk-sidekick']);
  });
});

describe('what the component refuses (DS-PULUMI-047, DS-PULUMI-049) and the plan refuses (DS-ROUTE-015)', () => {
  const stack = (cloudWatchLogs: Record<string, unknown>, aws: Record<string, unknown> = {}, analytics = false): DetectionStackProps => ({
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    durable: { bucket: { name: 'sk-alerts', aws: { podIdentity: true } }, ...(analytics ? { analytics: { cloudWatchLogs: { logGroupName: '/falco/alerts' } } } : {}) },
    routing: { sidekick: { aws, outputs: { awsCloudWatchLogs: { logGroup: '/falco/alerts', ...cloudWatchLogs } } } },
  } as DetectionStackProps);
  const refusal = (props: DetectionStackProps): DetectionStackError => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EksCloudAudit } = require('../../lib/pulumi/aws') as typeof import('../../lib/pulumi/aws');
    try {
      new EksCloudAudit('sk', { stack: props });
    } catch (e) {
      return e as DetectionStackError;
    }
    throw new Error('expected a refusal');
  };

  test('an output for another region than the stack\'s', () => {
    const e = refusal(stack({}, { region: 'us-east-1' }));
    expect([e.code, e.where]).toEqual(['DS-PULUMI-047', 'sk/routing.sidekick.outputs.awsCloudWatchLogs']);
    expect(e.message).toContain('us-east-1');
  });

  test('a group the stack already creates for the shipper', () => {
    const e = refusal(stack({}, {}, true));
    expect([e.code, e.where]).toEqual(['DS-PULUMI-049', 'sk/routing.sidekick.outputs.awsCloudWatchLogs.logGroup']);
  });

  test.each([
    [{ logGroup: 'alerts:falco' }, 'logGroup'],
    [{ logStream: 'a*b' }, 'logStream'],
    [{ retentionDays: 100 }, 'retentionDays'],
  ])('%j is refused at its prop path', (bad, key) => {
    const e = refusal(stack(bad));
    expect(e.code).toBe('DS-ROUTE-015');
    expect(e.where).toMatch(new RegExp(`routing\\.sidekick\\.outputs\\.awsCloudWatchLogs\\.${key}$`));
  });
});
