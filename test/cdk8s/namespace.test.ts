import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import type { DetectionStackProps } from '../../lib/stack/props';

const props: DetectionStackProps = {
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  durable: { waived: { reason: 'namespace test: no bucket in this cluster' } },
};
const namespaces = (p: DetectionStackProps) => Testing.synth(new DetectionStack(Testing.app(), 's', p)).filter((o) => o.kind === 'Namespace');

describe('the stack namespace', () => {
  test('GIVEN defaults THEN the stack creates its namespace, first, at Pod Security level privileged', () => {
    const objects = Testing.synth(new DetectionStack(Testing.app(), 's', props));
    expect(objects[0].kind).toBe('Namespace');
    expect(namespaces(props)).toEqual([{
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'falco',
        labels: expect.objectContaining({
          'pod-security.kubernetes.io/enforce': 'privileged',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'app.kubernetes.io/part-of': 'detection-stack',
        }),
      },
    }]);
  });

  test('GIVEN createNamespace: false THEN no Namespace object is rendered', () => {
    expect(namespaces({ ...props, createNamespace: false })).toEqual([]);
  });
});
