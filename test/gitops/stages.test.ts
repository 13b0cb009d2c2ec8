import { STACK_DELIVERIES, stackDeliveryFiles } from '../../lib/gitops/stack-files';
import { Manifest, stagedManifests, stageFolder, stageOf, syncAnnotations, SYNC_STAGES } from '../../lib/gitops/stages';
import { renderHelmFiles, helmDelivery } from '../../lib/helm/releases';
import { planStack } from '../../lib/stack/plan';

const object = (apiVersion: string, kind: string, annotations?: Record<string, string>): Manifest =>
  ({ apiVersion, kind, metadata: { name: kind.toLowerCase(), ...(annotations ? { annotations } : {}) } });

describe('the sync stages a GitOps engine applies a cluster\'s objects in', () => {
  test.each([
    ['v1', 'Namespace', 'namespaces'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'namespaces'],
    ['v1', 'ConfigMap', 'workloads'],
    ['apps/v1', 'DaemonSet', 'workloads'],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'workloads'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'workloads'],
    ['cilium.io/v1alpha1', 'TracingPolicyNamespaced', 'custom-resources'],
    ['monitoring.coreos.com/v1', 'PodMonitor', 'custom-resources'],
    ['falco.falcosecurity.dev/v1alpha1', 'Falco', 'custom-resources'],
  ])('%s %s goes to %s', (apiVersion, kind, stage) => {
    expect(stageOf(object(apiVersion, kind)).name).toBe(stage);
  });

  test('only the custom resources, whose definitions may come later, skip Argo CD\'s dry run; waves increase', () => {
    expect(SYNC_STAGES.map((s) => s.wave)).toEqual([0, 1, 2]);
    expect(SYNC_STAGES.map(syncAnnotations)).toEqual([
      { 'argocd.argoproj.io/sync-wave': '0' },
      { 'argocd.argoproj.io/sync-wave': '1' },
      { 'argocd.argoproj.io/sync-wave': '2', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
    ]);
    expect(SYNC_STAGES.map(stageFolder)).toEqual(['0-namespaces', '1-workloads', '2-custom-resources']);
  });

  test('objects are grouped in stage order, empty stages left out, and keep their own annotations', () => {
    const staged = stagedManifests([
      object('cilium.io/v1alpha1', 'TracingPolicy'),
      object('apps/v1', 'Deployment', { 'checksum/config': 'abc' }),
    ]);
    expect(staged.map((s) => [s.stage.name, s.manifests.map((m) => m.kind)])).toEqual([
      ['workloads', ['Deployment']],
      ['custom-resources', ['TracingPolicy']],
    ]);
    expect(staged[0].manifests[0].metadata.annotations).toEqual({ 'checksum/config': 'abc', 'argocd.argoproj.io/sync-wave': '1' });
  });
});

describe('the delivery files beside a stack\'s manifests', () => {
  const cluster = { name: 'prod', provider: 'eks' as const, region: 'eu-west-1' };
  const durable = { waived: { reason: 'delivery files test without a bucket' } };

  test('helm/ holds the values files the Helm delivery renders, operator/ the Falco Operator\'s resources and OPERATOR.md', () => {
    const plan = planStack({ cluster, durable }, 'prod');
    const files = stackDeliveryFiles(plan);
    expect(STACK_DELIVERIES).toEqual(['helm', 'operator']);
    expect(files.filter((f) => f.name.startsWith('helm/'))).toEqual(renderHelmFiles(helmDelivery(plan)).map((f) => ({ name: `helm/${f.name}`, text: f.text })));
    expect(files.filter((f) => f.name.startsWith('operator/')).map((f) => f.name)).toEqual(['operator/falco-operator.yaml', 'operator/OPERATOR.md']);
    expect(stackDeliveryFiles(plan, ['operator']).every((f) => f.name.startsWith('operator/'))).toBe(true);
  });

  test('a stack without Falco gets no operator resources, only the OPERATOR.md that says why', () => {
    const plan = planStack({ cluster, durable, sensors: { tetragon: {} } }, 'prod');
    const operator = stackDeliveryFiles(plan, ['operator']);
    expect(operator.map((f) => f.name)).toEqual(['operator/OPERATOR.md']);
    expect(operator[0].text.length).toBeGreaterThan(0);
  });
});
