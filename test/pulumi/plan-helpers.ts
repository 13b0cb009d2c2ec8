import * as path from 'path';
import type { OfflinePlan, PlannedResource } from '../../lib/pulumi/offline-plan';

export const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The one resource of this type and name; fails loudly when it is missing or ambiguous. */
export function resource(plan: OfflinePlan, type: string, name: string): PlannedResource {
  const found = plan.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type} named ${name}, found ${found.length}; have: ${plan.resources.map((r) => `${r.type} ${r.name}`).join('\n')}`);
  }
  return found[0];
}

export function ofType(plan: OfflinePlan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** A JSON policy document input, parsed. */
export function policyDocument(r: PlannedResource, input = 'policy'): { Statement: Record<string, unknown>[] } {
  return JSON.parse(r.inputs[input] as string);
}

/**
 * The plan without the Kubernetes objects' bodies: those are the chart's output, snapshotted by the
 * chart's own tests; here only their type and name are pinned, so the snapshot covers the cloud side.
 */
export function cloudSnapshot(plan: OfflinePlan): unknown {
  return plan.resources.map((r) => (r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:core/v1:Secret'
    ? { type: r.type, name: r.name, parent: r.parent }
    : r));
}
