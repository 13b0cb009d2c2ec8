import { applyBindings, KubernetesObject, splitObjects, TETRAGON_CRD_FILES } from '../../lib/pulumi/objects';

const objects: KubernetesObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'falco' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'alert-shipper', namespace: 'falco' } },
];

test('a binding sets the named field of the named object, on a copy', () => {
  const bound = applyBindings(objects, [{ kind: 'ServiceAccount', name: 'alert-shipper', path: ['metadata', 'annotations', 'azure.workload.identity/client-id'], value: 'cid' }], 'x');
  expect(bound[1].metadata).toEqual({ name: 'alert-shipper', namespace: 'falco', annotations: { 'azure.workload.identity/client-id': 'cid' } });
  expect(objects[1].metadata).toEqual({ name: 'alert-shipper', namespace: 'falco' });
});

test('a binding that hits nothing fails, listing what exists', () => {
  expect(() => applyBindings(objects, [{ kind: 'ServiceAccount', name: 'shipper', path: ['metadata'], value: 1 }], 'stack'))
    .toThrow(/DS-PULUMI-002 at stack\/bindings\[0\]: no ServiceAccount named 'shipper'.*Namespace\/falco, ServiceAccount\/alert-shipper/);
});

test('namespaces and Tetragon custom resources are split from the rest so each can wait for what it needs', () => {
  const policy: KubernetesObject = { apiVersion: 'cilium.io/v1alpha1', kind: 'TracingPolicy', metadata: { name: 'p' } };
  const namespaced: KubernetesObject = {
    apiVersion: 'cilium.io/v1alpha1', kind: 'TracingPolicyNamespaced', metadata: { name: 'q', namespace: 'falco' },
  };
  expect(splitObjects([...objects, policy, namespaced]))
    .toEqual({ namespaces: [objects[0]], customResources: [policy, namespaced], rest: [objects[1]] });
});

test('the Tetragon CRDs come from the release the chart deploys (install/kubernetes/tetragon/crds-yaml/)', () => {
  expect(TETRAGON_CRD_FILES).toEqual([
    'https://raw.githubusercontent.com/cilium/tetragon/v1.7.0/install/kubernetes/tetragon/crds-yaml/cilium.io_tracingpolicies.yaml',
    'https://raw.githubusercontent.com/cilium/tetragon/v1.7.0/install/kubernetes/tetragon/crds-yaml/cilium.io_tracingpoliciesnamespaced.yaml',
  ]);
});
