// AKS: storage account with immutable (locked) containers for alerts, the subscription Activity Log and the
// cluster's kube-audit, lifecycle management, and the in-cluster stack.
import * as pulumi from '@pulumi/pulumi';
import type { DetectionStackProps } from 'detection-stack';
import { AksDetectionStack } from 'detection-stack/pulumi/azure';

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
  cluster: { id: config.require('clusterId') },
  // Named loosening, reported on every `pulumi up`: Fluent Bit's azure_blob output signs with a SAS or the account key only.
  allowSharedKeyAccess: true,
  storageAccountName: 'prodaksdetection',
  containerName: 'alerts',
  secrets: [
    { name: 'routing-slack', data: { 'webhook-url': config.requireSecret('slackWebhookUrl') } },
    // Fluent Bit's azure_blob output takes a SAS token, not workload identity: a container-scoped create/write SAS.
    { name: 'alert-shipper-blob', data: { 'sas-token': config.requireSecret('alertsSasToken') } },
  ],
});

export const storageAccountName = detection.account.name;
export const loosenings = detection.loosenings;
