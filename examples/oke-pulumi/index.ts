// OKE: OCI Audit retention, a private KMS-encrypted bucket with a retention rule, a Service Connector
// copying _Audit into it, the shipper's customer secret key, and the in-cluster stack.
import * as oci from '@pulumi/oci';
import * as pulumi from '@pulumi/pulumi';
import type { DetectionStackProps } from 'detection-stack';
import { OkeDetectionStack } from 'detection-stack/pulumi/oci';

const config = new pulumi.Config();

export const stack: DetectionStackProps = {
  cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
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
      name: 'prod-oke-detection-alerts',
      oci: {
        objectStorageNamespace: 'mocknamespace',
        accessKeyId: { name: 'alert-shipper-s3', key: 'access-key-id' },
        secretAccessKey: { name: 'alert-shipper-s3', key: 'secret-access-key' },
      },
    },
  },
};

// IAM (the shipper's user, group, policies and key) is created in the tenancy's home region only.
const homeRegion = config.require('homeRegion');
const homeRegionProvider = new oci.Provider('home-region', { region: homeRegion });

const detection = new OkeDetectionStack('prod-oke-detection', {
  stack,
  homeRegion,
  homeRegionProvider,
  tenancyId: config.require('tenancyId'),
  compartmentId: config.require('compartmentId'),
  bucketName: 'prod-oke-detection-alerts',
  // Kept 365 days under the locked retention rule, deleted by lifecycle policy after two years.
  expireAfterDays: 730,
  secrets: [{ name: 'routing-slack', data: { 'webhook-url': config.requireSecret('slackWebhookUrl') } }],
});

export const bucketName = detection.bucketName;
