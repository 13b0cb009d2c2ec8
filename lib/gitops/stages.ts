// The order a cluster's objects are applied in by a GitOps engine: namespaces (and CRDs) first, then the
// workloads, then the custom resources whose definitions a workload or an operator installs at run time
// (Tetragon's agent registers its TracingPolicy CRDs when it starts; prometheus-operator owns PodMonitor).

/** A Kubernetes object as the renderers write it. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

export interface SyncStage {
  /** Argo CD sync wave (applied in increasing order, each wave healthy before the next). */
  readonly wave: number;
  /** Folder under `<cluster>/manifests/`, and the suffix of the stage's Flux Kustomization. */
  readonly name: 'namespaces' | 'workloads' | 'custom-resources';
  /** Custom resources whose definition may not exist yet at dry-run time. */
  readonly missingDefinitionExpected: boolean;
}

export const SYNC_STAGES: readonly SyncStage[] = [
  { wave: 0, name: 'namespaces', missingDefinitionExpected: false },
  { wave: 1, name: 'workloads', missingDefinitionExpected: false },
  { wave: 2, name: 'custom-resources', missingDefinitionExpected: true },
];

/** API groups served by every Kubernetes API server (kubernetes/api, the groups of `k8s.io/api`). */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'policy', 'autoscaling', 'events.k8s.io', 'rbac.authorization.k8s.io', 'networking.k8s.io',
  'storage.k8s.io', 'scheduling.k8s.io', 'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'coordination.k8s.io',
  'node.k8s.io', 'discovery.k8s.io', 'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io',
]);

/** The API group of an apiVersion (`apps/v1` is `apps`, `v1` is the core group ''). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function stageOf(manifest: Manifest): SyncStage {
  const group = apiGroupOf(manifest.apiVersion);
  if ((group === '' && manifest.kind === 'Namespace') || (group === 'apiextensions.k8s.io' && manifest.kind === 'CustomResourceDefinition')) {
    return SYNC_STAGES[0];
  }
  return BUILT_IN_GROUPS.has(group) ? SYNC_STAGES[1] : SYNC_STAGES[2];
}

/** Argo CD's annotations for the object's stage: its sync wave, and a skipped dry run for a CR whose CRD comes later. */
export function syncAnnotations(stage: SyncStage): Record<string, string> {
  return {
    'argocd.argoproj.io/sync-wave': String(stage.wave),
    ...(stage.missingDefinitionExpected ? { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } : {}),
  };
}

/** The objects grouped by stage, in stage order, empty stages left out; each object carries its stage's annotations. */
export function stagedManifests(manifests: readonly Manifest[]): { readonly stage: SyncStage; readonly manifests: readonly Manifest[] }[] {
  return SYNC_STAGES.map((stage) => ({
    stage,
    manifests: manifests.filter((m) => stageOf(m) === stage).map((m) => ({
      ...m,
      metadata: { ...m.metadata, annotations: { ...(m.metadata.annotations ?? {}), ...syncAnnotations(stage) } },
    })),
  })).filter((s) => s.manifests.length > 0);
}

/** `<wave>-<name>`: the stage's folder under `<cluster>/manifests/`. */
export function stageFolder(stage: SyncStage): string {
  return `${stage.wave}-${stage.name}`;
}
