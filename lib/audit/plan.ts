import { K8sAuditPluginPlan, planK8sAuditPlugin } from './k8saudit-plugin';
import { AuditPolicy, detectionAuditPolicy } from './policy';
import type { AksAuditCategory, AuditProps, EksControlPlaneLogType } from './props';
import { CLOUDWATCH_RETENTION_DAYS } from '../core/cloudwatch';
import type { PlanContext } from '../core/context';
import { DetectionStackError } from '../core/errors';
import type { CloudProvider } from '../core/providers';

/** The EKS log types every stack sends; the audit questions cannot be answered without them. */
export const REQUIRED_EKS_LOG_TYPES: readonly EksControlPlaneLogType[] = ['api', 'audit', 'authenticator'];
const ALL_EKS_LOG_TYPES: readonly EksControlPlaneLogType[] = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export const DEFAULT_AUDIT_RETENTION_DAYS = 365;


/** The audit layers as plain data. */
export interface AuditPlan {
  readonly cloud: {
    readonly enabled: boolean;
    /** The provider's trail, e.g. `AWS CloudTrail`. */
    readonly trail: string;
    readonly retentionDays: number;
    /** EKS: the Athena table over CloudTrail the runbooks query. */
    readonly athenaTable?: string;
    /** OKE: the compartment whose `_Audit` log group the runbooks search. */
    readonly ociCompartmentId?: string;
  };
  readonly kubernetes: {
    readonly controlPlaneLogs: boolean;
    readonly retentionDays: number;
    /** False on OKE, EKS and AKS: their control planes accept no audit.k8s.io Policy. */
    readonly customPolicySupported: boolean;
    /** What the stack enables instead of a custom policy, in words (for the synth finding and docs). */
    readonly enabledInstead: string;
    /** EKS `enabledClusterLogTypes` (empty on other providers or when off). */
    readonly eksLogTypes: readonly EksControlPlaneLogType[];
    /** AKS diagnostic categories (empty on other providers or when off). */
    readonly aksCategories: readonly (AksAuditCategory | 'guard')[];
    /** The Policy for a self-managed control plane (`--audit-policy-file`). */
    readonly policy: AuditPolicy;
    readonly falcoPlugin?: K8sAuditPluginPlan;
  };
}

const ATHENA_TABLE = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;
const OCI_COMPARTMENT_OCID = /^ocid1\.(compartment|tenancy)\.oc1\.[a-z0-9-]*\.[a-z0-9]+$/;

/** A provider-specific investigation setting: refused on another provider, checked against its form. */
function onlyOn(
  provider: CloudProvider, wanted: CloudProvider, where: string, value: string | undefined, form: RegExp, expected: string,
): string | undefined {
  if (value === undefined) return undefined;
  if (provider !== wanted) {
    throw new DetectionStackError('DS-AUDIT-012', where, `this setting is for ${wanted.toUpperCase()} clusters, not ${provider.toUpperCase()}`, 'remove it');
  }
  if (!form.test(value)) {
    throw new DetectionStackError('DS-AUDIT-013', where, `${JSON.stringify(value)} is not valid here`, `give ${expected}`);
  }
  return value;
}

/** Resolves the audit layers for the provider. Pure. */
export function planAudit(props: AuditProps, ctx: PlanContext): AuditPlan {
  const where = `${ctx.path}/audit`;
  const cloud = props.cloud ?? {};
  const kube = props.kubernetes ?? {};
  const provider = ctx.cluster.provider;

  // OCI Audit keeps events 90 to 365 days.
  const cloudRetention = requireRetention(`${where}.cloud.retentionDays`, cloud.retentionDays, provider === 'oke' ? 90 : 1, provider === 'oke' ? 365 : 3653);
  const kubeRetention = requireRetention(`${where}.kubernetes.retentionDays`, kube.retentionDays, 1, 3653);
  if (provider === 'eks' && !(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(kubeRetention)) {
    throw new DetectionStackError('DS-AUDIT-006', `${where}.kubernetes.retentionDays`,
      `CloudWatch Logs cannot keep a log group ${kubeRetention} days`, `use one of ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`);
  }
  const controlPlaneLogs = kube.controlPlaneLogs ?? true;

  const eksLogTypes = provider === 'eks' && controlPlaneLogs ? resolveEksLogTypes(kube.eksLogTypes) : [];
  const aksCategories: (AksAuditCategory | 'guard')[] = provider === 'aks' && controlPlaneLogs ? [kube.aksCategory ?? 'kube-audit', 'guard'] : [];

  return {
    cloud: {
      enabled: cloud.enabled ?? true,
      trail: ctx.profile.audit.cloudAuditTrail,
      retentionDays: cloudRetention,
      athenaTable: onlyOn(provider, 'eks', `${where}.cloud.athenaTable`, cloud.athenaTable, ATHENA_TABLE, 'a table as <database>.<table> (letters, digits, _)'),
      ociCompartmentId: onlyOn(provider, 'oke', `${where}.cloud.ociCompartmentId`, cloud.ociCompartmentId, OCI_COMPARTMENT_OCID, 'the compartment OCID, ocid1.compartment.oc1..<id>'),
    },
    kubernetes: {
      controlPlaneLogs,
      retentionDays: kubeRetention,
      customPolicySupported: ctx.profile.audit.customPolicySupported,
      enabledInstead: describeEnabledInstead(provider, eksLogTypes, aksCategories, kubeRetention, controlPlaneLogs),
      eksLogTypes,
      aksCategories,
      policy: detectionAuditPolicy({ extraRules: kube.policyRules }, `${where}.kubernetes.policyRules`),
      falcoPlugin: kube.falcoPlugin ? planK8sAuditPlugin(kube.falcoPlugin, ctx, `${where}.kubernetes.falcoPlugin`) : undefined,
    },
  };
}

function requireRetention(where: string, days: number | undefined, minimum: number, maximum: number): number {
  const value = days ?? DEFAULT_AUDIT_RETENTION_DAYS;
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new DetectionStackError('DS-AUDIT-006', where, `retention of ${value} days is out of range`,
      `give a whole number of days between ${minimum} and ${maximum}`);
  }
  return value;
}

// Unknown log types and AKS categories are refused by the props schema (DS-PROPS-012) before any planner runs.
function resolveEksLogTypes(requested: readonly EksControlPlaneLogType[] | undefined): EksControlPlaneLogType[] {
  const wanted = new Set<EksControlPlaneLogType>([...REQUIRED_EKS_LOG_TYPES, ...(requested ?? [])]);
  return ALL_EKS_LOG_TYPES.filter((t) => wanted.has(t));
}

function describeEnabledInstead(provider: string, eks: readonly string[], aks: readonly string[], days: number, on: boolean): string {
  if (!on) return 'nothing: control-plane audit logs are turned off (audit.kubernetes.controlPlaneLogs: false)';
  switch (provider) {
    case 'eks': return `control-plane log types ${eks.join(', ')} to CloudWatch Logs /aws/eks/<cluster>/cluster, created first with ${days} days retention and KMS (Pulumi path)`;
    case 'aks': return `diagnostic setting with categories ${aks.join(', ')} to the durable storage account (Pulumi path)`;
    default: return 'OCI Audit, which records API-server calls, kept ' +
      'for the cloud audit retention and copied by a Service Connector from _Audit to the durable bucket (Pulumi path)';
  }
}
