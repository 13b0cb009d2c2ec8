import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import type { AuditPolicy } from './policy';

export const AUDIT_POLICY_FILE = 'audit-policy.yaml';

/** The Policy as the YAML `kube-apiserver --audit-policy-file` reads. */
export function auditPolicyYaml(policy: AuditPolicy): string {
  return stringify(policy, { lineWidth: 0 });
}

/**
 * Writes the Policy next to a synthesized stack (e.g. `dist/<example>/audit-policy.yaml`), for
 * clusters whose control plane you run yourself. Returns the file's path.
 */
export function writeAuditPolicyFile(outdir: string, policy: AuditPolicy): string {
  fs.mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, AUDIT_POLICY_FILE);
  fs.writeFileSync(file, auditPolicyYaml(policy));
  return file;
}
