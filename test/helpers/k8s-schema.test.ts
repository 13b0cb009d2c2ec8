import { expectValidManifests, schemaErrors } from './k8s-schema';

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' }, data: { a: 'b' } };
const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'ds' },
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
  },
};

describe('k8s-schema helper (kubernetes-models v4)', () => {
  test('valid core and apps objects pass', () => {
    expect(schemaErrors([configMap, daemonSet])).toEqual([]);
    expect(() => expectValidManifests([configMap, daemonSet])).not.toThrow();
  });

  test('a wrongly typed field fails with its JSON path', () => {
    const bad = { ...daemonSet, spec: { ...daemonSet.spec, template: { ...daemonSet.spec.template, spec: { containers: [{ name: 'c', image: 'i', securityContext: { privileged: 'yes' } }] } } } };
    expect(schemaErrors([bad])).toEqual([expect.stringMatching(/^#0 apps\/v1\/DaemonSet ds: .*securityContext\/privileged must be boolean/)]);
  });

  test('a missing required field fails', () => {
    expect(schemaErrors([{ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: {} }]))
      .toEqual([expect.stringMatching(/DaemonSet ds: .*must have required property/)]);
  });

  test('an unknown core kind fails instead of being skipped', () => {
    expect(schemaErrors([{ apiVersion: 'v1', kind: 'ConfigMapp', metadata: { name: 'x' } }]))
      .toEqual(['#0 v1/ConfigMapp x: no upstream schema for this apiVersion/kind (list it in customResources if it is a CRD)']);
  });

  test('a custom resource is skipped only when listed', () => {
    const policy = { apiVersion: 'cilium.io/v1alpha1', kind: 'TracingPolicy', metadata: { name: 'p' }, spec: {} };
    expect(schemaErrors([policy])).toHaveLength(1);
    expect(schemaErrors([policy], { customResources: ['cilium.io/v1alpha1/TracingPolicy'] })).toEqual([]);
  });

  test('an object without name fails, and expectValidManifests lists every problem', () => {
    expect(() => expectValidManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, { apiVersion: '../x', kind: 'Pod' }]))
      .toThrow(/3 problem\(s\) against the upstream Kubernetes schemas[\s\S]*metadata\.name is missing[\s\S]*no upstream schema/);
  });
});
