import * as path from 'path';
import { fleetProps } from '../../examples/fleet/fleet';
import { fleetClusterPlan } from '../../lib/fleet/plan';
import type { OfflinePlan, OfflinePlanOptions } from '../../lib/pulumi/offline-plan';
import { EXAMPLES, ofType, resource } from '../pulumi/plan-helpers';

// GIVEN the fleet's one Pulumi program WHEN each cluster's stack runs under Pulumi's mocks THEN the stack's config
// selects the cluster: its provider's component, its own bucket, the teams routed there, nothing of the other clusters.
jest.setTimeout(180_000);
const PROGRAM = path.join(EXAMPLES, 'fleet', 'pulumi');

type K8sObject = { kind: string; metadata: { name: string }; data?: Record<string, string> };

/** The objects the stack's DetectionStackObjects deploys (the ConfigGroup inputs). */
function k8sObjects(plan: OfflinePlan): K8sObject[] {
  return ofType(plan, 'kubernetes:yaml:ConfigGroup').flatMap((g) => (g.inputs.objs as K8sObject[] | undefined) ?? []);
}

/** The program under one stack, each run with fresh modules: one process, one program, as `pulumi up` runs it. */
function planStackOfProgram(options: OfflinePlanOptions): Promise<OfflinePlan> {
  jest.resetModules();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../lib/pulumi/offline-plan') as typeof import('../../lib/pulumi/offline-plan')).planProgram(PROGRAM, options);
}

const plans = new Map<string, OfflinePlan>();
beforeAll(async () => {
  for (const stack of ['prod-eu', 'prod-us', 'prod-we', 'staging-us']) plans.set(stack, await planStackOfProgram({ stack }));
});

test('each stack deploys its cluster with the component of its provider', () => {
  const components = (stack: string) => plans.get(stack)!.resources.filter((r) => r.type.startsWith('detection-stack:')).map((r) => `${r.type} ${r.name}`);
  expect(components('prod-eu')).toEqual(expect.arrayContaining(['detection-stack:oke:DetectionStack prod-eu-detection']));
  expect(components('prod-us')).toEqual(expect.arrayContaining(['detection-stack:eks:CloudAudit prod-us-audit', 'detection-stack:eks:DetectionStack prod-us-detection']));
  expect(components('prod-we')).toEqual(expect.arrayContaining(['detection-stack:aks:DetectionStack prod-we-detection']));
  for (const [stack, plan] of plans) {
    const others = [...plans.keys()].filter((s) => s !== stack);
    expect(plan.resources.filter((r) => others.some((o) => r.name.startsWith(`${o}-`))).map((r) => r.name)).toEqual([]);
  }
});

test('the cluster\'s own overrides: its bucket, on its provider', () => {
  expect(resource(plans.get('prod-us')!, 'aws:s3/bucket:Bucket', 'prod-us-audit-durable').inputs.bucket).toBe('detections-prod-us');
  expect(resource(plans.get('prod-eu')!, 'oci:ObjectStorage/bucket:Bucket', 'prod-eu-detection-durable').inputs.name).toBe('detections-prod-eu');
  // staging-us waives the alerts' bucket: CloudTrail's is the one its stack config names.
  expect(ofType(plans.get('staging-us')!, 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket)).toEqual(['acme-staging-us-audit', 'acme-staging-us-audit-access-logs']);
});

test('the objects are the cluster\'s plan: staging routes payments only and leaves out the identity team\'s rules', () => {
  // Every ConfigMap's files: the node Falco's rules and the k8saudit Falco's (where the identity team's pack runs).
  const rulesOf = (stack: string) => k8sObjects(plans.get(stack)!).filter((o) => o.kind === 'ConfigMap')
    .flatMap((o) => Object.values(o.data ?? {})).join('\n');
  const staging = fleetClusterPlan(fleetProps, 'staging-us');
  expect(staging.leftOut.teams).toEqual(['identity']);
  expect(staging.leftOut.rules.length).toBeGreaterThan(0);
  expect(rulesOf('staging-us')).toContain('rule: DS Crypto Miner Execution');
  for (const rule of staging.leftOut.rules) {
    expect(rulesOf('staging-us')).not.toContain(`rule: ${rule}`);
    expect(rulesOf('prod-us')).toContain(`rule: ${rule}`);
  }
});

test('a stack naming no cluster of the fleet fails with the fleet\'s error and a suggestion', async () => {
  await expect(planStackOfProgram({ stack: 'prod-us', config: { cluster: 'prod-usa' } }))
    .rejects.toThrow(/DS-FLEET-005 at acme\/clusters: the fleet has no cluster 'prod-usa' \(did you mean 'prod-us'\?\)/);
});
