// Owned by the audit layer.

/** Cloud audit trail and Kubernetes audit. */
export interface AuditProps {
  readonly _placeholder?: never;
}
