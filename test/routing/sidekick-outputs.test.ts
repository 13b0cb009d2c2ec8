import { planContext } from './helpers';
import type { PlanContext } from '../../lib/core/context';
import type { SidekickProps } from '../../lib/routing/props';
import { planSidekick, sidekickEnvName, SidekickPlan } from '../../lib/routing/sidekick-plan';

const ctx = planContext();
const plan = (props: SidekickProps): SidekickPlan => planSidekick(props, ctx, 'Critical', undefined, 'test/routing.sidekick');
const ref = (name: string, key = 'value') => ({ name, key });

describe('Falcosidekick outputs: each renders its own keys, each with its own minimumpriority', () => {
  test('viper env names: dots become underscores, upper case', () => {
    expect(sidekickEnvName('slack.webhookurl')).toBe('SLACK_WEBHOOKURL');
    expect(sidekickEnvName('aws.s3.bucket')).toBe('AWS_S3_BUCKET');
  });

  test('the base config: port, cluster custom field, nothing else without outputs', () => {
    const p = plan({});
    expect(p.config).toEqual({ listenport: 2801, debug: false, customfields: { cluster: 'prod-eks' } });
    expect(p.secretEnv).toEqual([]);
    expect(p.outputs).toEqual([]);
    expect(p.workload.replicas).toBe(2);
    expect(p.url).toBe('http://falcosidekick.falco.svc.cluster.local:2801/');
  });

  test('webhook with a literal in-cluster http:// address: no checkcert, there is no certificate to check', () => {
    const p = plan({ outputs: { webhook: { address: 'http://event-router.security.svc.cluster.local/falco', minimumPriority: 'Notice' } } });
    expect(p.config.webhook).toEqual({ address: 'http://event-router.security.svc.cluster.local/falco', method: 'POST', minimumpriority: 'notice' });
    expect(p.egress).toEqual([{ kind: 'namespace', namespace: 'security' }]);
  });

  test('checkcert is written for the https:// outputs only (webhook, loki, elasticsearch)', () => {
    const p = plan({
      outputs: {
        webhook: { address: 'https://events.example.com/falco' },
        loki: { hostPort: 'http://loki.monitoring.svc:3100' },
        elasticsearch: { hostPort: 'https://es.example.com:9200' },
      },
    });
    const checkcert = (s: unknown) => (s as { checkcert?: boolean }).checkcert;
    expect([p.config.webhook, p.config.loki, p.config.elasticsearch].map(checkcert)).toEqual([true, undefined, true]);
  });

  test('webhook with its address and headers in a Secret', () => {
    const p = plan({ outputs: { webhook: { address: ref('siem', 'url'), customHeaders: ref('siem', 'headers'), method: 'PUT' } } });
    expect(p.config.webhook).toEqual({ method: 'PUT', checkcert: true, minimumpriority: 'debug' });
    expect(p.secretEnv.map((e) => [e.env, e.secret])).toEqual([
      ['WEBHOOK_ADDRESS', { name: 'siem', key: 'url' }],
      ['WEBHOOK_CUSTOMHEADERS', { name: 'siem', key: 'headers' }],
    ]);
    expect(p.egress).toEqual([{ kind: 'external', port: 443, protocol: 'TCP' }]);
  });

  test('slack: webhook URL only from a Secret, default minimum priority is the chat threshold', () => {
    const p = plan({ outputs: { slack: { webhookUrl: ref('chat', 'slack'), channel: '#sec' } } });
    expect(p.config.slack).toEqual({ channel: '#sec', outputformat: 'all', minimumpriority: 'critical' });
    expect(p.secretEnv.map((e) => [e.env, e.secret])).toEqual([['SLACK_WEBHOOKURL', { name: 'chat', key: 'slack' }]]);
    expect(p.chatDestinations).toEqual([{ where: 'test/routing.sidekick.outputs.slack', kind: 'slack', minimumPriority: 'Critical', allowedBelowThresholdBecause: undefined }]);
  });

  test('teams', () => {
    const p = plan({ outputs: { teams: { webhookUrl: ref('chat', 'teams'), outputFormat: 'facts', minimumPriority: 'Alert' } } });
    expect(p.config.teams).toEqual({ outputformat: 'facts', minimumpriority: 'alert' });
    expect(p.secretEnv.map((e) => e.env)).toEqual(['TEAMS_WEBHOOKURL']);
    expect(p.chatDestinations[0]).toMatchObject({ kind: 'teams', minimumPriority: 'Alert' });
  });

  test('smtp: TLS on, recipients joined, password from a Secret', () => {
    const p = plan({
      outputs: {
        smtp: { hostPort: 'smtp.example.com:587', from: 'falco@example.com', to: ['a@example.com', 'b@example.com'], user: 'falco', password: ref('smtp', 'password'), minimumPriority: 'Error' },
      },
    });
    expect(p.config.smtp).toEqual({
      hostport: 'smtp.example.com:587',
      tls: true,
      from: 'falco@example.com',
      to: 'a@example.com,b@example.com',
      authmechanism: 'plain',
      user: 'falco',
      outputformat: 'html',
      minimumpriority: 'error',
    });
    expect(p.secretEnv.map((e) => e.env)).toEqual(['SMTP_PASSWORD']);
    expect(p.egress).toEqual([{ kind: 'external', port: 587, protocol: 'TCP' }]);
  });

  test('loki', () => {
    const p = plan({ outputs: { loki: { hostPort: 'https://logs.example.com', user: '1234', apiKey: ref('loki', 'key'), tenant: 'sec', extraLabels: ['k8s_ns_name'], minimumPriority: 'Informational' } } });
    expect(p.config.loki).toEqual({ hostport: 'https://logs.example.com', user: '1234', tenant: 'sec', format: 'json', extralabels: 'k8s_ns_name', checkcert: true, minimumpriority: 'informational' });
    expect(p.secretEnv.map((e) => e.env)).toEqual(['LOKI_APIKEY']);
  });

  test('elasticsearch', () => {
    const p = plan({ outputs: { elasticsearch: { hostPort: 'https://es.example.com:9200', username: 'falco', password: ref('es', 'password'), index: 'alerts', suffix: 'monthly' } } });
    expect(p.config.elasticsearch).toEqual({ hostport: 'https://es.example.com:9200', index: 'alerts', suffix: 'monthly', username: 'falco', checkcert: true, minimumpriority: 'debug' });
    expect(p.secretEnv.map((e) => e.env)).toEqual(['ELASTICSEARCH_PASSWORD']);
    expect(p.egress).toEqual([{ kind: 'external', port: 9200, protocol: 'TCP' }]);
  });

  test('aws s3 and cloudwatch logs with IRSA', () => {
    const p = plan({
      aws: { roleArn: 'arn:aws:iam::111122223333:role/sidekick' },
      outputs: { awsS3: { bucket: 'siem-drop', minimumPriority: 'Warning' }, awsCloudWatchLogs: { logGroup: '/falco/alerts', minimumPriority: 'Notice' } },
    });
    expect(p.config.aws).toEqual({
      region: 'eu-west-1',
      s3: { bucket: 'siem-drop', prefix: 'falco', minimumpriority: 'warning' },
      cloudwatchlogs: { loggroup: '/falco/alerts', minimumpriority: 'notice' },
    });
    expect(p.workload.serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/sidekick' });
    expect(p.secretEnv).toEqual([]);
  });

  test('aws with EKS Pod Identity opens the agent address only', () => {
    const p = plan({ aws: {}, outputs: { awsS3: { bucket: 'siem-drop' } } });
    expect(p.egress).toEqual([
      { kind: 'external', port: 443, protocol: 'TCP' },
      { kind: 'cidr', cidr: '169.254.170.23/32', port: 80, protocol: 'TCP' },
      { kind: 'cidr', cidr: 'fd00:ec2::23/128', port: 80, protocol: 'TCP' },
    ]);
  });

  test('azure event hubs with workload identity', () => {
    const p = plan({ azure: { workloadIdentityClientId: '00000000-0000-0000-0000-000000000001' }, outputs: { azureEventHubs: { namespace: 'sec-ns', name: 'falco', minimumPriority: 'Error' } } });
    expect(p.config.azure).toEqual({ eventHub: { namespace: 'sec-ns', name: 'falco', minimumpriority: 'error' } });
    expect(p.workload.serviceAccount.annotations).toEqual({ 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000001' });
    expect(p.workload.labels['azure.workload.identity/use']).toBe('true');
  });

  test('kafka: TLS on, all in-sync replicas acknowledge, SASL password from a Secret', () => {
    const p = plan({ outputs: { kafka: { brokers: ['b1.example.com:9093', 'b2.example.com:9093'], topic: 'falco', sasl: 'SCRAM_SHA512', username: 'falco', password: ref('kafka', 'password') } } });
    expect(p.config.kafka).toEqual({
      hostport: 'b1.example.com:9093,b2.example.com:9093',
      topic: 'falco',
      tls: true,
      sasl: 'SCRAM_SHA512',
      username: 'falco',
      requiredacks: 'ALL',
      compression: 'NONE',
      minimumpriority: 'debug',
    });
    expect(p.secretEnv.map((e) => e.env)).toEqual(['KAFKA_PASSWORD']);
  });

  test('alertmanager (external)', () => {
    const p = plan({ outputs: { alertmanager: { hostPorts: ['https://am-0.example.com', 'https://am-1.example.com'], minimumPriority: 'Warning' } } });
    expect(p.config.alertmanager).toEqual({
      hostport: 'https://am-0.example.com,https://am-1.example.com', endpoint: '/api/v2/alerts', checkcert: true, minimumpriority: 'warning',
    });
  });

  test('pagerduty and opsgenie: keys from Secrets', () => {
    const p = plan({ outputs: { pagerduty: { routingKey: ref('pd', 'key'), region: 'eu', minimumPriority: 'Critical' }, opsgenie: { apiKey: ref('og', 'key'), minimumPriority: 'Error' } } });
    expect(p.config.pagerduty).toEqual({ region: 'eu', minimumpriority: 'critical' });
    expect(p.config.opsgenie).toEqual({ region: 'us', minimumpriority: 'error' });
    expect(p.secretEnv.map((e) => e.env)).toEqual(['PAGERDUTY_ROUTINGKEY', 'OPSGENIE_APIKEY']);
  });

  test('syslog to an in-cluster collector', () => {
    const p = plan({ outputs: { syslog: { host: 'syslog.logging.svc.cluster.local', port: 514, protocol: 'udp', format: 'cef', minimumPriority: 'Notice' } } });
    expect(p.config.syslog).toEqual({ host: 'syslog.logging.svc.cluster.local', port: '514', protocol: 'udp', format: 'cef', minimumpriority: 'notice' });
    expect(p.egress).toEqual([{ kind: 'namespace', namespace: 'logging' }]);
  });
});

describe('Falcosidekick: bad input is rejected with the place and the fix', () => {
  test('plain http to an outside host needs a named opt-out', () => {
    expect(() => plan({ outputs: { webhook: { address: 'http://hooks.example.com/x' } } }))
      .toThrow(/^DS-ROUTE-013 at test\/routing\.sidekick\.outputs\.webhook\.address: .*clear text/);
    const p = plan({ outputs: { webhook: { address: 'http://hooks.example.com/x', allowInsecureHttp: { reason: 'legacy receiver on a private link' } } } });
    expect(p.config.webhook).toMatchObject({ address: 'http://hooks.example.com/x' });
  });

  test('an opt-out without a reason is refused', () => {
    expect(() => plan({ outputs: { webhook: { address: 'http://hooks.example.com/x', allowInsecureHttp: { reason: '' } } } })).toThrow(/DS-ROUTE-004/);
  });

  test('the alertmanager output beside the team routing\'s Alertmanager is refused (DS-ROUTE-025)', () => {
    const withTeams = () => planSidekick({ outputs: { alertmanager: { hostPorts: ['https://am.example.com'] } } }, ctx, 'Critical',
      { urls: ['http://alertmanager.falco.svc:9093'], port: 9093, minimumPriority: 'Warning', extraLabels: {} }, 'test/routing.sidekick');
    expect(withTeams).toThrow(/^DS-ROUTE-025 at test\/routing\.sidekick\.outputs\.alertmanager: the team routing already feeds an Alertmanager/);
  });

  test('credentials in a URL are refused', () => {
    expect(() => plan({ outputs: { loki: { hostPort: 'https://user:pw@logs.example.com' } } })).toThrow(/^DS-ROUTE-020 at test\/routing\.sidekick\.outputs\.loki\.hostPort: /);
  });

  test('a bad Secret reference is refused', () => {
    expect(() => plan({ outputs: { slack: { webhookUrl: { name: 'Bad_Name', key: 'url' } } } })).toThrow(/DS-ROUTE-002 at test\/routing\.sidekick\.outputs\.slack\.webhookUrl/);
  });

  test('syslog outside the cluster is clear text and needs an opt-out', () => {
    expect(() => plan({ outputs: { syslog: { host: 'syslog.example.com', port: 514 } } })).toThrow(/DS-ROUTE-013/);
  });

  test('fewer than 2 replicas is refused', () => {
    expect(() => plan({ replicas: 1 })).toThrow(/DS-ROUTE-007 at test\/routing\.sidekick\.replicas/);
  });

  test('aws outputs need an identity, event hubs needs a workload identity', () => {
    expect(() => plan({ outputs: { awsS3: { bucket: 'x-bucket' } } })).toThrow(/DS-ROUTE-010 .*no AWS identity/);
    expect(() => plan({ outputs: { azureEventHubs: { namespace: 'n', name: 'h' } } })).toThrow(/DS-ROUTE-010 .*no Azure identity/);
  });

  test('aws outputs need a region: from sidekick.aws.region, else the cluster\'s, else DS-ROUTE-028', () => {
    const noRegion: PlanContext = { ...ctx, cluster: { ...ctx.cluster, region: undefined } };
    const planned = (aws: SidekickProps['aws'], c = noRegion) => planSidekick({ aws, outputs: { awsS3: { bucket: 'x-bucket' } } }, c, 'Critical', undefined, 'test/routing.sidekick');
    expect(() => planned({})).toThrow(/^DS-ROUTE-028 at test\/routing\.sidekick\.aws\.region: the AWS outputs have no region\. Fix: set cluster\.region or sidekick\.aws\.region/);
    expect(planned({ region: 'eu-central-1' }).config.aws).toMatchObject({ region: 'eu-central-1' });
    expect(planned({}, ctx).config.aws).toMatchObject({ region: 'eu-west-1' });
  });

  test('an unknown priority is refused', () => {
    expect(() => plan({ outputs: { pagerduty: { routingKey: ref('pd'), minimumPriority: 'critical' as never } } })).toThrow(/DS-ROUTE-001 .*unknown priority 'critical'/);
  });
});
