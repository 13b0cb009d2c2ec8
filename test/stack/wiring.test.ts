import { classifyHost } from '../../lib/core/egress';
import { requireDestinationUrl, requireEmail, requireHostPort } from '../../lib/routing/validate';
import { requiredSecrets, planStack } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

const BASE: DetectionStackProps = {
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  durable: { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } } },
};

describe('the stack plan wires the layers', () => {
  test('GIVEN no routing THEN Falco has no http_output and there is no routing plan', () => {
    const plan = planStack(BASE, 'stack');
    expect(plan.routing).toBeUndefined();
    expect(plan.falco?.httpOutput).toBeUndefined();
  });

  test('GIVEN routing THEN Falco posts to the Falcosidekick Service of the routing namespace and only the Falco pods may reach it', () => {
    const plan = planStack({ ...BASE, routing: {} }, 'stack');
    expect(plan.routingNamespace).toBe('falco-routing');
    expect(plan.falco?.httpOutput).toEqual({
      url: 'http://falcosidekick.falco-routing.svc.cluster.local:2801/',
      pods: { pods: plan.routing?.sidekick.workload.selectorLabels, namespace: 'falco-routing' },
    });
    expect(plan.workloads[0].networkPolicy?.egress[1]).toEqual({
      peers: [{ pods: plan.routing?.sidekick.workload.selectorLabels, namespace: 'falco-routing' }], ports: [{ port: 2801, protocol: 'TCP' }],
    });
    expect(plan.routing?.sidekick.workload.namespace).toBe('falco-routing');
    expect(plan.routing?.sidekick.clients).toEqual([{ pods: plan.falco?.selectorLabels, namespace: 'falco' }]);
    expect(plan.routing?.sidekick.workload.networkPolicy?.ingress).toEqual([
      { peers: [{ pods: plan.falco?.selectorLabels, namespace: 'falco' }], ports: [{ port: 2801, protocol: 'TCP' }] },
    ]);
  });

  test('GIVEN the k8saudit Falco THEN it may reach only Falcosidekick\'s pods in the routing namespace', () => {
    const plan = planStack({ ...BASE, routing: {}, audit: { kubernetes: { falcoPlugin: {} } } }, 'stack');
    expect(plan.k8sauditFalco?.workload.namespace).toBe('falco');
    expect(plan.k8sauditFalco?.workload.networkPolicy?.egress).toContainEqual({
      peers: [{ pods: plan.routing?.sidekick.workload.selectorLabels, namespace: 'falco-routing' }], ports: [{ port: 2801, protocol: 'TCP' }],
    });
    expect(plan.routing?.sidekick.clients).toContainEqual({ pods: plan.k8sauditFalco?.workload.selectorLabels, namespace: 'falco' });
  });

  test('GIVEN another namespace THEN every address follows it', () => {
    const plan = planStack({ ...BASE, namespace: 'security', routing: { teams: [{ name: 'a', namespaces: ['x'], receivers: { pagerDuty: [{ routingKey: { name: 'pd', key: 'k' }, minimumPriority: 'Critical' }] } }] } }, 'stack');
    expect(plan.routing?.sidekick.url).toBe('http://falcosidekick.security-routing.svc.cluster.local:2801/');
    expect(plan.routing?.alertmanager?.target.urls[0]).toBe('http://alertmanager-0.alertmanager-cluster.security-routing.svc.cluster.local:9093');
    expect(plan.routing?.alertmanager?.workload?.namespace).toBe('security-routing');
    expect(requiredSecrets(plan)).toEqual([expect.objectContaining({ secret: { name: 'pd', key: 'k' }, namespace: 'security-routing' })]);
    expect(plan.durable?.shipper?.sources[0].hostPath).toBe('/var/log/containers/falco-*_security_falco-*.log');
  });

  test('GIVEN Falco and Tetragon THEN the shipper carries both sensors\' output', () => {
    const plan = planStack({
      ...BASE,
      sensors: { falco: {}, tetragon: {} },
    }, 'stack');
    expect(plan.durable?.shipper?.sources.map((s) => [s.name, s.hostPath, s.format])).toEqual([
      ['falco', '/var/log/containers/falco-*_falco_falco-*.log', 'cri'],
      ['tetragon', plan.tetragon?.exportHostPath, 'json'],
    ]);
  });
});

describe('the shipper posting Tetragon alerts to the team routing', () => {
  const teams = [{ name: 'payments', namespaces: ['billing'], receivers: { email: [{ to: ['oncall@example.com'], from: 'detections@example.com', smarthost: 'smtp.example.com:587', minimumPriority: 'Warning' as const }] } }];
  const tetragonStack = (alertmanager?: NonNullable<DetectionStackProps['routing']>['alertmanager']): DetectionStackProps => ({
    ...BASE,
    sensors: { tetragon: { productNamespaces: ['billing'], owner: 'platform-security' } },
    routing: { teams, ...(alertmanager ? { alertmanager } : {}) },
  });
  const ingressPods = (plan: ReturnType<typeof planStack>) =>
    (plan.routing?.alertmanager?.workload?.networkPolicy?.ingress ?? []).flatMap((rule) => rule.peers ?? []);

  test('GIVEN the bundled Alertmanager THEN it admits Falcosidekick and the shipper', () => {
    const plan = planStack(tetragonStack(), 'stack');
    expect(plan.durable?.shipper?.alertRoute).toBeDefined();
    expect(ingressPods(plan)).toEqual(expect.arrayContaining([
      { pods: plan.routing?.sidekick.workload.selectorLabels }, { pods: plan.durable?.shipper?.workload.selectorLabels, namespace: 'falco' },
    ]));
    expect(plan.durable?.shipper?.egress).toContainEqual({
      kind: 'pods', podLabels: plan.routing?.alertmanager?.workload?.selectorLabels, namespace: 'falco-routing', port: 9093, protocol: 'TCP',
    });
  });

  test('GIVEN the operator\'s Alertmanager THEN the stack deploys no Alertmanager of its own', () => {
    const plan = planStack(tetragonStack({ mode: 'operator', operator: { alertmanagerUrls: ['http://alertmanager-operated.monitoring.svc:9093'] } }), 'stack');
    expect(plan.durable?.shipper?.alertRoute?.urls).toEqual(['http://alertmanager-operated.monitoring.svc:9093']);
    expect(plan.routing?.alertmanager?.workload).toBeUndefined();
    expect(plan.workloads.map((w) => `${w.kind}/${w.name}`)).not.toContain('StatefulSet/alertmanager');
  });
});

describe('the Secrets a stack needs', () => {
  test('routing and durable credentials, each with the workload that reads it', () => {
    const plan = planStack({
      cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
      routing: { sidekick: { outputs: { slack: { webhookUrl: { name: 'chat', key: 'slack' } } } } },
      durable: { bucket: { name: 'detections-oke', oci: { objectStorageNamespace: 'tenancyns', accessKeyId: { name: 'keys', key: 'id' }, secretAccessKey: { name: 'keys', key: 'secret' } } } },
    }, 'stack');
    expect(requiredSecrets(plan)).toEqual([
      { secret: { name: 'chat', key: 'slack' }, workload: 'falcosidekick', namespace: 'falco-routing', where: 'stack/routing.sidekick.outputs.slack.webhookUrl' },
      { secret: { name: 'keys', key: 'id' }, workload: 'alert-shipper', namespace: 'falco', where: 'stack/durable.bucket.oci.accessKeyId' },
      { secret: { name: 'keys', key: 'secret' }, workload: 'alert-shipper', namespace: 'falco', where: 'stack/durable.bucket.oci.secretAccessKey' },
    ]);
  });
});

describe('addresses', () => {
  test('in-cluster hosts name their namespace; anything else is external', () => {
    expect(classifyHost('event-router', 80, 'falco')).toEqual({ host: 'event-router', port: 80, inCluster: true, namespace: 'falco' });
    expect(classifyHost('event-router.security.svc', 80, 'falco')).toMatchObject({ inCluster: true, namespace: 'security' });
    expect(classifyHost('am-0.am-cluster.monitoring.svc.cluster.local', 9093, 'falco')).toMatchObject({ inCluster: true, namespace: 'monitoring' });
    expect(classifyHost('svc.example.com', 443, 'falco')).toEqual({ host: 'svc.example.com', port: 443, inCluster: false });
    expect(classifyHost('hooks.slack.com', 443, 'falco')).toMatchObject({ inCluster: false });
  });
  test('https is required outside the cluster', () => {
    expect(requireDestinationUrl('w', 'https://hooks.example.com/x', 'falco')).toMatchObject({ port: 443, inCluster: false });
    expect(() => requireDestinationUrl('w', 'http://evil.svc.example.com/', 'falco')).toThrow(/^DS-ROUTE-013 at w: .*clear text/);
    expect(() => requireDestinationUrl('w', 'ftp://x.svc/', 'falco')).toThrow(/^DS-ROUTE-021 at w: scheme 'ftp:' is not supported/);
    expect(() => requireDestinationUrl('w', 'not a url', 'falco')).toThrow(/^DS-ROUTE-003 at w: .*not a URL/);
    expect(() => requireDestinationUrl('w', 'https://u:p@x.example.com/', 'falco')).toThrow(/^DS-ROUTE-020 at w: the URL carries credentials/);
    expect(() => requireEmail('w', 'not-an-address')).toThrow(/^DS-ROUTE-022 at w: 'not-an-address' is not an e-mail address/);
    expect(() => requireHostPort('w', 'smtp.example.com:99999', 'falco')).toThrow(/^DS-ROUTE-023 at w: 'smtp.example.com:99999' is not host:port/);
  });

  test('GIVEN the k8saudit plugin THEN the stack plan assembles its Falco from the audit, Falco and routing plans', () => {
    const plan = planStack({ ...BASE, routing: {}, audit: { kubernetes: { falcoPlugin: {} } } }, 'stack');
    expect(plan.k8sauditFalco).toMatchObject({
      plugin: plan.audit?.kubernetes.falcoPlugin,
      namespace: 'falco',
      clusterName: 'prod-eks',
      image: plan.falco?.image.reference,
      httpOutputUrl: 'http://falcosidekick.falco-routing.svc.cluster.local:2801/',
    });
    expect(plan.k8sauditFalco?.customRules).toBeUndefined();
    expect(planStack(BASE, 'stack').k8sauditFalco).toBeUndefined();
  });
});
