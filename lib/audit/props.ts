import type { AuditPolicyRule } from './policy';

/** Control-plane log types EKS can send to CloudWatch Logs. */
export type EksControlPlaneLogType = 'api' | 'audit' | 'authenticator' | 'controllerManager' | 'scheduler';

/** AKS diagnostic categories carrying API-server audit events. */
export type AksAuditCategory = 'kube-audit' | 'kube-audit-admin';

/** The provider's cloud audit trail (CloudTrail, OCI Audit, Azure Activity Log). */
export interface CloudAuditProps {
  /**
   * Keep the provider's audit trail in the durable store. Turning it off is a named opt-out:
   * "who changed IAM?" can then no longer be answered from this stack.
   * @default true
   */
  readonly enabled?: boolean;
  /** Days the provider keeps its audit events (OCI Audit retention, 90 to 365). @default 365 */
  readonly retentionDays?: number;
  /**
   * EKS: the Athena table over the CloudTrail logs, `<database>.<table>`, that the runbooks query.
   * @default 'default.cloudtrail_logs'
   */
  readonly athenaTable?: string;
  /**
   * OKE: the OCID of the compartment whose `_Audit` log group the runbooks search.
   * @default a `<compartment-ocid>` placeholder in the runbooks
   */
  readonly ociCompartmentId?: string;
}

/** The Falco k8saudit plugin for the provider (`k8saudit-eks` on EKS, `k8saudit-aks` on AKS). */
export interface K8sAuditPluginProps {
  /** Seconds between two polls of CloudWatch Logs (EKS only). @default 10 */
  readonly pollingIntervalSeconds?: number;
  /** Events per second read from Event Hub (AKS only). @default 100 */
  readonly rateLimitEventsPerSecond?: number;
}

/** Kubernetes API-server audit. */
export interface KubernetesAuditProps {
  /**
   * Send the control plane's audit logs to the provider's log service. Turning it off is a named
   * opt-out: "who exec'd into this pod?" can then no longer be answered.
   * @default true
   */
  readonly controlPlaneLogs?: boolean;
  /** Days control-plane logs are kept (the EKS log group `/aws/eks/<cluster>/cluster`). @default 365 */
  readonly retentionDays?: number;
  /** EKS log types; `api`, `audit` and `authenticator` are always on. @default ['api', 'audit', 'authenticator'] */
  readonly eksLogTypes?: readonly EksControlPlaneLogType[];
  /**
   * AKS audit category: `kube-audit` has every request (reads of secrets included),
   * `kube-audit-admin` drops get and list and costs less. `guard` (Entra ID and RBAC decisions) is always on.
   * @default 'kube-audit'
   */
  readonly aksCategory?: AksAuditCategory;
  /** Falco's k8saudit plugin for EKS or AKS (not available on OKE). @default not deployed */
  readonly falcoPlugin?: K8sAuditPluginProps;
  /** Rules evaluated before the preset rules of the self-managed audit Policy. @default none */
  readonly policyRules?: readonly AuditPolicyRule[];
}

/** Cloud audit trail and Kubernetes audit. */
export interface AuditProps {
  /** The provider's audit trail. @default enabled, 365 days */
  readonly cloud?: CloudAuditProps;
  /** Kubernetes API-server audit. @default control-plane logs on, 365 days */
  readonly kubernetes?: KubernetesAuditProps;
}
