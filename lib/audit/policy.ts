import { DetectionStackError } from '../core/errors';

/** How much of a request the API server records (audit.k8s.io/v1 `Level`). */
export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export const AUDIT_LEVELS: readonly AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];

/** A stage of request handling at which an audit event can be emitted (audit.k8s.io/v1 `Stage`). */
export type AuditStage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';
export const AUDIT_STAGES: readonly AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** Resources of one API group (audit.k8s.io/v1 `GroupResources`). */
export interface AuditGroupResources {
  /** API group; `''` is the core group. */
  readonly group: string;
  /** Resources, subresources as `pods/exec`. Empty means every resource of the group. */
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** One rule of an audit Policy; the first rule that matches a request decides its level. */
export interface AuditPolicyRule {
  readonly level: AuditLevel;
  readonly users?: readonly string[];
  readonly userGroups?: readonly string[];
  readonly verbs?: readonly string[];
  readonly resources?: readonly AuditGroupResources[];
  readonly namespaces?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly omitStages?: readonly AuditStage[];
}

/** An audit.k8s.io/v1 Policy, as the API server reads it from `--audit-policy-file`. */
export interface AuditPolicy {
  readonly apiVersion: 'audit.k8s.io/v1';
  readonly kind: 'Policy';
  readonly metadata?: { readonly name?: string };
  readonly omitStages?: readonly AuditStage[];
  readonly omitManagedFields?: boolean;
  readonly rules: readonly AuditPolicyRule[];
}

const READ_VERBS = ['get', 'list', 'watch'] as const;
/** Verbs that change an object. */
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;

/** Interactive access to a running container: what "who exec'd into this pod?" needs, bodies included. */
export const INTERACTIVE_SUBRESOURCES: AuditGroupResources = {
  group: '',
  resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers'],
};

/** Objects whose bodies are credentials: recorded at Metadata only so no secret lands in the audit log. */
export const CREDENTIAL_RESOURCES: readonly AuditGroupResources[] = [
  { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
  { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
];

/** RBAC objects: "who changed permissions?". */
export const RBAC_RESOURCES: AuditGroupResources = {
  group: 'rbac.authorization.k8s.io',
  resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
};

/** Workloads and what they run as: "was this deployment changed?". */
export const WORKLOAD_RESOURCES: readonly AuditGroupResources[] = [
  { group: '', resources: ['pods', 'serviceaccounts', 'services'] },
  { group: 'apps', resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'] },
  { group: 'batch', resources: ['jobs', 'cronjobs'] },
  { group: 'admissionregistration.k8s.io', resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'] },
];

/** Read-only system traffic that is high volume and answers no investigation question. */
export const NOISY_READ_ONLY_RULES: readonly AuditPolicyRule[] = [
  { level: 'None', users: ['system:kube-proxy'], verbs: [...READ_VERBS], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }, { group: 'discovery.k8s.io', resources: ['endpointslices'] }] },
  { level: 'None', userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  { level: 'None', users: ['system:kube-controller-manager', 'system:kube-scheduler'], verbs: [...READ_VERBS], namespaces: ['kube-system'], resources: [{ group: '', resources: ['endpoints'] }, { group: 'coordination.k8s.io', resources: ['leases'] }] },
  { level: 'None', verbs: [...READ_VERBS], resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
  { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics', '/openapi*', '/swagger*'] },
];

/** Options of the detection-aligned audit Policy. */
export interface DetectionAuditPolicyOptions {
  /** Rules evaluated before the preset's (first match wins), e.g. to drop a noisy in-house controller. @default none */
  readonly extraRules?: readonly AuditPolicyRule[];
  /** Level of every request no rule names. @default 'Metadata' */
  readonly defaultLevel?: Exclude<AuditLevel, 'None'>;
}

/**
 * The audit Policy the stack's detections need, for self-managed control planes.
 * Order matters (first match wins): noise is dropped first, credentials are capped at Metadata
 * before the RequestResponse rules can match them, and everything else is kept at Metadata.
 */
export function detectionAuditPolicy(options: DetectionAuditPolicyOptions = {}, where = 'audit.kubernetes.policy'): AuditPolicy {
  const policy: AuditPolicy = {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    omitManagedFields: true,
    rules: [
      ...(options.extraRules ?? []),
      ...NOISY_READ_ONLY_RULES,
      { level: 'Metadata', resources: CREDENTIAL_RESOURCES },
      { level: 'RequestResponse', resources: [INTERACTIVE_SUBRESOURCES] },
      { level: 'RequestResponse', verbs: [...WRITE_VERBS], resources: [RBAC_RESOURCES] },
      { level: 'RequestResponse', verbs: [...WRITE_VERBS], resources: WORKLOAD_RESOURCES },
      { level: options.defaultLevel ?? 'Metadata' },
    ],
  };
  validateAuditPolicy(policy, where);
  return policy;
}

/** Checks what the API server would reject at start-up, naming the rule. */
export function validateAuditPolicy(policy: AuditPolicy, where: string): void {
  const stages = (list: readonly AuditStage[] | undefined, at: string) => (list ?? []).forEach((s) => {
    if (!AUDIT_STAGES.includes(s)) {
      throw new DetectionStackError('DS-AUDIT-002', at, `unknown audit stage '${s}'`, `use one of ${AUDIT_STAGES.join(', ')}`);
    }
  });
  stages(policy.omitStages, `${where}.omitStages`);
  if (policy.rules.length === 0) {
    throw new DetectionStackError('DS-AUDIT-003', `${where}.rules`, 'the policy has no rules, so nothing is audited', 'keep at least the preset rules');
  }
  policy.rules.forEach((rule, i) => {
    const at = `${where}.rules[${i}]`;
    if (!AUDIT_LEVELS.includes(rule.level)) {
      throw new DetectionStackError('DS-AUDIT-001', `${at}.level`, `unknown audit level '${rule.level}'`, `use one of ${AUDIT_LEVELS.join(', ')}`);
    }
    stages(rule.omitStages, `${at}.omitStages`);
    if (rule.nonResourceURLs && (rule.resources || rule.namespaces)) {
      throw new DetectionStackError('DS-AUDIT-004', at, 'a rule cannot match both nonResourceURLs and resources/namespaces',
        'split it into one rule for URLs and one for resources');
    }
    for (const url of rule.nonResourceURLs ?? []) {
      if (!url.startsWith('/') || url.slice(0, -1).includes('*')) {
        throw new DetectionStackError('DS-AUDIT-005', `${at}.nonResourceURLs`, `'${url}' is not a path with at most a trailing '*'`,
          "write it as '/healthz' or '/healthz*'");
      }
    }
  });
}
