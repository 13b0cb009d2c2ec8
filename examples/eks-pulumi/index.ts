// EKS: the cloud side (KMS, durable bucket, CloudTrail, control-plane log group), the cluster with
// audit logging wired to that log group, and the in-cluster stack from the same definition.
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { DetectionStackProps } from 'detection-stack';
import { EksCloudAudit, EksDetectionStack } from 'detection-stack/pulumi/aws';

const config = new pulumi.Config();
const clusterName = 'prod-eks';

/** One definition: the same object a cdk8s app would pass to `new DetectionStack(...)`. */
export const stack: DetectionStackProps = {
  cluster: { name: clusterName, provider: 'eks', region: 'eu-west-1' },
  sensors: { falco: {} },
  routing: {
    teams: [{
      name: 'payments',
      namespaces: ['payments'],
      receivers: { slack: [{ webhookUrl: { name: 'routing-slack', key: 'webhook-url' }, minimumPriority: 'Critical' }] },
    }],
  },
  durable: { bucket: { name: 'prod-eks-detection-alerts', aws: { podIdentity: true } } },
  // Falco's k8saudit-eks reads the control-plane audit log group (its role comes from Pod Identity).
  audit: { kubernetes: { falcoPlugin: {} } },
};

// Created before the cluster: EKS must find its log group (retention, KMS) already there.
// Opt-in: the trail also goes to CloudWatch Logs, with the CIS metric filters and their alarms.
const cloudAudit = new EksCloudAudit('prod-eks-audit', {
  stack,
  trailCloudWatchLogs: { retentionDays: 365, alarmTopicArn: config.get('alarmTopicArn') },
});

const clusterRole = new aws.iam.Role('prod-eks-cluster', {
  assumeRolePolicy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  }),
});
new aws.iam.RolePolicyAttachment('prod-eks-cluster', { role: clusterRole.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });

const cluster = new aws.eks.Cluster(clusterName, {
  name: clusterName,
  roleArn: clusterRole.arn,
  vpcConfig: { subnetIds: config.requireObject<string[]>('subnetIds'), endpointPublicAccess: false, endpointPrivateAccess: true },
  accessConfig: { authenticationMode: 'API' },
  enabledClusterLogTypes: cloudAudit.enabledClusterLogTypes,
}, { dependsOn: cloudAudit.controlPlaneLogGroup ? [cloudAudit.controlPlaneLogGroup] : [] });

const kubeconfig = pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([name, endpoint, ca]) => JSON.stringify({
  'apiVersion': 'v1',
  'kind': 'Config',
  'clusters': [{ name, cluster: { 'server': endpoint, 'certificate-authority-data': ca.data } }],
  'contexts': [{ name, context: { cluster: name, user: name } }],
  'current-context': name,
  'users': [{ name, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', name] } } }],
}));
const provider = new k8s.Provider(clusterName, { kubeconfig });

const detection = new EksDetectionStack('prod-eks-detection', {
  cloudAudit,
  cluster,
  kubernetesProvider: provider,
  secrets: [{ name: 'routing-slack', data: { 'webhook-url': config.requireSecret('slackWebhookUrl') } }],
});

export const bucketName = cloudAudit.bucketName;
export const shipperRoleArn = detection.shipperRole.arn;
