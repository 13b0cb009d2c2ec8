import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { exampleFleet } from '../../examples/fleet/main';
import { schemaErrors } from '../helpers/k8s-schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type K8sObject = any;

describe('examples/fleet (four clusters on OKE, EKS and AKS, delivered by Argo CD and Flux)', () => {
  const fleet = exampleFleet(Testing.app());
  const out = mkdtempSync(join(tmpdir(), 'fleet-example-'));
  const written = fleet.writeTo(out);
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const read = (file: string): K8sObject[] => parseAllDocuments(readFileSync(join(out, file), 'utf8')).map((d) => d.toJSON());
  const yamlFiles = written.filter((f) => f.endsWith('.yaml') && (f.includes('/manifests/') || f.startsWith('argocd/') || f.startsWith('flux/')));

  test('every manifest, Argo CD and Flux object validates against its upstream schema', () => {
    const objects = yamlFiles.flatMap(read);
    expect(objects.length).toBeGreaterThan(50);
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('the three providers each get their own stack, with no guardrail error', () => {
    expect(fleet.plan.clusters.map((c) => [c.name, c.provider, c.plan.profile.containerRuntime.socketPath])).toEqual([
      ['prod-eu', 'oke', '/var/run/crio/crio.sock'],
      ['prod-us', 'eks', '/run/containerd/containerd.sock'],
      ['prod-we', 'aks', '/run/containerd/containerd.sock'],
      ['staging-us', 'eks', '/run/containerd/containerd.sock'],
    ]);
    expect(fleet.stacks.flatMap((s) => s.checks.findings.filter((f) => f.level === 'error'))).toEqual([]);
    expect(fleet.plan.clusters.map((c) => c.plan.k8sauditFalco?.plugin.name)).toEqual([undefined, 'k8saudit-eks', 'k8saudit-aks', 'k8saudit-eks']);
  });

  test('the k8s-audit pack on OKE is reported for that cluster, at its path', () => {
    const warnings = fleet.stacks.map((s) => s.checks.findings.filter((f) => f.id === 'DS-FALCO-104').map((f) => f.path));
    expect(warnings).toEqual([['acme/clusters[0]/packs'], [], [], []]);
    const report = readFileSync(join(out, 'REPORT.md'), 'utf8');
    expect(report).toContain('- prod-eu: warning DS-FALCO-104 at `acme/clusters[0]/packs`');
    expect(report).toContain('9 rule(s) do not run (DS Exec Through Admin Path');
  });

  test('staging runs only the payments namespaces: identity and its rules are left out there', () => {
    const staging = fleet.plan.clusters[3];
    expect(staging.teams).toEqual(['payments']);
    expect(staging.leftOut.teams).toEqual(['identity']);
    expect(staging.leftOut.rules).toHaveLength(9);
    expect(staging.plan.falco?.customRules.every((r) => r.owner === 'payments')).toBe(true);
    expect(fleet.plan.clusters[1].plan.falco?.customRules.some((r) => r.owner === 'identity')).toBe(true);
  });

  test('Argo CD: the ApplicationSet selects the prod clusters; the AppProject allows only them', () => {
    const [appSet] = read('argocd/applicationset.yaml');
    const [project] = read('argocd/appproject.yaml');
    expect(appSet.spec.generators[0].selector).toEqual({ matchLabels: { environment: 'prod' } });
    expect(appSet.spec.generators[0].list.elements.map((e: Record<string, string>) => e.dsCluster)).toEqual(['prod-eu', 'prod-us', 'prod-we', 'staging-us']);
    expect(project.spec.destinations).toEqual([
      { name: 'prod-eu', namespace: 'falco' },
      { name: 'prod-eu', namespace: 'falco-routing' },
      { name: 'prod-us', namespace: 'falco' },
      { name: 'prod-us', namespace: 'falco-routing' },
      { name: 'prod-we', namespace: 'falco' },
      { name: 'prod-we', namespace: 'falco-routing' },
    ]);
    expect(project.spec.sourceRepos).toEqual(['https://git.example.com/platform/detection-fleet.git']);
  });

  test('Flux: every cluster, the workloads after the namespace', () => {
    expect(written.filter((f) => f.startsWith('flux/'))).toEqual(['flux/prod-eu.yaml', 'flux/prod-us.yaml', 'flux/prod-we.yaml', 'flux/staging-us.yaml']);
    const staging = read('flux/staging-us.yaml');
    expect(staging.map((k) => [k.metadata.name, k.spec.path, k.spec.dependsOn?.[0]?.name])).toEqual([
      ['acme-staging-us-namespaces', './dist/fleet/staging-us/manifests/0-namespaces', undefined],
      ['acme-staging-us-workloads', './dist/fleet/staging-us/manifests/1-workloads', 'acme-staging-us-namespaces'],
    ]);
  });

  test('every delivery of the definition is generated: manifests, Helm values, Operator resources, Argo CD (both sources), Flux', () => {
    const clusters = ['prod-eu', 'prod-us', 'prod-we', 'staging-us'];
    for (const c of clusters) {
      expect(written).toEqual(expect.arrayContaining([
        `${c}/manifests/0-namespaces/resources.yaml`, `${c}/manifests/1-workloads/resources.yaml`, `${c}/REPORT.md`,
        `${c}/helm/falco-values.yaml`, `${c}/helm/falcosidekick-values.yaml`, `${c}/helm/HELM.md`, `${c}/operator/falco-operator.yaml`, `${c}/operator/OPERATOR.md`, `flux/${c}.yaml`,
      ]));
    }
    // Argo CD with a Helm source: the prod clusters (the selector), each its Namespaces then the falco and falcosidekick charts.
    expect(written.filter((f) => f.startsWith('argocd/'))).toEqual([
      'argocd/applicationset.yaml', 'argocd/appproject.yaml', 'argocd/helm/appproject.yaml',
      'argocd/helm/prod-eu.yaml', 'argocd/helm/prod-us.yaml', 'argocd/helm/prod-we.yaml',
    ]);
    const apps = read('argocd/helm/prod-we.yaml');
    expect(apps.map((a) => [a.kind, a.metadata.name, a.spec.sources?.[0].helm.valueFiles])).toEqual([
      ['Application', 'acme-prod-we-namespace', undefined],
      ['Application', 'acme-prod-we-falco', ['$values/dist/fleet/prod-we/helm/falco-values.yaml']],
      ['Application', 'acme-prod-we-falcosidekick', ['$values/dist/fleet/prod-we/helm/falcosidekick-values.yaml']],
    ]);
    // The operator deploys the node Falco: one Rulesfile per team owning its syscall rules. The identity team's rules
    // are the Kubernetes-audit pack, which the k8saudit Falco runs (outside the operator), so payments alone here.
    const owners = (c: string) => read(`${c}/operator/falco-operator.yaml`).filter((o) => o.kind === 'Rulesfile')
      .map((o) => o.metadata.labels['detection-stack.io/owner']).filter((o) => o).sort();
    expect(owners('staging-us')).toEqual(['payments']);
    expect(owners('prod-us')).toEqual(['payments']);
  });

  test('snapshot of the fleet report and the delivery objects', () => {
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toMatchSnapshot();
    expect(read('argocd/appproject.yaml')).toMatchSnapshot();
  });
});
