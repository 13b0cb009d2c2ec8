// Pure planning for the AKS cloud side.

/** Subscription Activity Log categories that answer "who changed what in the subscription?". */
export const ACTIVITY_LOG_CATEGORIES = ['Administrative', 'Security', 'Policy', 'Alert'] as const;

/**
 * Containers Azure Monitor writes a storage account destination into: `insights-activity-logs` for the
 * Activity Log, `insights-logs-<category>` for resource logs (Azure Monitor, "Diagnostic settings", storage destinations).
 */
export const ACTIVITY_LOG_CONTAINER = 'insights-activity-logs';

export function resourceLogContainer(category: string): string {
  return `insights-logs-${category.toLowerCase()}`;
}

/** A lifecycle management rule, in the shape of azure-native `storage.ManagementPolicy` `policy.rules[]`. */
export interface LifecycleRule {
  readonly name: string;
  readonly enabled: true;
  readonly type: 'Lifecycle';
  readonly definition: {
    readonly filters: { blobTypes: string[]; prefixMatch: string[] };
    readonly actions: { readonly baseBlob: Readonly<Record<string, { readonly daysAfterModificationGreaterThan: number }>> };
  };
}

/**
 * The evidence account's lifecycle rules. Lifecycle management tiers block blobs only: "Currently blockBlob supports
 * all tiering and delete actions. Only delete actions are supported for appendBlob" (azure-native
 * ManagementPolicyFilter.blobTypes). The shipper writes block blobs into the alerts container (`blob_type blockblob`),
 * Azure Monitor appends hourly append blobs into its containers: block blobs everywhere go to cool after 30 days,
 * and everything is deleted after `expireAfterDays` only when that is set.
 */
export function evidenceLifecycleRules(alertsContainer: string, monitorContainers: readonly string[], expireAfterDays?: number): LifecycleRule[] {
  const prefixes = (containers: readonly string[]) => containers.map((c) => `${c}/`);
  const expire: Record<string, { daysAfterModificationGreaterThan: number }> =
    expireAfterDays !== undefined ? { delete: { daysAfterModificationGreaterThan: expireAfterDays } } : {};
  const rule = (name: string, blobTypes: string[], containers: readonly string[], baseBlob: LifecycleRule['definition']['actions']['baseBlob']): LifecycleRule =>
    ({ name, enabled: true, type: 'Lifecycle', definition: { filters: { blobTypes, prefixMatch: prefixes(containers) }, actions: { baseBlob } } });
  return [
    rule('evidence', ['blockBlob'], [alertsContainer, ...monitorContainers], { tierToCool: { daysAfterModificationGreaterThan: 30 }, ...expire }),
    ...(expireAfterDays !== undefined && monitorContainers.length > 0 ? [rule('evidence-append-blobs', ['appendBlob'], monitorContainers, expire)] : []),
  ];
}

/** The loosening a stack with a Fluent Bit Blob shipper runs with, in the words the component reports it. */
export const SHARED_KEY_LOOSENING = 'allowSharedKeyAccess: shared-key and SAS access are on for the evidence storage account ' +
  "(Fluent Bit's azure_blob output authenticates with nothing else)";

/**
 * Locks a container's time-based immutability policy (azure-cli `az storage container immutability-policy lock`;
 * the etag is the policy's, as the Lock Immutability Policy operation requires).
 */
export function immutabilityLockCommand(resourceGroup: string, account: string, container: string, etag: string): string {
  for (const [what, value] of [['resource group', resourceGroup], ['account', account], ['container', container], ['etag', etag]]) {
    if (!/^[A-Za-z0-9._()"-]+$/.test(value)) throw new Error(`immutabilityLockCommand: unexpected characters in the ${what} '${value}'`);
  }
  return `az storage container immutability-policy lock --resource-group '${resourceGroup}' --account-name '${account}' ` +
    `--container-name '${container}' --if-match '${etag}'`;
}

/** Storage account names: 3-24 lowercase letters and digits, globally unique. */
export function storageAccountNameProblem(name: string): string | undefined {
  return /^[a-z0-9]{3,24}$/.test(name) ? undefined : 'must be 3-24 lowercase letters and digits';
}

/** Blob container names: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit. */
export function containerNameProblem(name: string): string | undefined {
  return /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(name) ? undefined : 'must be 3-63 lowercase letters, digits and single hyphens';
}
