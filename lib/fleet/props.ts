import type { ClusterProps, DetectionStackProps } from '../stack/props';

/**
 * What every cluster of a fleet shares: a whole stack definition without its cluster (teams, packs, rules,
 * routes, durable storage, audit, monitoring, suppressions).
 */
export type FleetSharedProps = Omit<DetectionStackProps, 'cluster'>;

/** How the GitOps engines reach one cluster of the fleet. */
export interface FleetClusterDeliveryProps {
  /** The cluster's name as registered in Argo CD (the Applications' `destination.name`). @default the cluster's name */
  readonly argocd?: { readonly destinationName?: string };
  /**
   * Flux on a management cluster applies to this cluster with the kubeconfig in this Secret (in the Flux
   * namespace, key `value`). @default none: the cluster's own Flux applies `flux/<cluster>.yaml`
   */
  readonly flux?: { readonly kubeConfigSecret?: string };
}

/** One cluster of a fleet: where it runs, how it is labelled, and what it changes of the shared definition. */
export interface FleetClusterProps extends ClusterProps {
  /**
   * Labels (environment, tier, ...): the Argo CD generator's selector picks clusters by them, and the report
   * groups by them. Keys and values follow Kubernetes label rules. @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The product namespaces that run in this cluster. Each shared team is routed here only for the namespaces
   * of its own that are listed, and a team owning none of them is not routed here (nor are the rules it owns).
   * @default every namespace of the shared teams
   */
  readonly namespaces?: readonly string[];
  /**
   * The shared teams routed in this cluster, by name; each must own one of the cluster's namespaces.
   * @default every shared team that owns one of the cluster's namespaces
   */
  readonly teams?: readonly string[];
  /**
   * Changes to the shared definition for this cluster: objects are merged key by key, lists and values
   * replace the shared ones, and a key set to `undefined` removes the shared value. @default none
   */
  readonly overrides?: FleetSharedProps;
  /** How Argo CD and Flux reach this cluster. @default the cluster's name in Argo CD, its own Flux */
  readonly delivery?: FleetClusterDeliveryProps;
}

/** The git repository the synthesized fleet is committed to, which the GitOps engines read. */
export interface FleetGitProps {
  /** Repository URL as the engines fetch it (`https://...` or `ssh://...`, no credentials in it). */
  readonly repoURL: string;
  /** Branch, tag or commit. @default 'main' */
  readonly revision?: string;
  /** The folder of the synthesized fleet in the repository (what `npm run synth` writes as `dist/<fleet>`). */
  readonly path: string;
}

/** The GitOps deliveries of a fleet: an Argo CD ApplicationSet and AppProject, Flux Kustomizations. */
export interface FleetDeliveryProps {
  readonly git: FleetGitProps;
  /** Argo CD objects (`argocd/`). @default rendered, in namespace 'argocd' */
  readonly argocd?: {
    /** Argo CD's namespace. @default 'argocd' */
    readonly namespace?: string;
    /** Only clusters whose labels match these get the stack (the ApplicationSet generator's selector). @default every cluster */
    readonly selector?: Readonly<Record<string, string>>;
    /** Leave the Argo CD objects out. @default false */
    readonly disabled?: boolean;
  };
  /** Flux Kustomizations (`flux/<cluster>.yaml`). @default rendered, in namespace 'flux-system' */
  readonly flux?: {
    /** Flux's namespace. @default 'flux-system' */
    readonly namespace?: string;
    /** The GitRepository that holds `git.repoURL`. @default 'flux-system' (what `flux bootstrap` creates) */
    readonly sourceName?: string;
    /** How often Flux reconciles, a Go duration. @default '10m' */
    readonly interval?: string;
    /** Leave the Flux objects out. @default false */
    readonly disabled?: boolean;
  };
}

/** One detection stack definition for many clusters, rendered per cluster. */
export interface DetectionFleetProps {
  /** The fleet's name, a DNS label: it names the Argo CD and Flux objects and heads the report. */
  readonly name: string;
  /** The definition every cluster shares. @default a Falco sensor with defaults, as a stack's */
  readonly shared?: FleetSharedProps;
  /** The clusters, each with a unique name. */
  readonly clusters: readonly FleetClusterProps[];
  /** The GitOps deliveries. @default none: only the per-cluster folders and the report */
  readonly delivery?: FleetDeliveryProps;
}
