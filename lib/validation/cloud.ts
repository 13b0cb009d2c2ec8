// Provider naming rules for values the providers' APIs take verbatim, each from the provider's documentation.
import type { StackCode } from '../core/error-codes';
import type { CloudProvider } from '../core/providers';
import { containerNameProblem, storageAccountNameProblem } from '../pulumi/azure-names';

/** Code of the provider naming rules of the schema layer (identifiers the cloud APIs or annotations take). */
export const PROVIDER_NAME_CODE = 'DS-PROPS-021' satisfies StackCode;

/**
 * An IAM role ARN as the `eks.amazonaws.com/role-arn` annotation takes it: partition, 12-digit account, and a
 * role path and name of the characters IAM allows (IAM API reference, CreateRole: RoleName `[\w+=,.@-]+`, at
 * most 64; Path `/` or `/.../` of printable ASCII, at most 512).
 */
const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role\/(([\x21-\x7e]+\/)*)[\w+=,.@-]{1,64}$/;

export function iamRoleArnProblem(value: string): string | undefined {
  return IAM_ROLE_ARN.test(value) && value.length <= 2048 ? undefined : 'is not an IAM role ARN';
}

/** An Entra ID client id (the `azure.workload.identity/client-id` annotation): a GUID. */
export function azureClientIdProblem(value: string): string | undefined {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value) ? undefined : 'is not a client id (a GUID)';
}

/**
 * S3 general purpose bucket names (Amazon S3 User Guide, "General purpose bucket naming rules"): 3-63
 * lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, no '..', not an IP
 * address, none of the reserved prefixes and suffixes.
 */
export function s3BucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return 'must be 3-63 lowercase letters, digits, \'.\' or \'-\', starting and ending with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  const prefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix '${prefix}'`;
  const suffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix '${suffix}'`;
  return undefined;
}

/**
 * OCI Object Storage bucket names (OCI docs, "Object Storage Buckets": letters, digits, '-', '_' and '.'); the
 * shipper reaches them through the S3-compatible API, so the stack keeps to the lowercase S3 form.
 */
export function ociBucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return 'must be 3-63 lowercase letters, digits, \'.\' or \'-\', starting and ending with a letter or digit';
  return name.includes('..') ? 'must not contain two adjacent periods' : undefined;
}

/** The durable bucket's name as the stack's provider names it (the Blob container on AKS). */
export function durableBucketNameProblem(provider: CloudProvider, name: string): string | undefined {
  switch (provider) {
    case 'eks': return s3BucketNameProblem(name);
    case 'oke': return ociBucketNameProblem(name);
    case 'aks': return containerNameProblem(name);
  }
}

export { storageAccountNameProblem };
