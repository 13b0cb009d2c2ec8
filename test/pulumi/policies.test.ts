import fc from 'fast-check';
import {
  accessLogBucketName, accessLogBucketPolicy, AwsAccountFacts, bucketArn, durableBucketPolicy, eksLogGroupName, k8sauditEksReadPolicy,
  podIdentityTrustPolicy, s3BucketNameProblem, shipperWritePolicy,
} from '../../lib/pulumi/aws-policies';
import { containerNameProblem, immutabilityLockCommand, resourceLogContainer, storageAccountNameProblem } from '../../lib/pulumi/azure-names';
import { ociS3Endpoint, retentionLockTime, serviceConnectorWriteStatement } from '../../lib/pulumi/oci-policies';
import { AWS_REGIONS, regionProblem } from '../../lib/pulumi/regions';

const facts: AwsAccountFacts = { partition: 'aws', accountId: '123456789012', region: 'eu-west-1' };
const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$/);

describe('AWS policy documents', () => {
  test('every durable bucket policy starts with the TLS-only deny on the bucket and its objects', () => {
    fc.assert(fc.property(bucketName, fc.option(fc.constant('trail'), { nil: undefined }), (bucket, trail) => {
      const first = durableBucketPolicy(facts, bucket, trail).Statement[0];
      expect(first).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      expect(first.Resource).toEqual([bucketArn(facts, bucket), `${bucketArn(facts, bucket)}/*`]);
    }));
  });

  test('CloudTrail statements appear only with a trail, scoped to it by aws:SourceArn', () => {
    expect(durableBucketPolicy(facts, 'b', undefined).Statement).toHaveLength(1);
    const withTrail = durableBucketPolicy(facts, 'b', 'audit').Statement;
    expect(withTrail.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'CloudTrailAclCheck', 'CloudTrailWrite']);
    expect(withTrail[1].Condition).toEqual({ StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit' } });
  });

  test('the shipper may only put objects under its prefix, whatever the prefix looks like', () => {
    fc.assert(fc.property(bucketName, fc.stringMatching(/^[a-z][a-z0-9/-]{0,20}$/), (bucket, prefix) => {
      const doc = shipperWritePolicy(facts, bucket, prefix, 'arn:aws:kms:eu-west-1:123456789012:key/k');
      const actions = doc.Statement.flatMap((s) => [s.Action].flat());
      expect(actions).toEqual(['s3:PutObject', 'kms:GenerateDataKey']);
      expect(doc.Statement[0].Resource).toBe(`arn:aws:s3:::${bucket}/${prefix.replace(/\/+$/, '')}/*`);
      expect(doc.Statement.every((s) => s.Effect === 'Allow' && s.Resource !== '*')).toBe(true);
    }));
  });

  test('Pod Identity trust is limited to the account, and to the cluster when known', () => {
    expect(podIdentityTrustPolicy(facts).Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
    expect(podIdentityTrustPolicy(facts, 'arn:aws:eks:eu-west-1:123456789012:cluster/c').Statement[0].Condition)
      .toMatchObject({ ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:123456789012:cluster/c' } });
  });

  test('the access-log bucket accepts S3 logging from the durable bucket of this account only', () => {
    const s = accessLogBucketPolicy(facts, 'logs', 'alerts').Statement[1];
    expect(s).toMatchObject({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/*' });
    expect(s.Condition).toEqual({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::alerts' }, StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });

  test('k8saudit-eks reads only the cluster control-plane log group (the plugin README policy)', () => {
    expect(eksLogGroupName('prod')).toBe('/aws/eks/prod/cluster');
    expect(k8sauditEksReadPolicy(facts, 'prod').Statement[0]).toEqual({
      Sid: 'ReadControlPlaneAuditLogs',
      Effect: 'Allow',
      Action: ['logs:Describe*', 'logs:FilterLogEvents', 'logs:Get*', 'logs:List*'],
      Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/prod/cluster:*',
    });
  });

  test('S3 bucket names follow the S3 rules', () => {
    expect(s3BucketNameProblem('prod-eks-alerts')).toBeUndefined();
    for (const bad of ['ab', 'Upper', 'a..b', '192.168.1.1', '-start', 'a'.repeat(64)]) expect(s3BucketNameProblem(bad)).toBeDefined();
  });
});

describe('OCI policy statements', () => {
  test('the connector statement is scoped to service connectors of the compartment and to the bucket', () => {
    expect(serviceConnectorWriteStatement('ocid1.compartment..c', 'b')).toBe(
      "Allow any-user to manage objects in compartment id ocid1.compartment..c where all {request.principal.type='serviceconnector', " +
      "target.bucket.name='b', request.principal.compartment.id='ocid1.compartment..c'}");
  });
  test('the S3-compatible endpoint is per namespace and region', () => {
    expect(ociS3Endpoint('ns', 'eu-frankfurt-1')).toBe('https://ns.compat.objectstorage.eu-frankfurt-1.oraclecloud.com');
  });
});

describe('Azure names', () => {
  test('Azure Monitor containers, the lock command, and name rules', () => {
    expect(resourceLogContainer('kube-audit')).toBe('insights-logs-kube-audit');
    expect(immutabilityLockCommand('rg', 'acct', 'alerts', '"0x8D"')).toBe(
      "az storage container immutability-policy lock --resource-group 'rg' --account-name 'acct' --container-name 'alerts' --if-match '\"0x8D\"'");
    expect(() => immutabilityLockCommand('rg', "acct'; rm -rf /", 'alerts', 'e')).toThrow(/unexpected characters in the account/);
    expect(storageAccountNameProblem('prodaks1')).toBeUndefined();
    expect(storageAccountNameProblem('Prod-AKS')).toBeDefined();
    expect(containerNameProblem('alerts')).toBeUndefined();
    expect(containerNameProblem('a--b')).toBeDefined();
  });
});

test('the access-log bucket name derived from any valid bucket name is valid too', () => {
  fc.assert(fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/), (bucket) => {
    expect(s3BucketNameProblem(accessLogBucketName(bucket))).toBeUndefined();
  }));
});

test('an OCI retention rule locks at the first UTC midnight after the 14-day delay, plus one day', () => {
  expect(retentionLockTime(new Date('2026-12-02T05:00:00Z'))).toBe('2026-12-18T00:00:00.000Z');
  expect(retentionLockTime(new Date('2026-12-02T00:00:00Z'))).toBe('2026-12-17T00:00:00.000Z');
});

test('the AWS regions are exactly the Region enum of @pulumi/aws (the provider refuses others)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Region } = require('@pulumi/aws') as typeof import('@pulumi/aws');
  expect([...AWS_REGIONS].sort()).toEqual(Object.values(Region).sort());
  expect(regionProblem('eks', 'eu-west-1')).toBeUndefined();
  expect(regionProblem('oke', 'eu-frankfurt-1')).toBeUndefined();
  expect(regionProblem('aks', 'westeurope')).toBeUndefined();
  expect(regionProblem('aks', 'west-europe')).toBe("'west-europe' is not a AKS region (did you mean one of westcentralus, westeurope, westindia, westus, westus2, westus3?)");
});
