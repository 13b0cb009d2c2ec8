// Pure helpers over synthesized Kubernetes objects (no Pulumi import: Outputs are opaque values here).
import type { Chart } from 'cdk8s';
import { DetectionStackError } from '../core/errors';
import { IMAGE_PINS } from '../core/images';
import { TETRAGON_API_VERSION, TRACING_POLICY_KINDS } from '../tetragon/vocabulary';

/** A Kubernetes object as the chart synthesizes it. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Sets one field of one synthesized object to a value known only at deployment (a Pulumi Output). */
export interface ObjectFieldBinding {
  readonly kind: string;
  readonly name: string;
  /** Path of the field from the object root, e.g. `['metadata', 'annotations', 'azure.workload.identity/client-id']`. */
  readonly path: readonly string[];
  /** The value (typically `pulumi.Input<string>`). */
  readonly value: unknown;
}

/** The chart's objects as plain JSON, exactly what `cdk8s synth` writes. */
export function chartObjects(chart: Chart): KubernetesObject[] {
  return chart.toJson() as KubernetesObject[];
}

/** Copies the objects with each binding's field set; a binding that hits no object is an error. */
export function applyBindings(objects: readonly KubernetesObject[], bindings: readonly ObjectFieldBinding[], where: string): KubernetesObject[] {
  const copies = objects.map((o) => structuredClone(o) as Record<string, unknown>);
  bindings.forEach((b, i) => {
    const target = copies.find((o) => o.kind === b.kind && (o.metadata as { name?: string } | undefined)?.name === b.name);
    if (!target) {
      throw new DetectionStackError('DS-PULUMI-002', `${where}/bindings[${i}]`,
        `no ${b.kind} named '${b.name}' in the synthesized stack`,
        `bind only objects the chart synthesizes: ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
    }
    if (b.path.length === 0) {
      throw new DetectionStackError('DS-PULUMI-002', `${where}/bindings[${i}].path`, 'the path is empty', 'name the field, e.g. metadata.annotations.<key>');
    }
    let node: Record<string, unknown> = target;
    for (const key of b.path.slice(0, -1)) {
      if (node[key] === undefined) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[b.path[b.path.length - 1]] = b.value;
  });
  return copies as KubernetesObject[];
}

/**
 * The CRD files of the pinned Tetragon release (install/kubernetes/tetragon/crds-yaml/ at the version
 * the chart deploys), for the TracingPolicies the stack applies. PodInfo is left out: the operator
 * runs with skip-pod-info-crd.
 */
export const TETRAGON_CRD_FILES: readonly string[] = ['cilium.io_tracingpolicies.yaml', 'cilium.io_tracingpoliciesnamespaced.yaml']
  .map((file) => `https://raw.githubusercontent.com/cilium/tetragon/${IMAGE_PINS.tetragon.version}/install/kubernetes/tetragon/crds-yaml/${file}`);

/**
 * Namespaces (created first), Tetragon's custom resources (created after their CRDs), and the rest.
 */
export function splitObjects(objects: readonly KubernetesObject[]): {
  namespaces: KubernetesObject[]; customResources: KubernetesObject[]; rest: KubernetesObject[];
} {
  const isCustom = (o: KubernetesObject) => o.apiVersion === TETRAGON_API_VERSION && (TRACING_POLICY_KINDS as readonly string[]).includes(o.kind);
  return {
    namespaces: objects.filter((o) => o.kind === 'Namespace'),
    customResources: objects.filter(isCustom),
    rest: objects.filter((o) => o.kind !== 'Namespace' && !isCustom(o)),
  };
}
