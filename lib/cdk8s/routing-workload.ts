import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import type { EgressPlan } from '../core/egress';
import type { SecretEnvPlan } from '../core/secrets';

/** Pod-template annotation that changes with the rendered config, so the workload rolls. */
export const ROUTING_CHECKSUM_ANNOTATION = 'checksum/config';

export function checksum(...parts: string[]): string {
  return `sha256:${createHash('sha256').update(parts.join('\u0000')).digest('hex')}`;
}

/** Container security for the routing workloads: no privilege, nothing writable but declared volumes. */
export function hardenedContainer(user: number): k8s.SecurityContext {
  return {
    runAsNonRoot: user !== 0,
    runAsUser: user,
    runAsGroup: user,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Replicas spread over nodes, so one node going down does not take every replica with it. */
export function spreadOverNodes(selectorLabels: Readonly<Record<string, string>>): k8s.TopologySpreadConstraint[] {
  return [{
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selectorLabels } },
  }];
}

export function resources(r: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
  };
}

/** Credentials as env vars read from the users' Secrets: the manifest holds only the reference. */
export function secretEnv(env: readonly SecretEnvPlan[]): k8s.EnvVar[] {
  return env.map((e) => ({ name: e.env, valueFrom: { secretKeyRef: { name: e.secret.name, key: e.secret.key, optional: false } } }));
}

/** DNS to the cluster's CoreDNS (label `k8s-app: kube-dns` on EKS, AKS and OKE). */
export const DNS_EGRESS: k8s.NetworkPolicyEgressRule = {
  to: [{
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
  }],
  ports: [
    { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
    { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
  ],
};

/** NetworkPolicy egress rules for a plan's destinations. */
export function egressRules(egress: readonly EgressPlan[]): k8s.NetworkPolicyEgressRule[] {
  return egress.map((e): k8s.NetworkPolicyEgressRule => {
    switch (e.kind) {
      case 'namespace':
        // The Service port is translated to a pod port this stack does not know: allow the namespace.
        return { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': e.namespace } } }] };
      case 'pods':
        return {
          to: [{ podSelector: { matchLabels: { ...e.podLabels } } }],
          ports: [{ port: k8s.IntOrString.fromNumber(e.port), protocol: e.protocol }],
        };
      case 'cidr':
        return { to: [{ ipBlock: { cidr: e.cidr } }], ports: [{ port: k8s.IntOrString.fromNumber(e.port), protocol: e.protocol }] };
      case 'external':
        return {
          to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
          ports: [{ port: k8s.IntOrString.fromNumber(e.port), protocol: e.protocol }],
        };
    }
  });
}
