import { threeProviderFleet } from './fixtures';
import { DetectionStackError } from '../../lib/core/errors';
import { fleetClusterPlan, mergeOverrides, planFleet } from '../../lib/fleet/plan';
import type { DetectionFleetProps } from '../../lib/fleet/props';

function errorOf(build: () => unknown): DetectionStackError {
  try {
    build();
  } catch (e) {
    if (e instanceof DetectionStackError) return e;
    throw e;
  }
  throw new Error('expected a DetectionStackError');
}

describe('planFleet', () => {
  test('plans one stack per cluster, each at the fleet path of its entry, with its own provider', () => {
    const plan = planFleet(threeProviderFleet());
    expect(plan.clusters.map((c) => [c.name, c.provider, c.path, c.plan.cluster.name, c.plan.path])).toEqual([
      ['prod-eu-oke', 'oke', 'acme/clusters[0]', 'prod-eu-oke', 'acme/clusters[0]'],
      ['prod-us-eks', 'eks', 'acme/clusters[1]', 'prod-us-eks', 'acme/clusters[1]'],
      ['dev-aks', 'aks', 'acme/clusters[2]', 'dev-aks', 'acme/clusters[2]'],
    ]);
    expect(plan.clusters.map((c) => c.plan.profile.containerRuntime.engine)).toEqual(['cri-o', 'containerd', 'containerd']);
    expect(plan.clusterNames).toEqual(['prod-eu-oke', 'prod-us-eks', 'dev-aks']);
  });

  test('applies a cluster\'s overrides: objects merge, undefined removes the shared value', () => {
    const [oke, eks] = planFleet(threeProviderFleet()).clusters;
    expect(eks.stackProps.durable).toEqual({ bucket: { name: 'detections-prod-us-eks', aws: { podIdentity: true } } });
    expect(eks.plan.durable?.shipper).toBeDefined();
    expect(eks.plan.falco?.minimumPriority).toBe('ERROR');
    // The override kept the shared custom rules of the Falco sensor it merged into.
    expect(eks.stackProps.sensors?.falco?.customRules?.map((r) => r.rule.name)).toEqual(['Shell in billing']);
    expect(eks.overridden).toEqual(['durable.bucket.aws.podIdentity', 'durable.bucket.name', 'durable.waived', 'sensors.falco.minimumPriority']);
    expect(oke.plan.durable?.shipper).toBeUndefined();
    expect(oke.plan.falco?.minimumPriority).not.toBe('ERROR');
    expect(oke.overridden).toEqual([]);
  });

  test('routes a team only where it owns a namespace, narrowed to those, and leaves its rules out elsewhere', () => {
    const [oke, eks] = planFleet(threeProviderFleet()).clusters;
    expect(oke.teams).toEqual(['payments', 'identity']);
    expect(oke.leftOut).toEqual({ teams: [], rules: [] });
    expect(eks.teams).toEqual(['payments']);
    expect(eks.leftOut).toEqual({ teams: ['identity'], rules: ['Shell in identity'] });
    expect(eks.stackProps.routing?.teams?.map((t) => [t.name, t.namespaces])).toEqual([['payments', ['billing']]]);
    expect(eks.plan.routing?.teams).toEqual(['payments']);
  });

  test('the packs\' rules go with their owning team: left out, by excludeOwners, where the team is not routed', () => {
    const base = threeProviderFleet();
    const fleet: DetectionFleetProps = {
      ...base,
      shared: { ...base.shared, packs: { namespaces: ['billing', 'checkout', 'identity'], defaultOwner: 'payments', owners: { 'k8s-audit': 'identity' } } },
    };
    const [oke, eks] = planFleet(fleet).clusters;
    const identityRules = oke.plan.packs!.rules.filter((r) => r.owner === 'identity').map((r) => r.name);
    expect(identityRules.length).toBeGreaterThan(0);
    expect(oke.stackProps.packs?.excludeOwners).toBeUndefined();
    expect(oke.leftOut.rules).toEqual([]);
    // identity is not routed in prod-us-eks: its hand-written rule and its pack rules are left out, named in leftOut.
    expect(eks.stackProps.packs?.excludeOwners).toEqual(['identity']);
    expect(eks.leftOut.rules).toEqual(['Shell in identity', ...identityRules]);
    expect(eks.plan.packs!.rules.map((r) => r.owner)).not.toContain('identity');
    expect(eks.plan.packs!.rules.length).toBe(oke.plan.packs!.rules.length - identityRules.length);
    expect(eks.plan.falco!.customRules.map((r) => r.owner)).not.toContain('identity');
    // payments is routed everywhere: a left-out team that owns no pack rule is not excluded (it would be DS-PACK-011).
    const paymentsOnly = planFleet({ ...fleet, shared: { ...fleet.shared, packs: { namespaces: ['billing'], defaultOwner: 'payments' } } });
    expect(paymentsOnly.clusters[1].leftOut.teams).toEqual(['identity']);
    expect(paymentsOnly.clusters[1].stackProps.packs?.excludeOwners).toBeUndefined();
  });

  test('a duplicate cluster name is DS-FLEET-001 at the second entry', () => {
    const fleet = threeProviderFleet();
    const e = errorOf(() => planFleet({ ...fleet, clusters: [...fleet.clusters, { name: 'dev-aks', provider: 'aks' }] }));
    expect(e.code).toBe('DS-FLEET-001');
    expect(e.where).toBe('acme/clusters[3].name');
    expect(e.problem).toContain('first as clusters[2]');
  });

  test('a team listed in a cluster where it owns no namespace is DS-FLEET-003 at the team', () => {
    const fleet = threeProviderFleet();
    const clusters = fleet.clusters.map((c, i) => (i === 1 ? { ...c, teams: ['payments', 'identity'] } : c));
    const e = errorOf(() => planFleet({ ...fleet, clusters }));
    expect(e.code).toBe('DS-FLEET-003');
    expect(e.where).toBe('acme/clusters[1].teams[1]');
    expect(e.problem).toContain("team 'identity' is routed in cluster 'prod-us-eks', where it owns no namespace");
  });

  test('an unknown team is DS-FLEET-002 with the closest name', () => {
    const fleet = threeProviderFleet();
    const clusters = fleet.clusters.map((c, i) => (i === 0 ? { ...c, teams: ['paymens'] } : c));
    const e = errorOf(() => planFleet({ ...fleet, clusters }));
    expect([e.code, e.where]).toEqual(['DS-FLEET-002', 'acme/clusters[0].teams[0]']);
    expect(e.problem).toContain("did you mean 'payments'?");
  });

  test('a cluster named like a delivery folder is DS-FLEET-004', () => {
    const fleet = threeProviderFleet();
    const e = errorOf(() => planFleet({ ...fleet, clusters: [{ name: 'argocd', provider: 'eks' }] }));
    expect([e.code, e.where]).toEqual(['DS-FLEET-004', 'acme/clusters[0].name']);
  });

  test('an error of one cluster names the cluster and where its value was set', () => {
    const fleet = threeProviderFleet();
    const clusters = fleet.clusters.map((c, i) => (i === 2 ? { ...c, overrides: { sensors: { falco: { image: { tag: 'latest' } } } } } : c));
    const e = errorOf(() => planFleet({ ...fleet, clusters }));
    expect(e.code).toBe('DS-FALCO-001');
    expect(e.where).toBe('acme/clusters[2]/sensors.falco.image.tag');
    expect(e.problem).toContain("(cluster 'dev-aks'; set in clusters[2].overrides.sensors.falco.image.tag)");
    const shared = errorOf(() => planFleet({ ...fleet, shared: { ...fleet.shared, namespace: 'Falco' } }));
    expect(shared.where).toBe('acme/clusters[0]/namespace');
    expect(shared.problem).toContain("(cluster 'prod-eu-oke'; set in shared.namespace)");
  });

  test('the fleet\'s own shape is checked first: a cluster in the shared parts, no clusters, a credential in the git URL', () => {
    const fleet = threeProviderFleet();
    const inShared = errorOf(() => planFleet({ ...fleet, shared: { ...fleet.shared, cluster: { name: 'x', provider: 'eks' } } as DetectionFleetProps['shared'] }));
    expect([inShared.code, inShared.where]).toEqual(['DS-FLEET-008', 'acme/shared.cluster']);
    expect(errorOf(() => planFleet({ ...fleet, clusters: [] })).code).toBe('DS-FLEET-007');
    const git = errorOf(() => planFleet({ ...fleet, delivery: { git: { repoURL: 'https://user:tok@git.example.com/acme/platform.git', path: 'dist/acme' } } }));
    expect([git.code, git.where]).toEqual(['DS-FLEET-006', 'acme/delivery.git.repoURL']);
    expect(git.message).not.toContain('tok');
    const typo = errorOf(() => planFleet({ ...fleet, clusterz: [] } as unknown as DetectionFleetProps));
    expect(typo.code).toBe('DS-PROPS-011');
    expect(typo.problem).toContain("did you mean 'clusters'?");
  });

  test('only: plans the selected cluster alone, still checking the whole fleet', () => {
    const fleet = threeProviderFleet();
    const one = fleetClusterPlan(fleet, 'dev-aks');
    expect([one.name, one.index, one.path]).toEqual(['dev-aks', 2, 'acme/clusters[2]']);
    expect(errorOf(() => fleetClusterPlan(fleet, 'dev-ak')).problem).toContain("did you mean 'dev-aks'?");
    const duplicate = { ...fleet, clusters: [...fleet.clusters, fleet.clusters[0]] };
    expect(errorOf(() => fleetClusterPlan(duplicate, 'dev-aks')).code).toBe('DS-FLEET-001');
  });

  test('delivery defaults are resolved', () => {
    const plan = planFleet({ ...threeProviderFleet(), delivery: { git: { repoURL: 'git@git.example.com:acme/platform.git', path: 'dist/acme/' } } });
    expect(plan.delivery).toEqual({
      git: { repoURL: 'git@git.example.com:acme/platform.git', revision: 'main', path: 'dist/acme' },
      argocd: { namespace: 'argocd', selector: {} },
      flux: { namespace: 'flux-system', sourceName: 'flux-system', interval: '10m' },
    });
    expect(planFleet(threeProviderFleet()).delivery).toBeUndefined();
  });
});

describe('mergeOverrides', () => {
  test('objects merge key by key, lists replace, undefined removes, the inputs stay as they were', () => {
    const shared = { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } };
    const merged = mergeOverrides<Record<string, unknown>>(shared, { a: { c: [3] }, e: undefined, g: true });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: 'x', g: true });
    expect(shared).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } });
  });
});
