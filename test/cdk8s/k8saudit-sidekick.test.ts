import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import type { DetectionStackProps } from '../../lib/stack/props';

const props = (falcoPlugin: boolean): DetectionStackProps => ({
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  durable: { waived: { reason: 'routing test: no bucket in this cluster' } },
  routing: { teams: [{ name: 'payments', namespaces: ['billing'], receivers: { webhook: [{ url: { name: 'hooks', key: 'payments' }, minimumPriority: 'Warning' }] } }] },
  audit: falcoPlugin ? { kubernetes: { falcoPlugin: {} } } : {},
});
const sidekickIngressSources = (p: DetectionStackProps) => Testing.synth(new DetectionStack(Testing.app(), 's', p))
  .find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'falcosidekick').spec.ingress[0].from;

describe('Falcosidekick admits every Falco that sends it alerts', () => {
  test('GIVEN only the node sensor THEN only its pods may connect', () => {
    expect(sidekickIngressSources(props(false))).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } } },
    ]);
  });

  test('GIVEN the k8saudit plugin THEN its Falco is admitted too, and nothing else', () => {
    expect(sidekickIngressSources(props(true))).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco-k8saudit', 'app.kubernetes.io/instance': 'falco-k8saudit' } } },
    ]);
  });
});
