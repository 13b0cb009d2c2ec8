// Shared by the provider modules; imports no provider SDK.
import { regionProblem } from './regions';
import { DetectionStackError } from '../core/errors';
import type { CloudProvider } from '../core/providers';
import { planStack, StackPlan } from '../stack/plan';
import type { DetectionStackProps } from '../stack/props';

const MODULE_OF: Record<CloudProvider, string> = { eks: 'aws', oke: 'oci', aks: 'azure' };

/** Plans the stack and checks it targets the provider the calling module builds, with a region. */
export function planForProvider(stack: DetectionStackProps, provider: CloudProvider, name: string): StackPlan {
  const plan = planStack(stack, name);
  if (plan.cluster.provider !== provider) {
    throw new DetectionStackError('DS-PULUMI-004', `${name}/cluster.provider`,
      `this component builds ${provider.toUpperCase()} but the stack targets '${plan.cluster.provider}'`,
      `use detection-stack/pulumi/${MODULE_OF[plan.cluster.provider]} for ${plan.cluster.provider}`);
  }
  if (!plan.cluster.region) {
    throw new DetectionStackError('DS-PULUMI-005', `${name}/cluster.region`, 'the cloud side needs the cluster region',
      'set cluster.region in the stack definition');
  }
  const problem = regionProblem(provider, plan.cluster.region);
  if (problem) {
    throw new DetectionStackError('DS-PULUMI-033', `${name}/cluster.region`, problem, `use a region ${provider.toUpperCase()} offers`);
  }
  return plan;
}

/**
 * The provider decides where resources land; names, ARNs, policies and endpoints are written for the
 * stack's region. A provider configured for another region is refused instead of half-matching.
 */
export function checkProviderRegion(
  name: string, clusterRegion: string, providerRegion: string | undefined, setting: string, fix?: string,
): string {
  if (providerRegion !== undefined && providerRegion !== clusterRegion) {
    throw new DetectionStackError('DS-PULUMI-034', `${name}/cluster.region`,
      `the stack is for '${clusterRegion}' but the provider is configured for '${providerRegion}'`,
      fix ?? `set ${setting} to '${clusterRegion}' (pulumi config set ${setting} ${clusterRegion}), or cluster.region to '${providerRegion}'`);
  }
  return clusterRegion;
}

/**
 * Lifecycle expiry may not undercut what keeps the evidence immutable (the provider would refuse the
 * deletions, or worse, a shorter lock would let them through); `undefined` keeps the evidence.
 */
export function checkExpireAfterDays(name: string, expireAfterDays: number | undefined, keptDays: number, keptBy: string): number | undefined {
  if (expireAfterDays !== undefined && !(Number.isInteger(expireAfterDays) && expireAfterDays >= keptDays)) {
    throw new DetectionStackError('DS-PULUMI-035', `${name}/expireAfterDays`,
      `${expireAfterDays} must be a whole number of days no shorter than the ${keptBy} (${keptDays})`,
      `set expireAfterDays to ${keptDays} or more, or leave it out to keep the evidence`);
  }
  return expireAfterDays;
}

/** Where the stack's durable shipper writes, as the routing layer planned it (when the stack has one). */
export interface DurableTarget {
  /** Bucket name (Blob container on AKS). */
  readonly bucket: string;
  /** Object key prefix, without a trailing slash. */
  readonly prefix: string;
  /** The shipper's ServiceAccount. */
  readonly serviceAccount: string;
  /** AKS: the storage account. */
  readonly storageAccount?: string;
}

/** Reads the durable shipper out of the plan (the routing layer's `durable` field), if the stack ships alerts. */
export function durableTarget(plan: StackPlan): DurableTarget | undefined {
  const shipper = plan.durable?.shipper;
  if (!shipper) return undefined;
  const d = shipper.destination;
  const common = { prefix: d.prefix.replace(/\/+$/, ''), serviceAccount: shipper.workload.serviceAccount.name };
  return d.kind === 's3' ? { ...common, bucket: d.bucket } : { ...common, bucket: d.container, storageAccount: d.storageAccount };
}

/** The bucket name: the stack's durable bucket when it has one; a differing explicit name is an error. */
export function resolveBucketName(plan: StackPlan, explicit: string | undefined, where: string): Omit<DurableTarget, 'storageAccount'> {
  const target = durableTarget(plan);
  if (target && explicit !== undefined && explicit !== target.bucket) {
    throw new DetectionStackError('DS-PULUMI-006', where, `bucketName '${explicit}' differs from the stack's durable.bucket.name '${target.bucket}'`,
      'drop bucketName: the stack definition names the bucket');
  }
  const bucket = target?.bucket ?? explicit;
  if (!bucket) {
    throw new DetectionStackError('DS-PULUMI-007', where, 'no bucket name', 'set durable.bucket.name in the stack definition (or bucketName)');
  }
  return { bucket, prefix: target?.prefix ?? DEFAULT_ALERTS_PREFIX, serviceAccount: target?.serviceAccount ?? DEFAULT_SHIPPER_SERVICE_ACCOUNT };
}

/** Prefix and ServiceAccount used when the stack has no durable shipper of its own. */
export const DEFAULT_ALERTS_PREFIX = 'alerts';
export const DEFAULT_SHIPPER_SERVICE_ACCOUNT = 'alert-shipper';
