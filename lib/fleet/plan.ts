import type { DetectionFleetProps, FleetClusterProps, FleetSharedProps } from './props';
import { DetectionStackError } from '../core/errors';
import type { CloudProvider } from '../core/providers';
import { editDistance } from '../falco/language/fields';
import type { FalcoCustomRule } from '../falco/sensor/props';
import { packRuleNamesByOwner } from '../packs/build';
import type { DetectionPackProps } from '../packs/props';
import type { TeamProps } from '../routing/props';
import { planStack, StackPlan } from '../stack/plan';
import type { DetectionStackProps } from '../stack/props';
import { validateProps } from '../validation/report';
import { DetectionFleetPropsSchema } from '../validation/schemas/fleet';

/** Folder names under `dist/<fleet>/` that belong to the deliveries, so no cluster may be named so. */
export const FLEET_RESERVED_FOLDERS = ['argocd', 'flux'] as const;

/** One cluster of the fleet: its stack definition as resolved from the shared one, and the stack's plan. */
export interface FleetClusterPlan {
  /** Position in `clusters`, as the paths name it. */
  readonly index: number;
  readonly name: string;
  readonly provider: CloudProvider;
  readonly region?: string;
  /** `<fleet>/clusters[<index>]`: the place of this cluster's findings and errors. */
  readonly path: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The shared teams routed in this cluster, in declaration order. */
  readonly teams: readonly string[];
  /** What of the shared definition does not run here, and why it was left out. */
  readonly leftOut: {
    /** Shared teams owning none of the cluster's namespaces. */
    readonly teams: readonly string[];
    /** Custom rules owned by a team that is not routed here. */
    readonly rules: readonly string[];
  };
  /** The prop paths the cluster's overrides set (`sensors.falco.minimumPriority`), sorted. */
  readonly overridden: readonly string[];
  readonly delivery: {
    /** The cluster's name in Argo CD. */
    readonly argocd: { readonly name: string };
    readonly flux: { readonly kubeConfigSecret?: string };
  };
  /** The stack definition this cluster runs: shared, then overrides, then the team selection. */
  readonly stackProps: DetectionStackProps;
  readonly plan: StackPlan;
}

export interface FleetPlan {
  readonly name: string;
  /** The fleet's construct path (or its name): the prefix of every cluster's path. */
  readonly path: string;
  /** Every cluster of the definition, or those `only` selected, in declaration order. */
  readonly clusters: readonly FleetClusterPlan[];
  /** The names of all clusters of the definition (also those not planned under `only`). */
  readonly clusterNames: readonly string[];
  readonly delivery?: FleetDeliveryPlan;
}

/** The deliveries with their defaults resolved. */
export interface FleetDeliveryPlan {
  readonly git: { readonly repoURL: string; readonly revision: string; readonly path: string };
  readonly argocd?: { readonly namespace: string; readonly selector: Readonly<Record<string, string>> };
  readonly flux?: { readonly namespace: string; readonly sourceName: string; readonly interval: string };
}

export interface PlanFleetOptions {
  /**
   * Plan only these clusters (the whole definition is still validated, including across clusters): one
   * Pulumi stack per cluster plans its own cluster alone. @default every cluster
   */
  readonly only?: readonly string[];
}

/**
 * Validates a fleet definition and resolves it into one stack plan per cluster. Pure: no constructs, no I/O.
 * The fleet's shape and its cross-cluster rules are checked once, before any cluster is planned.
 */
export function planFleet(props: DetectionFleetProps, path?: string, options: PlanFleetOptions = {}): FleetPlan {
  const where = path ?? (typeof (props as { name?: unknown } | undefined)?.name === 'string' ? props.name : 'DetectionFleet');
  validateProps(DetectionFleetPropsSchema, props, where);
  checkClusterNames(props.clusters, where);
  const clusterNames = props.clusters.map((c) => c.name);
  const selected = selectClusters(props.clusters, options.only, where);
  const clusters = selected.map((index) => planCluster(props, index, where));
  return { name: props.name, path: where, clusters, clusterNames, delivery: deliveryPlan(props) };
}

/**
 * The stack definition one cluster of the fleet runs, for a back end that builds a single stack (a Pulumi
 * stack per cluster): the whole fleet is validated, only this cluster is planned.
 */
export function fleetClusterPlan(props: DetectionFleetProps, cluster: string, path?: string): FleetClusterPlan {
  return planFleet(props, path, { only: [cluster] }).clusters[0];
}

function checkClusterNames(clusters: readonly FleetClusterProps[], where: string): void {
  const first = new Map<string, number>();
  clusters.forEach((cluster, i) => {
    const reserved = (FLEET_RESERVED_FOLDERS as readonly string[]).includes(cluster.name);
    if (reserved) {
      throw new DetectionStackError('DS-FLEET-004', `${where}/clusters[${i}].name`,
        `'${cluster.name}' is the folder of the ${cluster.name === 'flux' ? 'Flux' : 'Argo CD'} objects in the fleet's output`,
        `name the cluster otherwise (reserved: ${FLEET_RESERVED_FOLDERS.join(', ')})`);
    }
    const earlier = first.get(cluster.name);
    if (earlier !== undefined) {
      throw new DetectionStackError('DS-FLEET-001', `${where}/clusters[${i}].name`,
        `cluster '${cluster.name}' is declared twice (first as clusters[${earlier}]): each cluster gets its own folder and Argo CD Application`,
        'give every cluster a unique name, or merge the two entries');
    }
    first.set(cluster.name, i);
  });
}

function selectClusters(clusters: readonly FleetClusterProps[], only: readonly string[] | undefined, where: string): number[] {
  if (only === undefined) return clusters.map((_, i) => i);
  return only.map((name) => {
    const index = clusters.findIndex((c) => c.name === name);
    if (index < 0) {
      const names = clusters.map((c) => c.name);
      throw new DetectionStackError('DS-FLEET-005', `${where}/clusters`, `the fleet has no cluster '${name}'${didYouMean(name, names)}`,
        `select one of ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    return index;
  });
}

function planCluster(props: DetectionFleetProps, index: number, fleetPath: string): FleetClusterPlan {
  const cluster = props.clusters[index];
  const path = `${fleetPath}/clusters[${index}]`;
  const merged = mergeOverrides(props.shared ?? {}, cluster.overrides);
  const selection = selectTeams(merged, cluster, path);
  const stackProps: DetectionStackProps = {
    ...selection.props,
    cluster: {
      name: cluster.name,
      provider: cluster.provider,
      ...(cluster.region !== undefined ? { region: cluster.region } : {}),
      ...(cluster.ipFamily !== undefined ? { ipFamily: cluster.ipFamily } : {}),
    },
  };
  let plan: StackPlan;
  try {
    plan = planStack(stackProps, path);
  } catch (e) {
    if (e instanceof DetectionStackError) throw withOrigin(e, path, cluster);
    throw e;
  }
  return {
    index,
    name: cluster.name,
    provider: cluster.provider,
    region: cluster.region,
    path,
    labels: { ...(cluster.labels ?? {}) },
    teams: selection.teams,
    leftOut: { teams: selection.leftOutTeams, rules: selection.leftOutRules },
    overridden: leafPaths(cluster.overrides ?? {}, '').sort(),
    delivery: {
      argocd: { name: cluster.delivery?.argocd?.destinationName ?? cluster.name },
      flux: { ...(cluster.delivery?.flux?.kubeConfigSecret !== undefined ? { kubeConfigSecret: cluster.delivery.flux.kubeConfigSecret } : {}) },
    },
    stackProps,
    plan,
  };
}

interface TeamSelection {
  readonly props: FleetSharedProps;
  readonly teams: string[];
  readonly leftOutTeams: string[];
  readonly leftOutRules: string[];
}

/**
 * The shared teams routed in a cluster, each narrowed to the namespaces of its own that run there; the rules
 * owned by the teams left out stay out too (no team would answer their alerts here).
 */
function selectTeams(merged: FleetSharedProps, cluster: FleetClusterProps, path: string): TeamSelection {
  const declared: readonly TeamProps[] = merged.routing?.teams ?? [];
  const present = cluster.namespaces ? new Set(cluster.namespaces) : undefined;
  const ownedHere = (team: TeamProps) => (present ? team.namespaces.filter((ns) => present.has(ns)) : [...team.namespaces]);
  let routed: TeamProps[];
  if (cluster.teams) {
    const names = declared.map((t) => t.name);
    routed = cluster.teams.map((name, i) => {
      const team = declared.find((t) => t.name === name);
      if (!team) {
        throw new DetectionStackError('DS-FLEET-002', `${path}.teams[${i}]`, `'${name}' is not a team of the fleet${didYouMean(name, names)}`,
          names.length > 0 ? `use one of ${names.map((n) => `'${n}'`).join(', ')}` : 'declare the team in shared.routing.teams');
      }
      if (ownedHere(team).length === 0) {
        throw new DetectionStackError('DS-FLEET-003', `${path}.teams[${i}]`,
          `team '${name}' is routed in cluster '${cluster.name}', where it owns no namespace (it owns ${team.namespaces.join(', ')}; the cluster runs ${[...(present ?? [])].join(', ')})`,
          `add the team's namespace to clusters[].namespaces, or remove '${name}' from clusters[].teams`);
      }
      return team;
    });
  } else {
    routed = declared.filter((team) => ownedHere(team).length > 0);
  }
  const routedNames = new Set(routed.map((t) => t.name));
  const leftOutTeams = declared.filter((t) => !routedNames.has(t.name)).map((t) => t.name);
  if (leftOutTeams.length === 0 && !present) {
    return { props: merged, teams: routed.map((t) => t.name), leftOutTeams, leftOutRules: [] };
  }
  const leftOut = new Set(leftOutTeams);
  const keptRules: FalcoCustomRule[] = [];
  const leftOutRules: string[] = [];
  for (const rule of merged.sensors?.falco?.customRules ?? []) {
    if (typeof rule.owner === 'string' && leftOut.has(rule.owner)) leftOutRules.push(rule.rule.name);
    else keptRules.push(rule);
  }
  const packs = merged.packs && packsWithout(merged.packs, leftOut);
  if (packs) leftOutRules.push(...packs.leftOutRules);
  const routing = merged.routing && { ...merged.routing, teams: routed.map((team) => ({ ...team, namespaces: ownedHere(team) })) };
  const falco = merged.sensors?.falco && (keptRules.length < (merged.sensors.falco.customRules ?? []).length
    ? { ...merged.sensors.falco, customRules: keptRules } : merged.sensors.falco);
  const sensors = merged.sensors && { ...merged.sensors, ...(falco ? { falco } : {}) };
  return {
    props: { ...merged, ...(routing ? { routing } : {}), ...(sensors ? { sensors } : {}), ...(packs ? { packs: packs.props } : {}) },
    teams: routed.map((t) => t.name),
    leftOutTeams,
    leftOutRules,
  };
}

/**
 * The packs without the rules of the teams not routed in a cluster (`excludeOwners`, added to the definition's
 * own), and the Falco names of the rules that leaves out. Only teams that own pack rules are excluded.
 */
function packsWithout(packs: DetectionPackProps, leftOut: ReadonlySet<string>): { props: DetectionPackProps; leftOutRules: string[] } {
  const byOwner = packRuleNamesByOwner(packs);
  const already = new Set(packs.excludeOwners ?? []);
  const teams = [...leftOut].filter((team) => byOwner.has(team) && !already.has(team));
  if (teams.length === 0) return { props: packs, leftOutRules: [] };
  return {
    props: { ...packs, excludeOwners: [...(packs.excludeOwners ?? []), ...teams] },
    leftOutRules: teams.flatMap((team) => byOwner.get(team) ?? []),
  };
}

/**
 * The shared definition with a cluster's overrides applied: plain objects merge key by key, anything else
 * (lists, strings, numbers) replaces, and an own key whose value is `undefined` removes the shared value.
 */
export function mergeOverrides<T extends object>(shared: T, overrides: T | undefined): T {
  if (overrides === undefined) return shared;
  return mergeValue(shared, overrides) as T;
}

function mergeValue(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) delete result[key];
    else result[key] = key in base ? mergeValue(base[key], value) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `a.b.c` for every leaf (a list, a scalar, or a removal) of an overrides object. */
function leafPaths(value: unknown, prefix: string): string[] {
  if (!isPlainObject(value) || (Object.keys(value).length === 0 && prefix)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

/**
 * A cluster's error with where its value came from: the cluster's overrides or the shared definition (the
 * place a user edits), keeping the cluster's path so the cluster is named.
 */
function withOrigin(e: DetectionStackError, path: string, cluster: FleetClusterProps): DetectionStackError {
  if (!e.where.startsWith(`${path}/`)) return e;
  const propPath = e.where.slice(path.length + 1);
  const origin = cluster.overrides && definedIn(cluster.overrides, propPath) ? `clusters[${path.slice(path.lastIndexOf('[') + 1, -1)}].overrides` : 'shared';
  if (propPath.startsWith('cluster')) return e;
  return new DetectionStackError(e.code, e.where, `${e.problem} (cluster '${cluster.name}'; set in ${origin}.${propPath})`, e.fix);
}

/** Whether the first segments of a prop path (up to the first list) are set in an overrides object. */
function definedIn(overrides: object, propPath: string): boolean {
  let node: unknown = overrides;
  for (const segment of propPath.split(/[.[]/)) {
    if (!isPlainObject(node)) return true;
    const key = segment.replace(/\]$/, '').replace(/^'(.*)'$/, '$1');
    if (!(key in node)) return false;
    node = node[key];
    if (Array.isArray(node)) return true;
  }
  return true;
}

function deliveryPlan(props: DetectionFleetProps): FleetDeliveryPlan | undefined {
  const delivery = props.delivery;
  if (!delivery) return undefined;
  return {
    git: { repoURL: delivery.git.repoURL, revision: delivery.git.revision ?? 'main', path: delivery.git.path.replace(/\/+$/, '') },
    argocd: delivery.argocd?.disabled ? undefined : {
      namespace: delivery.argocd?.namespace ?? 'argocd',
      selector: { ...(delivery.argocd?.selector ?? {}) },
    },
    flux: delivery.flux?.disabled ? undefined : {
      namespace: delivery.flux?.namespace ?? 'flux-system',
      sourceName: delivery.flux?.sourceName ?? 'flux-system',
      interval: delivery.flux?.interval ?? '10m',
    },
  };
}

function didYouMean(name: string, candidates: readonly string[]): string {
  const close = candidates
    .map((candidate) => ({ candidate, distance: editDistance(candidate, name) }))
    .filter((c) => c.distance <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.distance - b.distance);
  return close.length > 0 ? ` (did you mean '${close[0].candidate}'?)` : '';
}
