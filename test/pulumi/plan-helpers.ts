import * as fs from 'fs';
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

/** The URN of the one resource of this type and name. */
export function urnOf(plan: OfflinePlan, type: string, name: string): string {
  return resource(plan, type, name).urn;
}

/** What a resource waits for, as `type name` pairs read back from the URNs (sorted), for exact assertions. */
export function dependenciesOf(plan: OfflinePlan, type: string, name: string): string[] {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, `${r.type} ${r.name}`]));
  return (resource(plan, type, name).dependsOn ?? []).map((urn) => byUrn.get(urn) ?? `unknown ${urn}`).sort();
}

export function ofType(plan: OfflinePlan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** A JSON policy document input, parsed. */
export function policyDocument(r: PlannedResource, input = 'policy'): { Statement: Record<string, unknown>[] } {
  return JSON.parse(r.inputs[input] as string);
}

/**
 * The plan without the chart's Kubernetes objects: those are each layer's output, snapshotted by the
 * layers' own tests (and asserted present here); the snapshot pins what this back end adds.
 */
export function cloudSnapshot(plan: OfflinePlan): unknown {
  const groups = new Set(ofType(plan, 'kubernetes:yaml:ConfigGroup').map((g) => g.name));
  return plan.resources
    .filter((r) => !(r.parent !== undefined && groups.has(r.parent)))
    // A ConfigGroup's inputs are the chart's objects themselves, pinned by the layers' own snapshots.
    .map((r) => (groups.has(r.name) ? { ...r, inputs: { objs: '[objects of the DetectionStack chart]' } } : r))
    // The OCI retention lock time is computed from the day the program runs (asserted by its own test).
    .map((r) => JSON.parse(JSON.stringify(r).replace(/"timeRuleLocked":"[^"]+"/g, '"timeRuleLocked":"[creation day + 15]"')));
}

/** `type name` of every resource `pulumi destroy` leaves in the cloud (retainOnDelete), sorted. */
export function retained(plan: OfflinePlan): string[] {
  return plan.resources.filter((r) => r.retainOnDelete).map((r) => `${r.type} ${r.name}`).sort();
}

/** The main README's "Retiring the evidence" paragraph, on one line. */
export function retiringParagraph(): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('**Retiring the evidence.**');
  return readme.slice(start, readme.indexOf('\n\n', start)).replace(/\s+/g, ' ');
}
