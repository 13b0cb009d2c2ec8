import { unlessTrustedIdentity } from './conditions';
import type { PackContext, PackRuleTemplate } from './definition';
import { DANGEROUS_K8S_CAPABILITIES, SENSITIVE_HOST_PATHS } from './props';
import type { Expr } from '../falco/language/ast';
import { and, eq, field, inList, intersects, not, or, regex, startsWith } from '../falco/language/build';

/** A request that completed (one event per request, not one per stage). */
function completed(): Expr {
  return eq('ka.stage', 'ResponseComplete');
}

/** exec/attach audit events are logged when the stream starts (the response never "completes" quickly). */
function execOrAttach(): Expr {
  return and(
    eq('ka.stage', 'ResponseStarted'), eq('ka.verb', 'create'), eq('ka.target.resource', 'pods'),
    inList('ka.target.subresource', ['exec', 'attach']),
  );
}

function podCreatedOutsideInfra(ctx: PackContext): Expr {
  return and(
    completed(), eq('ka.verb', 'create'), eq('ka.target.resource', 'pods'),
    not(inList('ka.target.namespace', ctx.infraNamespaces)),
  );
}

/**
 * Whether a container of the pod adds one of the capabilities. The k8saudit plugin extracts
 * `ka.req.pod.containers.add_capabilities` as one JSON array text per container, which `intersects`
 * cannot look into; the json plugin's (compact JSON) view of the container lists is matched
 * instead, inside `"add":[...]` only so that a `drop` list never matches. Names are constants.
 */
function addsCapability(capabilities: readonly string[]): Expr {
  const pattern = `.*"add":\\[[^\\]]*"(CAP_)?(${capabilities.join('|')})".*`;
  return or(...['containers', 'initContainers'].map((list) => regex(field('jevt.value', `/requestObject/spec/${list}`), pattern)));
}

/** Control-plane identities that read secrets and mint tokens as part of their job. */
const CONTROL_PLANE_IDENTITIES: readonly string[] = [
  'system:kube-controller-manager', 'system:kube-scheduler', 'system:apiserver',
];

function notControlPlane(): Expr[] {
  return [not(inList('ka.user.name', CONTROL_PLANE_IDENTITIES)), not(startsWith('ka.user.name', 'system:node:'))];
}

/** A service account of the product namespace reading its own namespace is expected. */
function notOwnServiceAccount(ctx: PackContext): Expr {
  return not(or(...ctx.namespaces.map((ns) =>
    and(eq('ka.target.namespace', ns), startsWith('ka.user.name', `system:serviceaccount:${ns}:`)))));
}

/** The Kubernetes audit pack (source `k8s_audit`, k8saudit plugin fields). */
export const K8S_AUDIT_PACK: readonly PackRuleTemplate[] = [
  {
    id: 'ds-exec-through-admin-path',
    name: 'DS Exec Through Admin Path',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'An exec or attach into any pod by an identity in the system:masters group, which bypasses RBAC.',
    headline: 'Exec/attach into a pod through the system:masters admin path',
    priority: 'ERROR',
    confidence: 'medium',
    mitre: { tactics: ['mitre_execution', 'mitre_privilege_escalation'], techniques: ['T1609', 'T1078'] },
    scenarios: ['shell-access', 'kubernetes-activity'],
    runbook: {
      meaning: 'Someone used a cluster-admin certificate or break-glass credential (system:masters bypasses RBAC) to get a shell in a workload.',
      questions: ['Who holds this credential, and was break-glass declared?', 'Which commands ran in the pod afterwards (runtime alerts for the same pod)?'],
      benignCauses: ['Declared break-glass sessions: record them; do not exempt system:masters.'],
    },
    condition: () => and(execOrAttach(), intersects('ka.user.groups', ['system:masters'])),
  },
  {
    id: 'ds-exec-into-product-workload',
    name: 'DS Exec Into Product Workload',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'An exec or attach into a pod of a product namespace by an identity not trusted to do so.',
    headline: 'Exec/attach into a product workload by an unexpected identity',
    priority: 'WARNING',
    confidence: 'medium',
    mitre: { tactics: ['mitre_execution'], techniques: ['T1609'] },
    scenarios: ['shell-access', 'kubernetes-activity'],
    outputFields: [['command', 'ka.uri.param[command]']],
    runbook: {
      meaning: 'A person or a service account opened a session inside a production pod.',
      questions: ['Is the identity an engineer of the owning team with an open incident or change?', 'Which source IP: VPN, CI runner, or unknown?'],
      benignCauses: ['Deployers or on-call identities that exec on purpose: add them to trustedIdentities.'],
    },
    condition: (ctx) => and(execOrAttach(), inList('ka.target.namespace', ctx.namespaces), ...unlessTrustedIdentity(ctx)),
  },
  {
    id: 'ds-privileged-pod-created',
    name: 'DS Privileged Pod Created',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'A pod was created outside the infrastructure namespaces with a privileged container or the host\'s PID, IPC or network namespace.',
    headline: 'Privileged or host-namespace pod created outside infra namespaces',
    priority: 'ERROR',
    confidence: 'high',
    mitre: { tactics: ['mitre_privilege_escalation'], techniques: ['T1610', 'T1611'] },
    scenarios: ['privilege-escalation', 'kubernetes-activity'],
    outputFields: [['images', 'ka.req.pod.containers.image']],
    runbook: {
      meaning: 'A privileged or host-namespace pod is one step from the node: whoever controls it controls the node and every pod on it.',
      questions: ['Which workload owns the pod (ownerReferences) and who changed its spec last?', 'Do admission policies (Pod Security) allow this in the namespace?'],
      benignCauses: ['Platform agents deployed outside the infra namespaces: move them, or add the namespace to infraNamespaces.'],
    },
    condition: (ctx) => and(
      podCreatedOutsideInfra(ctx),
      or(
        intersects('ka.req.pod.containers.privileged', ['true']),
        intersects('ka.req.pod.initContainers.privileged', ['true']),
        eq('ka.req.pod.host_pid', 'true'), eq('ka.req.pod.host_ipc', 'true'), eq('ka.req.pod.host_network', 'true'),
      ),
    ),
  },
  {
    id: 'ds-sensitive-host-mount',
    name: 'DS Sensitive Host Mount',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'A pod was created outside the infrastructure namespaces with a hostPath volume on a sensitive node path.',
    headline: 'Pod with a sensitive hostPath mount created outside infra namespaces',
    priority: 'ERROR',
    confidence: 'high',
    mitre: { tactics: ['mitre_privilege_escalation'], techniques: ['T1611'] },
    scenarios: ['privilege-escalation', 'kubernetes-activity'],
    outputFields: [['hostpaths', 'ka.req.pod.volumes.hostpath']],
    runbook: {
      meaning: 'Mounting the node\'s root, /etc, the kubelet directory or the container runtime socket hands the pod the node.',
      questions: ['Which host path, read-only or not?', 'Who created the pod and from where?'],
      benignCauses: ['Log or monitoring agents: deploy them in an infra namespace.'],
    },
    condition: (ctx) => and(podCreatedOutsideInfra(ctx), intersects('ka.req.pod.volumes.hostpath', SENSITIVE_HOST_PATHS)),
  },
  {
    id: 'ds-excessive-capabilities-pod',
    name: 'DS Excessive Capabilities Pod',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'A pod was created outside the infrastructure namespaces with a container adding a dangerous capability.',
    headline: 'Pod adding dangerous capabilities created outside infra namespaces',
    priority: 'WARNING',
    confidence: 'medium',
    mitre: { tactics: ['mitre_privilege_escalation'], techniques: ['T1611'] },
    scenarios: ['privilege-escalation', 'kubernetes-activity'],
    outputFields: [['added_caps', 'ka.req.pod.containers.add_capabilities']],
    runbook: {
      meaning: 'Capabilities such as SYS_ADMIN or SYS_PTRACE make container escapes easy; product workloads should drop all and add none of these.',
      questions: ['Which container adds which capability, and does the application need it?'],
      benignCauses: ['Network tools needing NET_ADMIN: run them in an infra namespace.'],
    },
    condition: (ctx) => and(
      podCreatedOutsideInfra(ctx),
      addsCapability(DANGEROUS_K8S_CAPABILITIES),
    ),
  },
  {
    id: 'ds-cluster-admin-binding',
    name: 'DS Cluster Admin Binding',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'A role binding or cluster role binding to cluster-admin was created or changed.',
    headline: 'Binding to cluster-admin created or changed',
    priority: 'CRITICAL',
    confidence: 'medium',
    mitre: { tactics: ['mitre_privilege_escalation', 'mitre_persistence'], techniques: ['T1098.006'] },
    scenarios: ['kubernetes-activity', 'privilege-escalation'],
    outputFields: [['role', 'ka.req.binding.role'], ['subjects', 'ka.req.binding.subjects']],
    runbook: {
      meaning: 'Some identity was just given full control of the cluster.',
      questions: ['Which subjects were bound, and do they belong to the platform team?', 'Was the change made through the GitOps pipeline identity or by hand?'],
      benignCauses: ['Cluster bootstrap by the platform pipeline: add its identity to trustedIdentities.'],
    },
    condition: (ctx) => and(
      completed(), inList('ka.verb', ['create', 'update', 'patch']),
      inList('ka.target.resource', ['clusterrolebindings', 'rolebindings']), eq('ka.req.binding.role', 'cluster-admin'),
      ...unlessTrustedIdentity(ctx),
    ),
  },
  {
    id: 'ds-rbac-wildcard-role',
    name: 'DS RBAC Wildcard Role',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'A role or cluster role granting every verb or every resource (*) was created or changed.',
    headline: 'Role granting wildcard verbs or resources created or changed',
    priority: 'WARNING',
    confidence: 'medium',
    mitre: { tactics: ['mitre_privilege_escalation', 'mitre_persistence'], techniques: ['T1098.006'] },
    scenarios: ['kubernetes-activity', 'privilege-escalation'],
    outputFields: [['rules', 'ka.req.role.rules']],
    runbook: {
      meaning: 'Wildcard rules grant more than anyone reviewed, including resources added to the cluster later.',
      questions: ['Who is bound to this role, or will be?', 'Which concrete verbs and resources does the owner need?'],
      benignCauses: ['Operators installed by the platform team: add the installer identity to trustedIdentities.'],
    },
    condition: (ctx) => and(
      completed(), inList('ka.verb', ['create', 'update', 'patch']), inList('ka.target.resource', ['roles', 'clusterroles']),
      or(intersects('ka.req.role.rules.verbs', ['*']), intersects('ka.req.role.rules.resources', ['*'])),
      not(startsWith('ka.target.name', 'system:')), ...unlessTrustedIdentity(ctx),
    ),
  },
  {
    id: 'ds-secret-read-unexpected-identity',
    name: 'DS Secret Read By Unexpected Identity',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'A secret of a product namespace was read by an identity other than that namespace\'s service accounts, the control plane or a trusted identity.',
    headline: 'Product secret read by an unexpected identity',
    priority: 'WARNING',
    confidence: 'medium',
    mitre: { tactics: ['mitre_credential_access'], techniques: ['T1552.007'] },
    scenarios: ['kubernetes-activity'],
    runbook: {
      meaning: 'Credentials of a product were read by someone who does not run it.',
      questions: ['Which secret, and what does it unlock (database, payment provider, signing key)?', 'Should the secret be rotated now?'],
      benignCauses: ['Secret-sync or backup tools: add their identity to trustedIdentities.'],
    },
    condition: (ctx) => and(
      completed(), eq('ka.target.resource', 'secrets'), inList('ka.verb', ['get', 'list', 'watch']),
      inList('ka.target.namespace', ctx.namespaces), notOwnServiceAccount(ctx), ...notControlPlane(), ...unlessTrustedIdentity(ctx),
    ),
  },
  {
    id: 'ds-service-account-token-request',
    name: 'DS Service Account Token Request By Unexpected Identity',
    pack: 'k8s-audit',
    source: 'k8s_audit',
    description: 'A token for a product service account was requested (TokenRequest) by an identity other than a kubelet, the control plane or a trusted identity.',
    headline: 'Service-account token minted by an unexpected identity',
    priority: 'WARNING',
    confidence: 'medium',
    mitre: { tactics: ['mitre_credential_access'], techniques: ['T1528'] },
    scenarios: ['kubernetes-activity'],
    runbook: {
      meaning: 'Someone minted a token to act as a product\'s service account, outside the kubelet that normally does this for pods.',
      questions: ['Which service account, and what can it do (its RoleBindings)?', 'How long is the requested token valid?'],
      benignCauses: ['CI systems that mint short-lived tokens: add their identity to trustedIdentities.'],
    },
    condition: (ctx) => and(
      completed(), eq('ka.verb', 'create'), eq('ka.target.resource', 'serviceaccounts'), eq('ka.target.subresource', 'token'),
      inList('ka.target.namespace', ctx.namespaces), ...notControlPlane(), ...unlessTrustedIdentity(ctx),
    ),
  },
];
