/** Egress a NetworkPolicy must allow. */
export type EgressPlan =
  /** An in-cluster Service's namespace (all ports: a Service port is translated to an unknown pod port). */
  | { readonly kind: 'namespace'; readonly namespace: string }
  /** Pods of this stack on a known container port, in `namespace` (the workload's own when absent). */
  | {
    readonly kind: 'pods';
    readonly podLabels: Readonly<Record<string, string>>;
    readonly namespace?: string;
    readonly port: number;
    readonly protocol: 'TCP' | 'UDP';
  }
  /** Hosts outside the cluster on a port (NetworkPolicy cannot name DNS hosts: any address). */
  | { readonly kind: 'external'; readonly port: number; readonly protocol: 'TCP' | 'UDP' }
  /** A fixed address block on a port (e.g. the EKS Pod Identity agent). */
  | { readonly kind: 'cidr'; readonly cidr: string; readonly port: number; readonly protocol: 'TCP' | 'UDP' };

/** The EKS Pod Identity agent on every node: credentials come from here when no IRSA role is set. */
export const EKS_POD_IDENTITY_AGENT: readonly EgressPlan[] = [
  { kind: 'cidr', cidr: '169.254.170.23/32', port: 80, protocol: 'TCP' },
  { kind: 'cidr', cidr: 'fd00:ec2::23/128', port: 80, protocol: 'TCP' },
];

export function dedupeEgress(rules: readonly EgressPlan[]): EgressPlan[] {
  const seen = new Map<string, EgressPlan>();
  for (const r of rules) seen.set(JSON.stringify(r), r);
  return [...seen.values()];
}

/** A network destination as the NetworkPolicy needs it. */
export interface NetworkDestination {
  readonly host: string;
  readonly port: number;
  /** The host is a cluster Service address (bare name, `*.svc` or `*.svc.cluster.local`). */
  readonly inCluster: boolean;
  /** Namespace of an in-cluster host. */
  readonly namespace?: string;
}

/** Classifies a host: in-cluster Service addresses name their namespace. */
export function classifyHost(host: string, port: number, stackNamespace: string): NetworkDestination {
  const labels = host.toLowerCase().split('.');
  if (labels.length === 1) return { host, port, inCluster: true, namespace: stackNamespace };
  const svc = labels.lastIndexOf('svc');
  const tail = labels.slice(svc + 1).join('.');
  if (svc >= 2 && (tail === '' || tail === 'cluster.local')) {
    return { host, port, inCluster: true, namespace: labels[svc - 1] };
  }
  return { host, port, inCluster: false };
}
