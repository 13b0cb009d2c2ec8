// Tetragon on EKS: the seed detections, in monitor mode, for the product namespaces billing, checkout and identity.
// Tetragon writes JSON events to /var/log/tetragon/tetragon.log on each node (plan.tetragon.exportHostPath); the
// shipper carries every event to the durable bucket, turns each policy event into an alert shaped like Falco's
// (rule, priority, owner, investigation fields) and posts it to the bundled Alertmanager, which notifies the team
// owning the namespace. Credentials are referenced by Secret name and key only: create the Secrets first.
import { App } from 'cdk8s';
import { DetectionStack, DetectionStackProps, synthApp } from '../../lib';

export const PRODUCT_NAMESPACES = ['billing', 'checkout', 'identity'];

/** The example's definition. */
export const EKS_TETRAGON: DetectionStackProps = {
  cluster: { name: 'prod-us', provider: 'eks', region: 'us-east-1' },
  namespace: 'tetragon',
  sensors: {
    tetragon: {
      productNamespaces: PRODUCT_NAMESPACES,
      owner: 'platform-security',
    },
  },
  routing: {
    teams: [
      { name: 'payments', namespaces: ['billing', 'checkout'], receivers: { pagerDuty: [{ routingKey: { name: 'payments-pagerduty', key: 'routing-key' }, minimumPriority: 'Warning' }] } },
      { name: 'identity', namespaces: ['identity'], receivers: { email: [{ to: ['identity-oncall@example.com'], from: 'detections@example.com', smarthost: 'smtp.example.com:587', minimumPriority: 'Warning' }] } },
    ],
  },
  // Every Tetragon event lands in S3 through the shipper; IRSA gives the shipper write access.
  durable: {
    bucket: {
      name: 'detections-prod-us',
      aws: { roleArn: 'arn:aws:iam::111122223333:role/detection-stack-shipper' },
    },
  },
};

/** The example stack, in any cdk8s App (the tests synthesize it in memory). */
export function eksTetragonStack(app: App): DetectionStack {
  return new DetectionStack(app, 'eks-tetragon', EKS_TETRAGON);
}

// `cdk8s synth` runs this file; importing it (tests) only defines the stack.
if (require.main === module) synthApp((app) => eksTetragonStack(app));
