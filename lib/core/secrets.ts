import { DetectionStackError } from './errors';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A key of a Kubernetes Secret in the stack's namespace. Credentials are only ever referenced,
 * never given as values: they reach the pods as `secretKeyRef` env vars or as mounted files.
 */
export interface SecretKeyRef {
  /** Secret name (must exist in the stack's namespace before the pods start). */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Every Secret key the stack reads, and which workload reads it: the Pulumi path creates these. */
export interface SecretUse {
  readonly secret: SecretKeyRef;
  /** Workload that reads it: `falcosidekick`, `alertmanager` or `fluent-bit`. */
  readonly workload: string;
  /** The namespace the Secret must exist in (the workload's). */
  readonly namespace: string;
  /** Prop path of the reference. */
  readonly where: string;
}

/** A credential a workload reads from a Secret into an env var. */
export interface SecretEnvPlan {
  /** Env var name (for Falcosidekick, its viper mapping of the config key: `slack.webhookurl` -> `SLACK_WEBHOOKURL`). */
  readonly env: string;
  readonly secret: SecretKeyRef;
  /** Prop path of the reference. */
  readonly where: string;
}

export function isSecretKeyRef(value: unknown): value is SecretKeyRef {
  return typeof value === 'object' && value !== null && 'name' in value && 'key' in value;
}

/** Throws unless `ref` names a valid Secret and key. */
export function requireSecretRef(where: string, ref: SecretKeyRef | undefined): SecretKeyRef {
  if (!ref || typeof ref.name !== 'string' || !DNS_SUBDOMAIN.test(ref.name) || ref.name.length > 253) {
    throw new DetectionStackError('DS-ROUTE-002', where, `secret reference name '${String(ref?.name)}' is not a valid Secret name`,
      'reference a Kubernetes Secret in the stack namespace: { name: \'my-secret\', key: \'url\' }');
  }
  if (typeof ref.key !== 'string' || !SECRET_KEY.test(ref.key)) {
    throw new DetectionStackError('DS-ROUTE-002', where, `secret reference key '${String(ref.key)}' is not a valid Secret key`,
      'use the key inside the Secret: letters, digits, \'-\', \'_\' or \'.\'');
  }
  return { name: ref.name, key: ref.key };
}
