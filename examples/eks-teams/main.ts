// EKS with team-aware routing: Falco's alerts go to Falcosidekick, which sends every alert to the in-cluster
// event router (https) and posts to a bundled Alertmanager that notifies the team owning the alert's namespace.
// Every alert also reaches the durable S3 bucket through the Fluent Bit shipper, whatever the outputs do.
// Prometheus (prometheus-operator) scrapes every workload and alerts on the stack's own health.
// Credentials are referenced by Secret name and key only: create the Secrets first, in `falco-routing` (the
// routing namespace, where Alertmanager reads payments-slack and identity-teams).
import { App } from 'cdk8s';
import { DetectionStack, synthApp } from '../../lib';

/** The example stack, in any cdk8s App (the tests synthesize it in memory). */
export function eksTeamsStack(app: App): DetectionStack {
  return new DetectionStack(app, 'eks-teams', {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    sensors: { falco: {} },
    routing: {
      sidekick: {
        outputs: {
          // Every alert, whatever its priority, to the security team's event router, over TLS with its certificate
          // checked (checkcert). Plain http:// is accepted only to an in-cluster Service, and then no certificate is checked.
          webhook: { address: 'https://events.security.example.com/falco', minimumPriority: 'Debug' },
        },
      },
      teams: [
        {
          name: 'payments',
          namespaces: ['billing', 'checkout'],
          receivers: { slack: [{ webhookUrl: { name: 'payments-slack', key: 'url' }, minimumPriority: 'Critical' }] },
        },
        {
          name: 'identity',
          namespaces: ['identity'],
          receivers: {
            msTeams: [{
              webhookUrl: { name: 'identity-teams', key: 'url' },
              minimumPriority: 'Warning',
              // Below the stack's chat threshold (Critical): allowed by name, for review.
              allowBelowChatThreshold: {
                reason: 'the identity team triages Warning alerts in a dedicated, low-traffic Teams channel it watches during business hours',
              },
            }],
          },
        },
      ],
      alertmanager: { mode: 'bundled' },
    },
    durable: {
      bucket: {
        name: 'detections-prod-eks',
        region: 'eu-west-1',
        // IRSA: the role (write-only to the bucket) is created on the Pulumi path or by the platform team.
        aws: { roleArn: 'arn:aws:iam::111122223333:role/prod-eks-alert-shipper' },
      },
    },
    // The stack watches itself: a PodMonitor per workload for kube-prometheus-stack's Prometheus (namespace
    // `monitoring`, the only one let in to the metrics ports), its health alerts for the platform team, dashboards.
    monitoring: {
      prometheus: { namespace: 'monitoring', resourceLabels: { release: 'kube-prometheus-stack' } },
      alerts: { team: 'platform-security' },
    },
  });
}

// `cdk8s synth` runs this file; importing it (tests) only defines the stack.
if (require.main === module) synthApp((app) => eksTeamsStack(app));
