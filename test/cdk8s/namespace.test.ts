import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import type { DetectionStackProps } from '../../lib/stack/props';

const props: DetectionStackProps = {
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  durable: { waived: { reason: 'namespace test: no bucket in this cluster' } },
};
const namespaces = (p: DetectionStackProps) => Testing.synth(new DetectionStack(Testing.app(), 's', p)).filter((o) => o.kind === 'Namespace');

describe('the stack namespaces', () => {
  const psa = (level: string, modes: string[]) => Object.fromEntries(modes.flatMap((m) => [
    [`pod-security.kubernetes.io/${m}`, level], [`pod-security.kubernetes.io/${m}-version`, 'latest'],
  ]));

  test('GIVEN defaults THEN the stack creates the sensors\' namespace first, at privileged; no routing namespace without routing', () => {
    const objects = Testing.synth(new DetectionStack(Testing.app(), 's', props));
    expect(objects[0].kind).toBe('Namespace');
    expect(namespaces(props).map((n) => n.metadata.name)).toEqual(['falco']);
  });

  test('GIVEN routing THEN the stack creates both namespaces first: the sensors\' at privileged, the routing one at restricted', () => {
    const routed: DetectionStackProps = { ...props, routing: {} };
    const objects = Testing.synth(new DetectionStack(Testing.app(), 's', routed));
    expect(objects.slice(0, 2).map((o) => o.kind)).toEqual(['Namespace', 'Namespace']);
    const common = { 'app.kubernetes.io/part-of': 'detection-stack', 'app.kubernetes.io/managed-by': 'detection-stack' };
    expect(namespaces(routed)).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'falco', labels: { ...common, ...psa('privileged', ['enforce']) } } },
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'falco-routing', labels: { ...common, ...psa('restricted', ['enforce', 'warn', 'audit']) } },
      },
    ]);
  });

  test('GIVEN routing THEN Falcosidekick and Alertmanager run in the restricted namespace, Falco and the shipper in the privileged one', () => {
    const withRouting: DetectionStackProps = {
      cluster: props.cluster,
      namespace: 'security',
      routingNamespace: 'alerting',
      durable: { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } } },
      routing: { teams: [{ name: 'a', namespaces: ['x'], receivers: { pagerDuty: [{ routingKey: { name: 'pd', key: 'k' }, minimumPriority: 'Critical' }] } }] },
    };
    const objects = Testing.synth(new DetectionStack(Testing.app(), 's', withRouting));
    const where = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)?.metadata.namespace;
    expect(namespaces(withRouting).map((n) => [n.metadata.name, n.metadata.labels['pod-security.kubernetes.io/enforce']]))
      .toEqual([['security', 'privileged'], ['alerting', 'restricted']]);
    expect(where('DaemonSet', 'falco')).toBe('security');
    expect(where('DaemonSet', 'alert-shipper')).toBe('security');
    expect(where('Deployment', 'falcosidekick')).toBe('alerting');
    expect(where('StatefulSet', 'alertmanager')).toBe('alerting');
    expect(where('NetworkPolicy', 'falcosidekick')).toBe('alerting');
  });

  test('GIVEN the routing namespace equal to the sensors\' THEN DS-PROPS-007 names the prop', () => {
    expect(() => new DetectionStack(Testing.app(), 's', { ...props, namespace: 'sec', routingNamespace: 'sec' }))
      .toThrow(expect.objectContaining({ code: 'DS-PROPS-007', where: 's/routingNamespace' }));
  });

  test('GIVEN a namespace whose -routing name is too long THEN DS-PROPS-001 names the namespace prop', () => {
    expect(() => new DetectionStack(Testing.app(), 's', { ...props, namespace: 'n'.repeat(60) }))
      .toThrow(expect.objectContaining({ code: 'DS-PROPS-001', where: 's/namespace' }));
  });

  test('GIVEN createNamespace: false THEN no Namespace object is rendered', () => {
    expect(namespaces({ ...props, createNamespace: false })).toEqual([]);
  });
});
