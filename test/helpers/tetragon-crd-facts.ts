import type { KubernetesObject } from '../../lib/pulumi/kubernetes';

/**
 * Facts of the Tetragon 1.7.0 CRDs the TracingPolicies need (install/kubernetes/tetragon/crds-yaml/ of
 * cilium/tetragon v1.7.0): file, name, group, kind, scope, version. test/conformance/tetragon-crds.test.ts
 * checks them against the pinned CRDs in ../shared/corpora/tetragon/crds-1.7.0/.
 */
export const TETRAGON_CRD_FACTS = [
  { file: 'cilium.io_tracingpolicies.yaml', name: 'tracingpolicies.cilium.io', group: 'cilium.io', plural: 'tracingpolicies', kind: 'TracingPolicy', scope: 'Cluster', version: 'v1alpha1' },
  {
    file: 'cilium.io_tracingpoliciesnamespaced.yaml',
    name: 'tracingpoliciesnamespaced.cilium.io',
    group: 'cilium.io',
    plural: 'tracingpoliciesnamespaced',
    kind: 'TracingPolicyNamespaced',
    scope: 'Namespaced',
    version: 'v1alpha1',
  },
] as const;

/** A CRD with these facts and an open schema, for ordering tests under mocks (no upstream schema copied). */
export function minimalCrd(f: (typeof TETRAGON_CRD_FACTS)[number]): KubernetesObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: f.name },
    spec: {
      group: f.group,
      scope: f.scope,
      names: { plural: f.plural, kind: f.kind },
      versions: [{ name: f.version, served: true, storage: true, schema: { openAPIV3Schema: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}
