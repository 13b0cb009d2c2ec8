import { createHash } from 'crypto';
import type { EgressPlan } from './egress';
import type { IpFamily } from './ip-family';
import type { SecretKeyRef, SecretEnvPlan } from './secrets';

/**
 * One workload of the stack (Falco, the k8saudit Falco, Falcosidekick, Alertmanager, the Fluent Bit shipper, the
 * Tetragon agent and operator) as plain data: the controller, its pod spec, its ServiceAccount, configuration objects,
 * Services, disruption budget and NetworkPolicy, every value decided. The cdk8s `Workload` construct renders exactly
 * this; Helm values, operator resources and other renderers read the same data and decide nothing.
 * Field names follow the Kubernetes API, so a renderer maps them one to one.
 */
/** What a workload may hold beyond a restricted pod, each stated in REPORT.md with its reason. */
export type WorkloadPrivilege = 'privileged' | 'hostNetwork' | 'unnamedCreate';

export interface WorkloadPlan {
  readonly kind: 'DaemonSet' | 'Deployment' | 'StatefulSet';
  readonly name: string;
  readonly namespace: string;
  /** Labels of every object of the workload and of its pods. */
  readonly labels: Readonly<Record<string, string>>;
  /** The immutable subset the controller, Services, budget and NetworkPolicy select the pods by. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Deployment and StatefulSet replicas. @default none (DaemonSet) */
  readonly replicas?: number;
  /** DaemonSet `updateStrategy` or Deployment `strategy`. @default the controller's */
  readonly rollout?: { readonly type: 'Recreate' } | { readonly type: 'RollingUpdate'; readonly maxUnavailable?: number; readonly maxSurge?: number };
  /**
   * StatefulSet only: the headless Service that names the pods, how pods are started, and a PersistentVolumeClaim
   * template per volume the pods mount by that name (`ReadWriteOnce`).
   */
  readonly statefulSet?: {
    readonly serviceName: string;
    readonly podManagementPolicy: 'Parallel' | 'OrderedReady';
    readonly volumeClaims?: readonly { readonly name: string; readonly storage: string; readonly storageClassName?: string }[];
  };
  readonly serviceAccount: WorkloadServiceAccount;
  /**
   * Why the workload holds what a restricted pod does not (a privileged container, the host network, `create` that
   * RBAC cannot limit by name): REPORT.md states each one the spec holds with this reason. @default none
   */
  readonly privilegeReasons?: Readonly<Partial<Record<WorkloadPrivilege, string>>>;
  /** A ClusterRole bound to the ServiceAccount (both named like the workload). @default none */
  readonly clusterRole?: { readonly rules: readonly PolicyRulePlan[] };
  /** ConfigMaps and Secrets the pods mount, created before the controller. */
  readonly configs: readonly ConfigObjectPlan[];
  readonly pod: PodPlan;
  /** Services selecting the pods. @default none */
  readonly services: readonly ServicePlan[];
  /** A PodDisruptionBudget keeping this many pods up. @default none */
  readonly minAvailable?: number;
  /** Who may connect and where the pods may connect to; default deny for both. @default no NetworkPolicy */
  readonly networkPolicy?: { readonly ingress: readonly NetworkRulePlan[]; readonly egress: readonly NetworkRulePlan[] };
}

export interface WorkloadServiceAccount {
  readonly name: string;
  /** `automountServiceAccountToken` on the ServiceAccount and the pods. @default unset (mounted) */
  readonly automountToken?: false;
  /** e.g. the IRSA role or the workload identity client. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface PolicyRulePlan {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

export interface ConfigObjectPlan {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  /** Labels added to the workload's (e.g. the team owning a rules ConfigMap). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** File name -> content (a Secret's content is rendered as `stringData`). */
  readonly data: Readonly<Record<string, string>>;
}

export interface PodPlan {
  /** e.g. the config checksum, so a change of configuration rolls the pods. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly enableServiceLinks?: boolean;
  readonly priorityClassName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly TolerationPlan[];
  readonly hostNetwork?: boolean;
  readonly dnsPolicy?: 'Default' | 'ClusterFirst' | 'ClusterFirstWithHostNet';
  readonly terminationGracePeriodSeconds?: number;
  /** Spread the replicas over nodes (`kubernetes.io/hostname`, ScheduleAnyway). @default false */
  readonly spreadOverNodes?: boolean;
  readonly securityContext?: PodSecurityPlan;
  readonly initContainers?: readonly ContainerPlan[];
  readonly containers: readonly ContainerPlan[];
  readonly volumes: readonly VolumePlan[];
}

export interface TolerationPlan {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

export interface PodSecurityPlan {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Unconfined' };
  readonly appArmorProfile?: { readonly type: 'RuntimeDefault' | 'Unconfined' };
}

export interface ContainerSecurityPlan {
  readonly privileged?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities?: { readonly drop: readonly string[]; readonly add?: readonly string[] };
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Unconfined' };
}

export interface ContainerPlan {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy?: 'IfNotPresent' | 'Always';
  readonly terminationMessagePolicy?: 'FallbackToLogsOnError';
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** @default no env key */
  readonly env?: readonly EnvVarPlan[];
  /** @default no ports key */
  readonly ports?: readonly ContainerPortPlan[];
  readonly startupProbe?: ProbePlan;
  readonly livenessProbe?: ProbePlan;
  readonly readinessProbe?: ProbePlan;
  readonly resources: ResourcesPlan;
  readonly securityContext: ContainerSecurityPlan;
  readonly volumeMounts: readonly VolumeMountPlan[];
}

/** A literal, a field of the pod (`spec.nodeName`, `status.podIP`), or a Secret key (never the secret's value). */
export type EnvVarPlan =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly fieldPath: string }
  | { readonly name: string; readonly secret: SecretKeyRef };

export interface ContainerPortPlan {
  readonly name: string;
  readonly containerPort: number;
  /** @default unset (TCP) */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface ProbePlan {
  readonly httpGet?: { readonly path: string; readonly port: number | string };
  readonly grpc?: { readonly port: number; readonly service: string };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

export interface CpuMemory { readonly cpu: string; readonly memory: string }
export interface ResourcesPlan { readonly requests: CpuMemory; readonly limits: CpuMemory }

export interface VolumeMountPlan {
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly readOnly?: boolean;
  readonly mountPropagation?: 'Bidirectional' | 'HostToContainer';
}

export type VolumePlan =
  | { readonly name: string; readonly configMap: { readonly name: string } }
  /** Several ConfigMaps in one folder (their keys must not collide). */
  | { readonly name: string; readonly projected: { readonly sources: readonly { readonly configMap: { readonly name: string } }[] } }
  | { readonly name: string; readonly secret: SecretVolumePlan }
  | { readonly name: string; readonly emptyDir: { readonly sizeLimit?: string } }
  | { readonly name: string; readonly hostPath: { readonly path: string; readonly type?: HostPathType } };

export interface SecretVolumePlan {
  readonly secretName: string;
  readonly defaultMode?: number;
  readonly items?: readonly { readonly key: string; readonly path: string }[];
}

export type HostPathType = 'Directory' | 'DirectoryOrCreate' | 'File' | 'Socket';

export interface ServicePlan {
  readonly name: string;
  /** `clusterIP: None`: the pods' own DNS names (a StatefulSet's governing Service). @default a ClusterIP Service */
  readonly headless?: boolean;
  readonly publishNotReadyAddresses?: boolean;
  /**
   * `ipFamilyPolicy: SingleStack` with this family: the Service's endpoints, and a headless Service's DNS records, are
   * the pods' addresses of this family only. @default the cluster's first service family
   */
  readonly ipFamily?: IpFamily;
  /** Each port targets the container port of the same name. */
  readonly ports: readonly { readonly name: string; readonly port: number; readonly protocol: 'TCP' | 'UDP' }[];
}

/** One NetworkPolicy rule: from/to any of `peers` (any address when absent) on any of `ports` (all when absent). */
export interface NetworkRulePlan {
  readonly peers?: readonly NetworkPeerPlan[];
  readonly ports?: readonly { readonly port: number; readonly protocol: 'TCP' | 'UDP' }[];
}

/** Pods with these labels (in `namespace`, or the workload's own when absent), all pods of `namespace`, or a CIDR. */
export type NetworkPeerPlan =
  | { readonly pods: Readonly<Record<string, string>>; readonly namespace?: string }
  | { readonly namespace: string }
  | { readonly cidr: string };

/** Pods by labels, in `namespace` (or the workload's own namespace when absent): a client or server of a workload. */
export type PodPeerPlan = Extract<NetworkPeerPlan, { readonly pods: Readonly<Record<string, string>> }>;

/** DNS to the cluster's CoreDNS (label `k8s-app: kube-dns` on EKS, AKS and OKE). */
export const DNS_EGRESS_RULE: NetworkRulePlan = {
  peers: [{ namespace: 'kube-system', pods: { 'k8s-app': 'kube-dns' } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

/** DNS to the node's resolver (pods with `dnsPolicy: Default`): its address is the node's, so any address on port 53. */
export const NODE_DNS_EGRESS_RULE: NetworkRulePlan = { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };

/**
 * The Kubernetes API server. NetworkPolicy sees the endpoint after the Service's translation, whose address the stack
 * does not know and whose port is 443 (EKS, AKS) or 6443 (OKE, self-managed): any address on those two ports.
 */
export const API_SERVER_EGRESS_RULE: NetworkRulePlan = { ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] };

/** NetworkPolicy egress rules for a plan's destinations. */
export function egressRules(egress: readonly EgressPlan[]): NetworkRulePlan[] {
  return egress.map((e): NetworkRulePlan => {
    switch (e.kind) {
      case 'namespace':
        // The Service port is translated to a pod port this stack does not know: allow the namespace.
        return { peers: [{ namespace: e.namespace }] };
      case 'pods':
        return {
          peers: [{ pods: e.podLabels, ...(e.namespace !== undefined ? { namespace: e.namespace } : {}) }],
          ports: [{ port: e.port, protocol: e.protocol }],
        };
      case 'cidr':
        return { peers: [{ cidr: e.cidr }], ports: [{ port: e.port, protocol: e.protocol }] };
      case 'external':
        return { peers: [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }], ports: [{ port: e.port, protocol: e.protocol }] };
    }
  });
}

/** Credentials as env vars read from the users' Secrets: the manifest holds only the reference. */
export function secretEnvVars(env: readonly SecretEnvPlan[]): EnvVarPlan[] {
  return env.map((e) => ({ name: e.env, secret: e.secret }));
}

/** Container security of a workload that needs no privilege: nothing writable but its declared volumes. */
export function hardenedContainer(user: number): ContainerSecurityPlan {
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

/** The workload's main container (the first; sidecars follow it), where its image and resources are read from. */
export function mainContainer(workload: WorkloadPlan): ContainerPlan {
  return workload.pod.containers[0];
}

/** The pod-template annotation whose value changes with the rendered configuration, so the pods roll. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';

/** `sha256:<hex>` of the parts, separated so that moving text between parts changes it. */
export function configChecksum(...parts: string[]): string {
  return `sha256:${createHash('sha256').update(parts.join('\u0000')).digest('hex')}`;
}
