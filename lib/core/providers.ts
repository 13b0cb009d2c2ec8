/** The managed Kubernetes services a stack can target. */
export type CloudProvider = 'oke' | 'eks' | 'aks';

export const CLOUD_PROVIDERS: readonly CloudProvider[] = ['oke', 'eks', 'aks'];

/** The container runtime on a provider's default node image, as the Falco container plugin sees it. */
export interface ContainerRuntimeProfile {
  readonly engine: 'cri-o' | 'containerd';
  /** Socket path on the node. */
  readonly socketPath: string;
}

/** What differs per provider, as facts. Planning reads these; nothing else hard-codes provider behaviour. */
export interface ProviderProfile {
  readonly provider: CloudProvider;
  readonly displayName: string;
  readonly containerRuntime: ContainerRuntimeProfile;
  /** Default node operating systems. */
  readonly nodeOs: readonly string[];
  /** Kernel facts that decide how the eBPF driver can run. */
  readonly kernel: {
    /** Default node kernels ship BTF (modern_ebpf needs it). */
    readonly btf: boolean;
    /**
     * `kernel.perf_event_paranoid` is raised above 2 on some default images (Ubuntu sets 4),
     * which makes the least-privileged modern_ebpf mode fail without CAP_SYS_ADMIN.
     */
    readonly perfEventParanoidAbove2: boolean;
  };
  /** Control-plane audit facilities the provider offers. */
  readonly audit: {
    /** Managed control planes accept no custom audit.k8s.io Policy. */
    readonly customPolicySupported: boolean;
    /** Where API-server audit events go. */
    readonly controlPlaneAuditSink: string;
    /** The Falco k8saudit plugin for this provider, if one exists. */
    readonly k8sauditPlugin?: 'k8saudit-eks' | 'k8saudit-aks';
    /** The provider's cloud audit trail. */
    readonly cloudAuditTrail: string;
  };
  /** The durable object store for alerts. */
  readonly objectStore: {
    readonly service: string;
    /** The shipper talks to it through the S3 API. */
    readonly s3Api: boolean;
  };
}

const CONTAINERD: ContainerRuntimeProfile = { engine: 'containerd', socketPath: '/run/containerd/containerd.sock' };

export const PROVIDER_PROFILES: Readonly<Record<CloudProvider, ProviderProfile>> = {
  oke: {
    provider: 'oke',
    displayName: 'Oracle Kubernetes Engine',
    containerRuntime: { engine: 'cri-o', socketPath: '/var/run/crio/crio.sock' },
    nodeOs: ['Oracle Linux 8', 'Oracle Linux 9'],
    kernel: { btf: true, perfEventParanoidAbove2: false },
    audit: {
      customPolicySupported: false,
      controlPlaneAuditSink: 'OCI Audit (API-server events in the _Audit log group)',
      cloudAuditTrail: 'OCI Audit',
    },
    objectStore: { service: 'OCI Object Storage', s3Api: true },
  },
  eks: {
    provider: 'eks',
    displayName: 'Amazon Elastic Kubernetes Service',
    containerRuntime: CONTAINERD,
    nodeOs: ['Amazon Linux 2023', 'Bottlerocket'],
    kernel: { btf: true, perfEventParanoidAbove2: false },
    audit: {
      customPolicySupported: false,
      controlPlaneAuditSink: 'CloudWatch Logs /aws/eks/<cluster>/cluster (enabledClusterLogTypes: audit)',
      k8sauditPlugin: 'k8saudit-eks',
      cloudAuditTrail: 'AWS CloudTrail',
    },
    objectStore: { service: 'Amazon S3', s3Api: true },
  },
  aks: {
    provider: 'aks',
    displayName: 'Azure Kubernetes Service',
    containerRuntime: CONTAINERD,
    nodeOs: ['Ubuntu 22.04', 'Azure Linux'],
    kernel: { btf: true, perfEventParanoidAbove2: true },
    audit: {
      customPolicySupported: false,
      controlPlaneAuditSink: 'diagnostic setting categories kube-audit / kube-audit-admin',
      k8sauditPlugin: 'k8saudit-aks',
      cloudAuditTrail: 'Azure Activity Log',
    },
    objectStore: { service: 'Azure Blob Storage', s3Api: false },
  },
};
