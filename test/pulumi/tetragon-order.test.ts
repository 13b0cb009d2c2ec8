import * as pulumi from '@pulumi/pulumi';
import { DetectionStackObjects } from '../../lib/pulumi/kubernetes';
import type { DetectionStackProps } from '../../lib/stack/props';
import { minimalCrd, TETRAGON_CRD_FACTS } from '../helpers/tetragon-crd-facts';

// A custom resource can be created only once its CRD is served: the Kubernetes API answers "no matches for kind"
// and Pulumi reports "apiVersion for this resource does not exist" otherwise. The Tetragon operator would create the
// CRDs only when it runs, so the Pulumi path applies them itself and the TracingPolicies wait for them.
jest.setTimeout(60_000);

const registrations: { type: string; name: string; urn: string; deps: string[] }[] = [];
beforeAll(async () => {
  await pulumi.runtime.setMocks({
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
  }, 'tetragon', 'test', false);
  const monitor = (pulumi.runtime as unknown as { getMonitor(): { registerResource(req: Req, cb: Cb): unknown } }).getMonitor();
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => original(req, (err, res) => {
    if (res) registrations.push({ type: req.getType(), name: req.getName(), urn: res.getUrn(), deps: req.getDependenciesList() });
    cb(err, res);
  });
});
interface Req { getType(): string; getName(): string; getDependenciesList(): string[] }
type Cb = (err: unknown, res: { getUrn(): string } | undefined) => void;

const crds = TETRAGON_CRD_FACTS.map(minimalCrd);

const stack: DetectionStackProps = {
  cluster: { name: 'prod-us', provider: 'eks', region: 'us-east-1' },
  namespace: 'tetragon',
  sensors: { tetragon: { productNamespaces: ['billing'], owner: 'platform-security' } },
  durable: { waived: { reason: 'ordering test of the Tetragon objects only' } },
};

test('TracingPolicies are created after the Tetragon CRDs and the namespace; nothing else waits for the CRDs', async () => {
  const objects = new DetectionStackObjects('t', { stack, tetragonCrds: { objs: crds } });
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(objects.tetragon).toBeDefined();
  const urnOf = (type: string, name: string) => registrations.find((r) => r.type === type && r.name === name)?.urn;
  const crdUrns = ['t-tracingpolicies.cilium.io', 't-tracingpoliciesnamespaced.cilium.io']
    .map((n) => urnOf('kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition', n));
  expect(crdUrns.every((u) => u !== undefined)).toBe(true);
  const namespace = urnOf('kubernetes:core/v1:Namespace', 't-tetragon');
  const policies = registrations.filter((r) => r.type.startsWith('kubernetes:cilium.io/v1alpha1:TracingPolicy'));
  expect(policies.length).toBeGreaterThan(0);
  for (const p of policies) expect([p.name, [...new Set(p.deps)].sort()]).toEqual([p.name, [...crdUrns, namespace].sort()]);
  const others = registrations.filter((r) => r.type.startsWith('kubernetes:') && !r.type.includes('cilium.io') && !r.type.includes('CustomResourceDefinition'));
  expect(others.length).toBeGreaterThan(0);
  for (const o of others) for (const u of crdUrns) expect(o.deps).not.toContain(u);
});
