import { DetectionStackError } from './errors';
import { CLOUD_PROVIDERS } from './providers';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// EKS, AKS and OKE accept letters, digits, '-' and '_' in cluster names; 1-63 characters covers all three.
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** Throws a DetectionStackError naming the prop when `value` is not a DNS-1123 label. */
export function requireDnsLabel(where: string, value: string, what: string): void {
  if (!DNS_LABEL.test(value)) {
    throw new DetectionStackError('DS-PROPS-001', where, `${what} '${value}' is not a valid Kubernetes name`,
      'use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit');
  }
}

export function requireClusterName(where: string, value: string): void {
  if (!CLUSTER_NAME.test(value)) {
    throw new DetectionStackError('DS-PROPS-002', where, `cluster name '${value}' is not valid`,
      'use 1-63 letters, digits, \'-\' or \'_\', starting with a letter or digit, exactly as the provider names the cluster');
  }
}

export function requireProvider(where: string, value: unknown): void {
  if (!(CLOUD_PROVIDERS as readonly unknown[]).includes(value)) {
    throw new DetectionStackError('DS-PROPS-003', where, `unknown provider '${String(value)}'`,
      `set provider to one of ${CLOUD_PROVIDERS.map((p) => `'${p}'`).join(', ')}`);
  }
}

// Region identifiers as the providers' APIs spell them: eu-west-1 (AWS), eu-frankfurt-1 (OCI), westeurope (Azure).
const REGION = /^[a-z]{2,}[a-z0-9]*(-[a-z0-9]+)*$/;

export function requireRegion(where: string, value: string | undefined): void {
  if (value !== undefined && (typeof value !== 'string' || value.length > 40 || !REGION.test(value))) {
    throw new DetectionStackError('DS-PROPS-006', where, `region '${String(value)}' is not a region identifier`,
      'use the provider\'s region identifier in lowercase, e.g. \'eu-west-1\' (EKS), \'eu-frankfurt-1\' (OKE), \'westeurope\' (AKS)');
  }
}
