// AKS: storage account with an immutable alerts container, the subscription Activity Log and the
// cluster's kube-audit sent to it, workload identity for the shipper, and the in-cluster stack.
import * as pulumi from '@pulumi/pulumi';
import type { DetectionStackProps } from '../../lib';
import { AksDetectionStack } from '../../lib/pulumi/azure';

const config = new pulumi.Config();

export const stack: DetectionStackProps = {
  cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
  sensors: { falco: {} },
  routing: {
    teams: [{
      name: 'payments',
      namespaces: ['payments'],
      receivers: { slack: [{ webhookUrl: { name: 'routing-slack', key: 'webhook-url' }, minimumPriority: 'Critical' }] },
    }],
  },
  durable: {
    bucket: {
      name: 'alerts',
      azure: { storageAccount: 'prodaksdetection', sasToken: { name: 'alert-shipper-blob', key: 'sas-token' } },
    },
  },
  // Falco's k8saudit-aks reads kube-audit from an Event Hub the component creates and wires.
  audit: { kubernetes: { falcoPlugin: {} } },
};

const detection = new AksDetectionStack('prod-aks-detection', {
  stack,
  resourceGroupName: config.require('resourceGroupName'),
  cluster: { id: config.require('clusterId'), oidcIssuerUrl: config.require('oidcIssuerUrl') },
  storageAccountName: 'prodaksdetection',
  containerName: 'alerts',
  secrets: [
    { name: 'routing-slack', data: { 'webhook-url': config.requireSecret('slackWebhookUrl') } },
    // Fluent Bit's azure_blob output takes a SAS token, not workload identity: a container-scoped create/write SAS.
    { name: 'alert-shipper-blob', data: { 'sas-token': config.requireSecret('alertsSasToken') } },
  ],
});

export const storageAccountName = detection.account.name;
export const shipperClientId = detection.identity.clientId;
