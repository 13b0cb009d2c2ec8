import { createHash } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { Application, ApplicationSet, AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { deliveredFleet } from './fixtures';
import { DetectionFleet, FLEET_MARKER_FILE } from '../../lib/cdk8s/detection-fleet';
import { DetectionStackError } from '../../lib/core/errors';
import { valuesFileName } from '../../lib/helm';
import * as releases from '../../lib/helm/releases';
import { helmDelivery, renderHelmFiles } from '../../lib/helm/releases';
import { renderOperatorFiles } from '../../lib/operator/files';
import { operatorDelivery } from '../../lib/operator/resources';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any };

function readYaml(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON() as Obj);
}

function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return files;
}

function synthInto(dir: string): string[] {
  return new DetectionFleet(Testing.app(), 'acme', deliveredFleet()).writeTo(dir);
}

describe('DetectionFleet.writeTo', () => {
  const root = mkdtempSync(join(tmpdir(), 'fleet-'));
  const out = join(root, 'acme');
  const written = synthInto(out);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('writes a folder per cluster with its manifests per sync stage, the fleet report and the deliveries', () => {
    expect(written.filter((f) => f.includes('/manifests/'))).toEqual([
      'dev-aks/manifests/0-namespaces/resources.yaml',
      'dev-aks/manifests/1-workloads/resources.yaml',
      'edge-eks/manifests/0-namespaces/resources.yaml',
      'edge-eks/manifests/1-workloads/resources.yaml',
      'edge-eks/manifests/2-custom-resources/resources.yaml',
      'prod-eu-oke/manifests/0-namespaces/resources.yaml',
      'prod-eu-oke/manifests/1-workloads/resources.yaml',
      'prod-us-eks/manifests/0-namespaces/resources.yaml',
      'prod-us-eks/manifests/1-workloads/resources.yaml',
    ]);
    expect(written).toEqual(expect.arrayContaining(['REPORT.md', 'argocd/appproject.yaml', 'argocd/applicationset.yaml',
      'flux/dev-aks.yaml', 'flux/edge-eks.yaml', 'prod-eu-oke/REPORT.md', FLEET_MARKER_FILE]));
  });

  test('the output is byte-identical across runs (Argo CD would show a permanent diff otherwise)', () => {
    const again = join(root, 'again');
    synthInto(again);
    expect(tree(again)).toEqual(tree(out));
    // And a second synth into the same folder replaces it with the same bytes.
    const before = tree(out);
    synthInto(out);
    expect(tree(out)).toEqual(before);
  });

  test('each object is in its stage, with the stage\'s sync wave; CRs skip the dry run their CRD is not there for', () => {
    const namespaces = readYaml(join(out, 'edge-eks/manifests/0-namespaces/resources.yaml'));
    // The sensors' namespace and the routing one.
    expect(namespaces.map((o) => [o.kind, o.metadata.name, o.metadata.annotations?.['argocd.argoproj.io/sync-wave']])).toEqual([
      ['Namespace', 'tetragon', '0'], ['Namespace', 'tetragon-routing', '0'],
    ]);
    const workloads = readYaml(join(out, 'edge-eks/manifests/1-workloads/resources.yaml'));
    expect(new Set(workloads.map((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave']))).toEqual(new Set(['1']));
    expect(workloads.map((o) => o.kind)).toContain('DaemonSet');
    const crs = readYaml(join(out, 'edge-eks/manifests/2-custom-resources/resources.yaml'));
    expect(crs.length).toBeGreaterThan(0);
    for (const cr of crs) {
      expect(cr.apiVersion).toBe('cilium.io/v1alpha1');
      expect(cr.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-wave': '2', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
    }
  });

  test('the ApplicationSet and AppProject are valid Argo CD objects, least privileged', () => {
    const [project] = readYaml(join(out, 'argocd/appproject.yaml'));
    const [appSet] = readYaml(join(out, 'argocd/applicationset.yaml'));
    expect(() => new AppProject(project as never).validate()).not.toThrow();
    expect(() => new ApplicationSet(appSet as never).validate()).not.toThrow();
    expect(project.spec.sourceRepos).toEqual(['https://git.example.com/acme/platform.git']);
    // Only the prod clusters (the generator's selector) and only the namespaces their objects live in (the
    // namespaced TracingPolicies live in the product namespace they watch).
    expect(project.spec.destinations).toEqual([
      { name: 'prod-eu-oke', namespace: 'falco' },
      { name: 'prod-eu-oke', namespace: 'falco-routing' },
      { name: 'prod-us-eks', namespace: 'falco' },
      { name: 'prod-us-eks', namespace: 'falco-routing' },
      { name: 'edge-eks-prod', namespace: 'billing' },
      { name: 'edge-eks-prod', namespace: 'tetragon' },
      { name: 'edge-eks-prod', namespace: 'tetragon-routing' },
    ]);
    const allObjects = ['prod-eu-oke', 'prod-us-eks', 'edge-eks'].flatMap((c) => ['0-namespaces', '1-workloads', '2-custom-resources']
      .flatMap((s) => { try { return readYaml(join(out, c, 'manifests', s, 'resources.yaml')); } catch { return []; } }));
    const kinds = (namespaced: boolean) => [...new Set(allObjects.filter((o) => (o.metadata.namespace !== undefined) === namespaced)
      .map((o) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`))].sort();
    expect(project.spec.clusterResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`).sort()).toEqual(kinds(false));
    expect(project.spec.namespaceResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`).sort()).toEqual(kinds(true));
    expect(project.spec.clusterResourceWhitelist).not.toContainEqual({ group: '*', kind: '*' });

    const generator = appSet.spec.generators[0];
    expect(generator.selector).toEqual({ matchLabels: { environment: 'prod' } });
    expect(generator.list.elements.map((e: Record<string, string>) => [e.dsCluster, e.dsPath, e.dsDestination, e.environment])).toEqual([
      ['prod-eu-oke', 'dist/acme/prod-eu-oke/manifests', 'prod-eu-oke', 'prod'],
      ['prod-us-eks', 'dist/acme/prod-us-eks/manifests', 'prod-us-eks', 'prod'],
      ['dev-aks', 'dist/acme/dev-aks/manifests', 'dev-aks', 'dev'],
      ['edge-eks', 'dist/acme/edge-eks/manifests', 'edge-eks-prod', 'prod'],
    ]);
    expect(appSet.spec.template.spec).toMatchObject({
      project: 'acme',
      source: { repoURL: 'https://git.example.com/acme/platform.git', targetRevision: 'main', path: '{{.dsPath}}', directory: { recurse: true } },
      destination: { name: '{{.dsDestination}}', namespace: '{{.dsNamespace}}' },
    });
  });

  test('Flux gets a Kustomization per cluster and stage, each depending on the one before', () => {
    const edge = readYaml(join(out, 'flux/edge-eks.yaml'));
    for (const k of edge) expect(() => new Kustomization(k as never).validate()).not.toThrow();
    expect(edge.map((k) => [k.metadata.name, k.spec.path, k.spec.dependsOn])).toEqual([
      ['acme-edge-eks-namespaces', './dist/acme/edge-eks/manifests/0-namespaces', undefined],
      ['acme-edge-eks-workloads', './dist/acme/edge-eks/manifests/1-workloads', [{ name: 'acme-edge-eks-namespaces' }]],
      ['acme-edge-eks-custom-resources', './dist/acme/edge-eks/manifests/2-custom-resources', [{ name: 'acme-edge-eks-workloads' }]],
    ]);
    expect(edge.every((k) => k.spec.wait === true && k.spec.prune === true && k.spec.kubeConfig.secretRef.name === 'edge-eks-kubeconfig')).toBe(true);
    const aks = readYaml(join(out, 'flux/dev-aks.yaml'));
    expect(aks.map((k) => k.metadata.name)).toEqual(['acme-dev-aks-namespaces', 'acme-dev-aks-workloads']);
    expect(aks[0].spec.kubeConfig).toBeUndefined();
    expect(aks[0].spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'flux-system' });
  });

  test('each cluster gets the Helm values and Falco Operator resources of its own plan, beside its manifests', () => {
    const fleet = new DetectionFleet(Testing.app(), 'acme', deliveredFleet());
    expect(written.filter((f) => !f.startsWith('argocd/') && /\/(helm|operator)\//.test(f))).toEqual([
      'dev-aks/helm/HELM.md', 'dev-aks/helm/falco-values.yaml', 'dev-aks/helm/falcosidekick-values.yaml', 'dev-aks/operator/OPERATOR.md', 'dev-aks/operator/falco-operator.yaml',
      // The Tetragon-only cluster: the tetragon chart; no Falco for the operator, which OPERATOR.md says.
      'edge-eks/helm/HELM.md', 'edge-eks/helm/tetragon-values.yaml', 'edge-eks/operator/OPERATOR.md',
      'prod-eu-oke/helm/HELM.md', 'prod-eu-oke/helm/falco-values.yaml', 'prod-eu-oke/helm/falcosidekick-values.yaml', 'prod-eu-oke/operator/OPERATOR.md', 'prod-eu-oke/operator/falco-operator.yaml',
      'prod-us-eks/helm/HELM.md', 'prod-us-eks/helm/falco-values.yaml', 'prod-us-eks/helm/falcosidekick-values.yaml', 'prod-us-eks/operator/OPERATOR.md', 'prod-us-eks/operator/falco-operator.yaml',
    ]);
    const us = fleet.plan.clusters.find((c) => c.name === 'prod-us-eks')!.plan;
    const helm = renderHelmFiles(helmDelivery(us));
    expect(readFileSync(join(out, 'prod-us-eks/helm/falco-values.yaml'), 'utf8')).toBe(helm.find((f) => f.name === 'falco-values.yaml')!.text);
    const operator = renderOperatorFiles(operatorDelivery(us));
    expect(readFileSync(join(out, 'prod-us-eks/operator/falco-operator.yaml'), 'utf8')).toBe(operator.find((f) => f.name === 'falco-operator.yaml')!.text);
    // The cluster's override is in its values: minimumPriority ERROR on prod-us-eks only.
    const values = (c: string) => parseAllDocuments(readFileSync(join(out, c, 'helm/falco-values.yaml'), 'utf8'))[0].toJSON();
    expect(values('prod-us-eks').falco.priority).toBe('error');
    expect(values('prod-eu-oke').falco.priority).not.toBe('error');
    expect(readFileSync(join(out, 'edge-eks/operator/OPERATOR.md'), 'utf8')).toContain('| the stack without Falco | the Falco Operator deploys Falco only |');
  });

  test('Argo CD Applications with a Helm source: the pinned chart, the committed values file, after the Namespace', () => {
    expect(written.filter((f) => f.startsWith('argocd/helm/'))).toEqual([
      'argocd/helm/appproject.yaml', 'argocd/helm/edge-eks.yaml', 'argocd/helm/prod-eu-oke.yaml', 'argocd/helm/prod-us-eks.yaml',
    ]);
    const apps = readYaml(join(out, 'argocd/helm/prod-us-eks.yaml'));
    for (const app of apps) expect(() => new Application(app as never).validate()).not.toThrow();
    expect(apps.map((a) => [a.metadata.name, a.metadata.annotations?.['argocd.argoproj.io/sync-wave']])).toEqual([
      ['acme-prod-us-eks-namespace', '0'], ['acme-prod-us-eks-falco', '1'], ['acme-prod-us-eks-falcosidekick', '1'],
    ]);
    // Falcosidekick's release goes to the routing namespace, which the wave-0 Application creates with the sensors'.
    expect(apps[2].spec.destination).toEqual({ name: 'prod-us-eks', namespace: 'falco-routing' });
    expect(apps[2].spec.sources[0]).toMatchObject({ chart: 'falcosidekick', targetRevision: '0.12.1', helm: { releaseName: 'falcosidekick' } });
    expect(apps[0].spec.source).toEqual({ repoURL: 'https://git.example.com/acme/platform.git', targetRevision: 'main', path: 'dist/acme/prod-us-eks/manifests/0-namespaces' });
    expect(apps[1].spec).toMatchObject({
      project: 'acme-helm',
      sources: [
        {
          repoURL: 'https://falcosecurity.github.io/charts',
          chart: 'falco',
          targetRevision: '9.1.0',
          helm: { releaseName: 'falco', valueFiles: ['$values/dist/acme/prod-us-eks/helm/falco-values.yaml'] },
        },
        { repoURL: 'https://git.example.com/acme/platform.git', targetRevision: 'main', ref: 'values' },
      ],
      destination: { name: 'prod-us-eks', namespace: 'falco' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=false'] },
    });
    expect(apps[1].spec.syncPolicy.retry.limit).toBeGreaterThan(0);
    // The values file the Application names is the one the synth wrote for that cluster.
    const file = apps[1].spec.sources[0].helm.valueFiles[0].replace('$values/dist/acme/', '');
    expect(written).toContain(file);
    expect(file).toBe(`prod-us-eks/helm/${valuesFileName(helmDelivery(new DetectionFleet(Testing.app(), 'acme', deliveredFleet()).plan.clusters[1].plan).releases[0])}`);
    const edge = readYaml(join(out, 'argocd/helm/edge-eks.yaml'));
    expect(edge.map((a) => [a.metadata.name, a.spec.sources?.[0].chart, a.spec.sources?.[0].repoURL, a.spec.destination])).toEqual([
      ['acme-edge-eks-namespace', undefined, undefined, { name: 'edge-eks-prod', namespace: 'tetragon' }],
      ['acme-edge-eks-tetragon', 'tetragon', 'https://helm.cilium.io', { name: 'edge-eks-prod', namespace: 'tetragon' }],
    ]);
    const [project] = readYaml(join(out, 'argocd/helm/appproject.yaml'));
    expect(() => new AppProject(project as never).validate()).not.toThrow();
    expect(project.metadata.name).toBe('acme-helm');
    expect(project.spec.sourceRepos).toEqual(['https://git.example.com/acme/platform.git', 'https://falcosecurity.github.io/charts', 'https://helm.cilium.io']);
    expect(project.spec.destinations).toEqual([
      { name: 'prod-eu-oke', namespace: 'falco' }, { name: 'prod-eu-oke', namespace: 'falco-routing' },
      { name: 'prod-us-eks', namespace: 'falco' }, { name: 'prod-us-eks', namespace: 'falco-routing' },
      { name: 'edge-eks-prod', namespace: 'tetragon' },
    ]);
    expect(project.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
    ]);
    expect(project.spec.namespaceResourceWhitelist.map((k: { kind: string }) => k.kind)).toEqual(
      ['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'DaemonSet', 'Deployment', 'Role', 'RoleBinding']);
  });

  test('refuses to write over a folder no fleet wrote', () => {
    const foreign = join(root, 'foreign');
    synthInto(foreign);
    rmSync(join(foreign, FLEET_MARKER_FILE));
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    expect(() => synthInto(foreign)).toThrow(DetectionStackError);
    expect(readFileSync(join(foreign, 'keep.txt'), 'utf8')).toBe('mine');
  });

  test('each cluster\'s Helm delivery is computed once, for its values files and its Argo CD Applications alike', () => {
    const spy = jest.spyOn(releases, 'helmDelivery');
    try {
      const fleet = new DetectionFleet(Testing.app(), 'acme', deliveredFleet());
      fleet.writeTo(join(root, 'once'));
      expect(fleet.plan.delivery?.argocd).toBeDefined();
      expect(spy.mock.calls.map(([plan]) => plan.cluster.name)).toEqual(fleet.plan.clusters.map((c) => c.name));
    } finally {
      spy.mockRestore();
    }
  });
});
