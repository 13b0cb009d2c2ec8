// The GitOps engines' objects for a fleet: an Argo CD AppProject and ApplicationSet over the per-cluster
// folders, and Flux Kustomizations per cluster and stage. Pure renderers of the fleet plan and of what each
// cluster's manifests contain; they decide nothing about the stack.
import { apiGroupOf, Manifest, SYNC_STAGES, SyncStage, stageFolder, syncAnnotations } from './stages';
import type { FleetClusterPlan, FleetDeliveryPlan, FleetPlan } from '../fleet/plan';
import type { HelmReleasePlan } from '../helm/model';
import { valuesFileName } from '../helm/releases';

/** What the engines need to know of one cluster's rendered manifests. */
export interface RenderedCluster {
  readonly cluster: FleetClusterPlan;
  /** The stages with objects, in order. */
  readonly stages: readonly SyncStage[];
  /** Every kind the cluster's objects have, namespaced or cluster-scoped. */
  readonly kinds: readonly ResourceKind[];
  /** The namespaces the cluster's namespaced objects live in. */
  readonly namespaces: readonly string[];
}

export interface ResourceKind {
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** The kinds and namespaces of a cluster's objects, sorted. */
export function renderedCluster(cluster: FleetClusterPlan, stages: readonly SyncStage[], manifests: readonly Manifest[]): RenderedCluster {
  const kinds = new Map<string, ResourceKind>();
  const namespaces = new Set<string>();
  for (const m of manifests) {
    const namespaced = m.metadata.namespace !== undefined;
    const kind = { group: apiGroupOf(m.apiVersion), kind: m.kind, namespaced };
    kinds.set(`${kind.group}/${kind.kind}/${namespaced}`, kind);
    if (m.metadata.namespace !== undefined) namespaces.add(m.metadata.namespace);
  }
  return { cluster, stages, kinds: sortKinds([...kinds.values()]), namespaces: [...namespaces].sort() };
}

/** `<git path>/<cluster>/manifests`: the folder Argo CD syncs for a cluster. */
export function clusterManifestsPath(delivery: FleetDeliveryPlan, cluster: string): string {
  return `${delivery.git.path}/${cluster}/manifests`;
}

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'detection-stack', 'app.kubernetes.io/part-of': 'detection-stack' };

/**
 * The AppProject: only the fleet's repository as source, only the clusters and namespaces the stacks use as
 * destinations, only the kinds the stacks render (cluster-scoped ones listed one by one; Argo CD refuses
 * every cluster-scoped kind not listed).
 */
export function argoCdProject(fleet: FleetPlan, delivery: FleetDeliveryPlan, clusters: readonly RenderedCluster[]): Manifest {
  const all = clusters.flatMap((c) => c.kinds);
  const unique = (kinds: readonly ResourceKind[]) => sortKinds([...new Map(kinds.map((k) => [`${k.group}/${k.kind}`, k])).values()])
    .map((k) => ({ group: k.group, kind: k.kind }));
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: fleet.name, namespace: delivery.argocd!.namespace, labels: MANAGED_BY },
    spec: {
      description: `detection-stack fleet ${fleet.name}: the runtime-detection stack of ${clusters.length} cluster(s)`,
      sourceRepos: [delivery.git.repoURL],
      destinations: clusters.flatMap((c) => c.namespaces.map((namespace) => ({ name: c.cluster.delivery.argocd.name, namespace }))),
      clusterResourceWhitelist: unique(all.filter((k) => !k.namespaced)),
      namespaceResourceWhitelist: unique(all.filter((k) => k.namespaced)),
    },
  };
}

/** Keys of the generator's parameters; a cluster's labels sit beside them (the post selector matches on those). */
const PARAM = { cluster: 'dsCluster', path: 'dsPath', destination: 'dsDestination', namespace: 'dsNamespace' } as const;

/**
 * The ApplicationSet: a list generator with one element per cluster (its labels as parameters, so the
 * generator's selector picks clusters by label), one Application per cluster syncing its folder, waves
 * included (each object carries its stage's sync wave).
 */
export function argoCdApplicationSet(fleet: FleetPlan, delivery: FleetDeliveryPlan, clusters: readonly RenderedCluster[]): Manifest {
  const argocd = delivery.argocd!;
  const elements = clusters.map((c) => ({
    ...c.cluster.labels,
    [PARAM.cluster]: c.cluster.name,
    [PARAM.path]: clusterManifestsPath(delivery, c.cluster.name),
    [PARAM.destination]: c.cluster.delivery.argocd.name,
    [PARAM.namespace]: c.cluster.plan.namespace,
  }));
  const selector = Object.keys(argocd.selector).length > 0 ? { selector: { matchLabels: argocd.selector } } : {};
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: fleet.name, namespace: argocd.namespace, labels: MANAGED_BY },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements }, ...selector }],
      template: {
        metadata: {
          name: `${fleet.name}-{{.${PARAM.cluster}}}`,
          labels: { ...MANAGED_BY, 'detection-stack/fleet': fleet.name, 'detection-stack/cluster': `{{.${PARAM.cluster}}}` },
        },
        spec: {
          project: fleet.name,
          source: { repoURL: delivery.git.repoURL, targetRevision: delivery.git.revision, path: `{{.${PARAM.path}}}`, directory: { recurse: true } },
          destination: { name: `{{.${PARAM.destination}}}`, namespace: `{{.${PARAM.namespace}}}` },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            // The stack renders its own Namespace (with its Pod Security labels) in the first wave.
            syncOptions: ['CreateNamespace=false', 'PruneLast=true'],
          },
        },
      },
      // Deleting the ApplicationSet must not delete the sensors of every cluster at once.
      syncPolicy: { preserveResourcesOnDeletion: true },
    },
  };
}

/**
 * A cluster's Flux Kustomizations, one per stage, each waiting for the previous one to be ready (`dependsOn`
 * with `wait`), so namespaces precede workloads and workloads (Tetragon registers its CRDs) precede CRs.
 */
export function fluxKustomizations(fleet: FleetPlan, delivery: FleetDeliveryPlan, cluster: RenderedCluster): Manifest[] {
  const flux = delivery.flux!;
  const name = (stage: SyncStage) => `${fleet.name}-${cluster.cluster.name}-${stage.name}`;
  const kubeConfig = cluster.cluster.delivery.flux.kubeConfigSecret;
  return cluster.stages.map((stage, i) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: name(stage), namespace: flux.namespace, labels: { ...MANAGED_BY, 'detection-stack/fleet': fleet.name, 'detection-stack/cluster': cluster.cluster.name } },
    spec: {
      interval: flux.interval,
      path: `./${delivery.git.path}/${cluster.cluster.name}/manifests/${stageFolder(stage)}`,
      prune: true,
      wait: true,
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name: flux.sourceName },
      ...(i > 0 ? { dependsOn: [{ name: name(cluster.stages[i - 1]) }] } : {}),
      ...(kubeConfig ? { kubeConfig: { secretRef: { name: kubeConfig } } } : {}),
    },
  }));
}

/** `<git path>/<cluster>/helm`: where a cluster's values files are committed (the synth writes them there). */
export function clusterHelmPath(delivery: FleetDeliveryPlan, cluster: string): string {
  return `${delivery.git.path}/${cluster}/helm`;
}

/**
 * What the official charts render with the values the stack writes, by kind, read from their templates at the pinned
 * tags: falcosecurity/charts falco-9.1.0 `charts/falco/templates/` (DaemonSet, ConfigMap, Service, ServiceAccount,
 * Secret; `rbac.create: false` leaves out its Role), falcosidekick-0.12.1 `charts/falcosidekick/templates/`
 * (Deployment, Service, ServiceAccount, Secret, and in `rbac.yaml` a Role, RoleBinding, ClusterRole and
 * ClusterRoleBinding) and cilium/tetragon v1.7.0 `install/kubernetes/tetragon/templates/` (the agent DaemonSet, the
 * operator Deployment, ConfigMaps, Services, ServiceAccounts, Roles, RoleBindings, ClusterRoles, ClusterRoleBindings).
 */
export const HELM_CHART_KINDS: { readonly namespaced: readonly ResourceKind[]; readonly cluster: readonly ResourceKind[] } = {
  namespaced: [
    ...['ConfigMap', 'Secret', 'Service', 'ServiceAccount'].map((kind) => ({ group: '', kind, namespaced: true })),
    ...['DaemonSet', 'Deployment'].map((kind) => ({ group: 'apps', kind, namespaced: true })),
    ...['Role', 'RoleBinding'].map((kind) => ({ group: 'rbac.authorization.k8s.io', kind, namespaced: true })),
  ],
  cluster: ['ClusterRole', 'ClusterRoleBinding'].map((kind) => ({ group: 'rbac.authorization.k8s.io', kind, namespaced: false })),
};

/** The name of the AppProject of the Helm-source Applications: the fleet's, suffixed. */
export function helmProjectName(fleet: FleetPlan): string {
  return `${fleet.name}-helm`;
}

/**
 * The AppProject of the Helm-source Applications: the chart repositories and the fleet's repository (for the values
 * files and the Namespace) as sources, the clusters' stack namespaces as destinations, and only the kinds the charts
 * render with these values (HELM_CHART_KINDS) plus the Namespace.
 */
export function argoCdHelmProject(fleet: FleetPlan, delivery: FleetDeliveryPlan, clusters: readonly ClusterReleases[]): Manifest {
  const repos = [...new Set(clusters.flatMap((c) => c.releases.map((r) => r.chart.repository)))].sort();
  const strip = (kinds: readonly ResourceKind[]) => sortKinds([...kinds]).map((k) => ({ group: k.group, kind: k.kind }));
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: helmProjectName(fleet), namespace: delivery.argocd!.namespace, labels: MANAGED_BY },
    spec: {
      description: `detection-stack fleet ${fleet.name}: the official charts with the stack's values on ${clusters.length} cluster(s)`,
      sourceRepos: [delivery.git.repoURL, ...repos],
      destinations: clusters.flatMap((c) => [...new Set([c.cluster.plan.namespace, ...c.releases.map((r) => r.namespace)])]
        .map((namespace) => ({ name: c.cluster.delivery.argocd.name, namespace }))),
      clusterResourceWhitelist: strip([{ group: '', kind: 'Namespace', namespaced: false }, ...HELM_CHART_KINDS.cluster]),
      namespaceResourceWhitelist: strip(HELM_CHART_KINDS.namespaced),
    },
  };
}

/** A cluster's official-chart releases, as the Helm delivery planned them. */
export interface ClusterReleases {
  readonly cluster: FleetClusterPlan;
  readonly releases: readonly HelmReleasePlan[];
}

/**
 * A cluster's Applications with a Helm source: first (wave 0) its Namespace from the cluster's
 * `manifests/0-namespaces/` folder (no chart creates it with its Pod Security labels), then one Application per
 * official-chart release (wave 1): the chart at its pinned version from its repository, with the values file committed
 * beside the manifests (a second source, `ref: values`). Each Application retries, so applied all at once the charts
 * sync once the Namespace exists; from an app of apps, the waves order them.
 */
export function argoCdHelmApplications(fleet: FleetPlan, delivery: FleetDeliveryPlan, cluster: ClusterReleases): Manifest[] {
  const c = cluster.cluster;
  const app = (suffix: string, stage: SyncStage, namespace: string, spec: Record<string, unknown>): Manifest => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `${fleet.name}-${c.name}-${suffix}`,
      namespace: delivery.argocd!.namespace,
      labels: { ...MANAGED_BY, 'detection-stack/fleet': fleet.name, 'detection-stack/cluster': c.name },
      annotations: { 'argocd.argoproj.io/sync-wave': syncAnnotations(stage)['argocd.argoproj.io/sync-wave'] },
    },
    spec: {
      project: helmProjectName(fleet),
      ...spec,
      destination: { name: c.delivery.argocd.name, namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=false'],
        retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
      },
    },
  });
  return [
    app('namespace', SYNC_STAGES[0], c.plan.namespace, {
      source: {
        repoURL: delivery.git.repoURL,
        targetRevision: delivery.git.revision,
        path: `${clusterManifestsPath(delivery, c.name)}/${stageFolder(SYNC_STAGES[0])}`,
      },
    }),
    ...cluster.releases.map((release) => app(release.releaseName, SYNC_STAGES[1], release.namespace, {
      sources: [
        {
          repoURL: release.chart.repository,
          chart: release.chart.name,
          targetRevision: release.chart.version,
          helm: { releaseName: release.releaseName, valueFiles: [`$values/${clusterHelmPath(delivery, c.name)}/${valuesFileName(release)}`] },
        },
        { repoURL: delivery.git.repoURL, targetRevision: delivery.git.revision, ref: 'values' },
      ],
    })),
  ];
}

function sortKinds(kinds: ResourceKind[]): ResourceKind[] {
  return kinds.sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind) || Number(a.namespaced) - Number(b.namespaced));
}
