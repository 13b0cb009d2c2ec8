// Pure planning for the AKS cloud side.

/** Built-in role "Storage Blob Data Contributor" (same id in every Azure tenant). */
export const STORAGE_BLOB_DATA_CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';

/** Subscription Activity Log categories that answer "who changed what in the subscription?". */
export const ACTIVITY_LOG_CATEGORIES = ['Administrative', 'Security', 'Policy', 'Alert'] as const;

/** Audience of Azure AD workload identity federation tokens. */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

/** ServiceAccount annotation the workload identity webhook reads the client id from. */
export const WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

export function roleDefinitionId(subscriptionId: string, roleId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/** The federated credential subject for a Kubernetes ServiceAccount. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** Storage account names: 3-24 lowercase letters and digits, globally unique. */
export function storageAccountNameProblem(name: string): string | undefined {
  return /^[a-z0-9]{3,24}$/.test(name) ? undefined : 'must be 3-24 lowercase letters and digits';
}

/** Blob container names: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit. */
export function containerNameProblem(name: string): string | undefined {
  return /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(name) ? undefined : 'must be 3-63 lowercase letters, digits and single hyphens';
}
