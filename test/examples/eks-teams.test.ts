import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { schemaErrors } from '../helpers/k8s-schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type K8sObject = any;

describe('examples/eks-teams (team-aware routing on EKS)', () => {
  const chart = eksTeamsStack(Testing.app());
  const objects: K8sObject[] = Testing.synth(chart);
  const find = (kind: string, name: string): K8sObject => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const amConfig = parse(find('Secret', 'alertmanager-config').stringData['alertmanager.yml']);
  const sidekickConfig = parse(find('ConfigMap', 'falcosidekick-config').data['config.yaml']);

  test('snapshot of the synthesized manifests', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object validates against the upstream Kubernetes schemas', () => {
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('no guardrail error; the identity team\'s Warning in Teams is an explicit, named allowance', () => {
    expect(chart.checks.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(chart.plan.routing?.chatDestinations).toEqual([
      { where: 'eks-teams/routing.teams[0].receivers.slack[0]', kind: 'slack', minimumPriority: 'Critical', allowedBelowThresholdBecause: undefined },
      {
        where: 'eks-teams/routing.teams[1].receivers.msTeams[0]',
        kind: 'teams',
        minimumPriority: 'Warning',
        allowedBelowThresholdBecause: expect.stringMatching(/low-traffic Teams channel/),
      },
    ]);
  });

  test('payments (billing, checkout) get Critical and above in Slack; identity gets Warning and above in Teams', () => {
    expect(amConfig.route.routes).toEqual([
      {
        receiver: 'no-notification',
        matchers: ['k8s_ns_name=~"billing|checkout"'],
        routes: [{ receiver: 'payments-slack', matchers: ['priority=~"Emergency|Alert|Critical"'], continue: true }],
      },
      {
        receiver: 'no-notification',
        matchers: ['k8s_ns_name=~"identity"'],
        routes: [{ receiver: 'identity-msteams', matchers: ['priority=~"Emergency|Alert|Critical|Error|Warning"'], continue: true }],
      },
    ]);
    expect(amConfig.receivers).toEqual([
      { name: 'no-notification' },
      expect.objectContaining({ name: 'payments-slack', slack_configs: [expect.objectContaining({ api_url_file: '/etc/alertmanager/secrets/payments-slack/url' })] }),
      expect.objectContaining({ name: 'identity-msteams', msteamsv2_configs: [expect.objectContaining({ webhook_url_file: '/etc/alertmanager/secrets/identity-teams/url' })] }),
    ]);
    const volumes = find('StatefulSet', 'alertmanager').spec.template.spec.volumes;
    expect(volumes).toContainEqual({ name: 'secret-payments-slack', secret: { secretName: 'payments-slack', defaultMode: 0o440, items: [{ key: 'url', path: 'url' }] } });
    expect(volumes).toContainEqual({ name: 'secret-identity-teams', secret: { secretName: 'identity-teams', defaultMode: 0o440, items: [{ key: 'url', path: 'url' }] } });
  });

  test('all alerts also go to the event router over TLS, its certificate checked; Falcosidekick feeds both Alertmanager replicas from Warning up', () => {
    expect(sidekickConfig.webhook).toEqual({ address: 'https://events.security.example.com/falco', method: 'POST', checkcert: true, minimumpriority: 'debug' });
    expect(sidekickConfig.alertmanager).toEqual({
      hostport: 'http://alertmanager-0.alertmanager-cluster.falco-routing.svc.cluster.local:9093,http://alertmanager-1.alertmanager-cluster.falco-routing.svc.cluster.local:9093',
      endpoint: '/api/v2/alerts',
      checkcert: true,
      minimumpriority: 'warning',
    });
    expect(find('NetworkPolicy', 'falcosidekick').spec.egress).toContainEqual({ ports: [{ port: 443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] });
    const falcoYaml = parse(find('ConfigMap', 'falco-config').data['falco.yaml']);
    expect(falcoYaml.http_output).toMatchObject({ enabled: true, url: 'http://falcosidekick.falco-routing.svc.cluster.local:2801/' });
  });

  test('every alert reaches s3://detections-prod-eks in eu-west-1 through the shipper, with IRSA', () => {
    const conf: string = find('ConfigMap', 'alert-shipper-config').data['fluent-bit.conf'];
    expect(conf).toMatch(/^\s+bucket\s+detections-prod-eks$/m);
    expect(conf).toMatch(/^\s+region\s+eu-west-1$/m);
    expect(conf).toMatch(/^\s+Retry_Limit\s+100000$/m);
    expect(find('ServiceAccount', 'alert-shipper').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/prod-eks-alert-shipper' });
    expect(find('DaemonSet', 'alert-shipper').spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('the Secrets the cluster must hold, for the Pulumi path and the runbook', () => {
    expect(chart.plan.routing?.secrets).toEqual([
      { secret: { name: 'payments-slack', key: 'url' }, workload: 'alertmanager', namespace: 'falco-routing', where: 'eks-teams/routing.teams[0].receivers.slack[0]' },
      { secret: { name: 'identity-teams', key: 'url' }, workload: 'alertmanager', namespace: 'falco-routing', where: 'eks-teams/routing.teams[1].receivers.msTeams[0]' },
    ]);
  });
});
