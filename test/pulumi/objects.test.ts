import { applyBindings, KubernetesObject, splitNamespaces } from '../../lib/pulumi/objects';

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

test('namespaces are split from the rest so they can be created first', () => {
  expect(splitNamespaces(objects)).toEqual({ namespaces: [objects[0]], rest: [objects[1]] });
});
