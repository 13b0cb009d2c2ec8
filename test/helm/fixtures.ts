import { packageManagerInContainer } from '../../examples/oke-falco/main';
import type { DetectionStackProps } from '../../lib';

const ref = (name: string, key: string) => ({ name, key });

/** An EKS stack with every Falcosidekick output the library plans, team routing and the durable path. */
export const EVERY_OUTPUT: DetectionStackProps = {
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  sensors: {
    falco: {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      resources: { requests: { cpu: '200m', memory: '600Mi' }, limits: { cpu: '2', memory: '2Gi' } },
      customRules: [packageManagerInContainer],
    },
  },
  routing: {
    sidekick: {
      aws: { roleArn: 'arn:aws:iam::111122223333:role/sidekick' },
      outputs: {
        webhook: { address: ref('siem', 'url'), customHeaders: ref('siem', 'headers'), method: 'PUT' },
        slack: { webhookUrl: ref('chat', 'slack'), channel: '#sec' },
        teams: { webhookUrl: ref('chat', 'teams'), outputFormat: 'facts', minimumPriority: 'Alert' },
        smtp: { hostPort: 'smtp.example.com:587', from: 'falco@example.com', to: ['a@example.com', 'b@example.com'], user: 'falco', password: ref('smtp', 'password') },
        loki: { hostPort: 'https://logs.example.com', user: '1234', apiKey: ref('loki', 'key'), tenant: 'sec', extraLabels: ['k8s_ns_name'] },
        elasticsearch: { hostPort: 'https://es.example.com:9200', username: 'falco', password: ref('es', 'password'), index: 'alerts', suffix: 'monthly' },
        awsS3: { bucket: 'siem-drop', minimumPriority: 'Warning' },
        awsCloudWatchLogs: { logGroup: '/falco/alerts', minimumPriority: 'Notice' },
        kafka: { brokers: ['b1.example.com:9093', 'b2.example.com:9093'], topic: 'falco', sasl: 'SCRAM_SHA512', username: 'falco', password: ref('kafka', 'password') },
        pagerduty: { routingKey: ref('pd', 'key'), region: 'eu', minimumPriority: 'Critical' },
        opsgenie: { apiKey: ref('og', 'key'), minimumPriority: 'Error' },
        syslog: { host: 'syslog.logging.svc.cluster.local', port: 514, protocol: 'udp', format: 'cef', minimumPriority: 'Notice' },
      },
    },
    teams: [{ name: 'payments', namespaces: ['billing'], receivers: { pagerDuty: [{ routingKey: ref('payments-pd', 'key'), minimumPriority: 'Critical' }] } }],
    alertmanager: { mode: 'bundled' },
  },
  durable: { bucket: { name: 'detections-prod-eks', aws: { roleArn: 'arn:aws:iam::111122223333:role/shipper' } } },
};

/** AKS with Event Hubs through workload identity: the subchart's own Azure values. */
export const AZURE_EVENT_HUBS: DetectionStackProps = {
  cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
  routing: {
    sidekick: {
      azure: { workloadIdentityClientId: '00000000-0000-0000-0000-000000000001' },
      outputs: { azureEventHubs: { namespace: 'sec-ns', name: 'falco', minimumPriority: 'Error' } },
    },
  },
  durable: { waived: { reason: 'alerts reach the SIEM through Event Hubs, which keeps them 90 days' } },
};
