import { Testing } from 'cdk8s';
import { eksTetragonStack, PRODUCT_NAMESPACES } from '../../examples/eks-tetragon/main';
import { SEED_PATTERNS, validateTracingPolicy } from '../../lib/tetragon';
import { schemaErrors } from '../helpers/k8s-schema';

type Obj = Record<string, any>;
const TRACING_POLICY_CRDS = ['cilium.io/v1alpha1/TracingPolicy', 'cilium.io/v1alpha1/TracingPolicyNamespaced'];

describe('examples/eks-tetragon', () => {
  const chart = eksTetragonStack(Testing.app());
  const objects = Testing.synth(chart) as Obj[];
  const tetragonObjects = objects.filter((o) => o.apiVersion === 'cilium.io/v1alpha1'
    || ['tetragon', 'tetragon-operator'].includes(o.metadata?.labels?.['app.kubernetes.io/name']));
  const policies = objects.filter((o) => o.kind === 'TracingPolicyNamespaced');

  test('snapshot of the Tetragon objects', () => {
    expect(tetragonObjects).toMatchSnapshot();
  });

  test('every core object validates against the upstream Kubernetes schemas (TracingPolicy CRDs excluded explicitly)', () => {
    expect(schemaErrors(objects, { customResources: TRACING_POLICY_CRDS })).toEqual([]);
  });

  test('no guardrail error would fail synth', () => {
    expect(chart.checks.findings.filter((f) => f.level === 'error')).toEqual([]);
  });

  test('one monitor-mode policy per seed pattern and product namespace', () => {
    expect(PRODUCT_NAMESPACES).toEqual(['billing', 'checkout', 'identity']);
    expect(policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual(
      PRODUCT_NAMESPACES.flatMap((ns) => SEED_PATTERNS.map((pattern) => `${ns}/ds-${pattern}`)).sort());
    for (const p of policies) {
      expect(p.spec.options).toEqual([{ name: 'policy-mode', value: 'monitor' }]);
      expect(p.metadata.labels['detection-stack.io/owner']).toBe('platform-security');
      expect(validateTracingPolicy(p, { allowEnforcement: false })).toEqual([]);
      const actions = (p.spec.kprobes as Obj[]).flatMap((k) => (k.selectors as Obj[]).flatMap((s) => (s.matchActions ?? []) as Obj[]));
      expect(actions.every((a) => a.action === 'Post')).toBe(true);
    }
  });

  test('the sensor runs in the tetragon namespace for the EKS cluster and exports to the host file the shipper reads', () => {
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'tetragon-config')!;
    expect(config.metadata.namespace).toBe('tetragon');
    expect(config.data['cluster-name']).toBe('prod-us');
    expect(chart.plan.tetragon?.exportHostPath).toBe('/var/log/tetragon/tetragon.log');
    expect(config.data['export-filename']).toBe(chart.plan.tetragon?.exportHostPath);
    expect(objects.filter((o) => o.kind === 'DaemonSet' && o.metadata.name === 'tetragon')).toHaveLength(1);
    expect(objects.filter((o) => o.kind === 'Deployment' && o.metadata.name === 'tetragon-operator')).toHaveLength(1);
  });
});
