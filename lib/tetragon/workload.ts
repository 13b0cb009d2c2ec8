import { createHash } from 'crypto';
import {
  API_SERVER_EGRESS_RULE, CONFIG_CHECKSUM_ANNOTATION, ContainerPlan, DNS_EGRESS_RULE, NODE_DNS_EGRESS_RULE, ResourcesPlan, WorkloadPlan,
} from '../core/workload';

export const TETRAGON_NAME = 'tetragon';
export const TETRAGON_OPERATOR_NAME = 'tetragon-operator';
/** The CRDs the operator creates and keeps up to date. */
export const TETRAGON_CRD_NAMES = ['tracingpolicies.cilium.io', 'tracingpoliciesnamespaced.cilium.io'];

/** The agent's gRPC health server (chart: tetragon.healthGrpc.port), probed with the `liveness` service. */
export const TETRAGON_HEALTH_PORT = 6789;
export const TETRAGON_METRICS_PORT = 2112;
export const OPERATOR_METRICS_PORT = 2113;
/** The operator's controller-runtime probe endpoint (/healthz, /readyz). */
export const OPERATOR_PROBE_PORT = 8081;
/** Where the agent sees the host's /proc (config key `procfs`); mounted read-only instead of sharing the host PID namespace. */
export const HOST_PROC_MOUNT = '/procRoot';

/** What the Tetragon plan decides that its workloads carry. */
export interface TetragonWorkloadInputs {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly images: { readonly agent: string; readonly operator: string };
  /** The export-stdout sidecar's image and resources, only with its opt-in (export.stdoutSidecar). */
  readonly exportStdout?: { readonly image: string; readonly resources: ResourcesPlan };
  /** Host directory holding the JSON export file. */
  readonly exportDirectory: string;
  /**
   * Host path of the JSON events file on every node: the durable shipper tails it to the bucket and the declared
   * routes. Tetragon has no alert router of its own.
   */
  readonly exportHostPath: string;
  /** The agent's configuration (ConfigMap mounted as /etc/tetragon/tetragon.conf.d/, one file per key). */
  readonly agentConfig: Readonly<Record<string, string>>;
  /** The operator's configuration (it installs the CRDs). */
  readonly operatorConfig: Readonly<Record<string, string>>;
  readonly resources: { readonly agent: ResourcesPlan; readonly operator: ResourcesPlan };
  /** Metrics and health servers on every interface (`:port`) instead of the node's primary address. */
  readonly listenOnAllInterfaces: boolean;
}

/**
 * The agent DaemonSet (agent + export-stdout) and the operator Deployment that installs the CRDs, with
 * least-privilege RBAC for both.
 *
 * Privileges beyond Falco's, and why: the agent container is privileged because it loads kprobe/LSM BPF programs
 * and pins its maps under /sys/fs/bpf with Bidirectional mount propagation, which Kubernetes allows only in
 * privileged containers. It shares the host network because upstream requires it for process visibility (chart
 * values.yaml `hostNetwork`), so its metrics (2112) and health (6789) ports are node ports. Reduced from the upstream
 * chart: no hostPID (the host /proc is mounted read-only at /procRoot), gRPC only on a unix socket in an emptyDir,
 * no /var/run/cilium mount, pod-info CRD off, RBAC without services/pods it never reads; export-stdout runs with no
 * capabilities on a read-only root filesystem.
 */
export function tetragonWorkloads(plan: TetragonWorkloadInputs): { readonly agent: WorkloadPlan; readonly operator: WorkloadPlan } {
  const agentSelector = { 'app.kubernetes.io/name': TETRAGON_NAME, 'app.kubernetes.io/component': 'sensor' };
  const operatorSelector = { 'app.kubernetes.io/name': TETRAGON_OPERATOR_NAME, 'app.kubernetes.io/component': 'operator' };
  const agentConfigName = `${TETRAGON_NAME}-config`;
  const operatorConfigName = `${TETRAGON_OPERATOR_NAME}-config`;
  const checksum = createHash('sha256').update(JSON.stringify(plan.agentConfig)).digest('hex');

  const agent: WorkloadPlan = {
    kind: 'DaemonSet',
    name: TETRAGON_NAME,
    namespace: plan.namespace,
    labels: { ...plan.labels, ...agentSelector },
    selectorLabels: agentSelector,
    rollout: { type: 'RollingUpdate', maxUnavailable: 1 },
    serviceAccount: { name: TETRAGON_NAME },
    privilegeReasons: {
      privileged: 'it loads kprobe and LSM BPF programs and pins their maps under /sys/fs/bpf with Bidirectional mount propagation, '
        + 'which Kubernetes allows only in privileged containers',
      hostNetwork: 'Tetragon requires the host network for process visibility (tetragon chart v1.7.0 values.yaml `hostNetwork`); '
        + 'its metrics and health listeners are bound to the pod IP, so they are node ports',
    },
    clusterRole: {
      rules: [
        // pod, namespace and node metadata for events and for podSelector/namespaced policies (pkg/manager/manager.go).
        // The upstream chart also grants services, which the agent never reads.
        { apiGroups: [''], resources: ['namespaces', 'nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['cilium.io'], resources: ['tracingpolicies', 'tracingpoliciesnamespaced'], verbs: ['get', 'list', 'watch'] },
        // the agent waits for the operator's CRDs; it never writes them
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    configs: [{ kind: 'ConfigMap', name: agentConfigName, data: plan.agentConfig }],
    pod: {
      annotations: { [CONFIG_CHECKSUM_ANNOTATION]: `sha256:${checksum}` },
      enableServiceLinks: false,
      priorityClassName: 'system-node-critical',
      // a sensor that skips tainted pools leaves them unmonitored: tolerate every taint
      tolerations: [{ operator: 'Exists' }],
      terminationGracePeriodSeconds: 1,
      // "Tetragon must be on the host network for the process visibility to function properly" (chart values.yaml)
      hostNetwork: true,
      dnsPolicy: 'Default',
      containers: [
        ...exportStdoutContainers(plan),
        {
          name: TETRAGON_NAME,
          image: plan.images.agent,
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          args: ['--config-dir=/etc/tetragon/tetragon.conf.d/', ...nodeAddressListeners(plan.listenOnAllInterfaces)],
          securityContext: { privileged: true },
          env: [{ name: 'NODE_NAME', fieldPath: 'spec.nodeName' }, ...(plan.listenOnAllInterfaces ? [] : [{ name: 'POD_IP', fieldPath: 'status.podIP' }])],
          ports: [
            { name: 'metrics', containerPort: TETRAGON_METRICS_PORT, protocol: 'TCP' },
            { name: 'health', containerPort: TETRAGON_HEALTH_PORT, protocol: 'TCP' },
          ],
          resources: plan.resources.agent,
          livenessProbe: { grpc: { port: TETRAGON_HEALTH_PORT, service: 'liveness' }, timeoutSeconds: 60, periodSeconds: 30, failureThreshold: 3 },
          readinessProbe: { grpc: { port: TETRAGON_HEALTH_PORT, service: 'liveness' }, timeoutSeconds: 10, periodSeconds: 10 },
          volumeMounts: [
            { name: 'tetragon-config', mountPath: '/etc/tetragon/tetragon.conf.d/', readOnly: true },
            { name: 'bpf-maps', mountPath: '/sys/fs/bpf', mountPropagation: 'Bidirectional' },
            { name: 'tetragon-run', mountPath: '/var/run/tetragon' },
            { name: 'export-logs', mountPath: plan.exportDirectory },
            { name: 'host-proc', mountPath: HOST_PROC_MOUNT, readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'tetragon-config', configMap: { name: agentConfigName } },
        // bpffs' mount point exists wherever the kernel has BPF (sysfs creates it); the stack creates nothing under /sys.
        { name: 'bpf-maps', hostPath: { path: '/sys/fs/bpf', type: 'Directory' } },
        { name: 'tetragon-run', emptyDir: {} },
        { name: 'export-logs', hostPath: { path: plan.exportDirectory, type: 'DirectoryOrCreate' } },
        { name: 'host-proc', hostPath: { path: '/proc', type: 'Directory' } },
      ],
    },
    services: [],
    // Nothing calls in (the kubelet's probes come from the node, which NetworkPolicy always admits; Prometheus is
    // admitted by the monitoring layer); out: DNS through the node's resolver and the API server. A host-network pod
    // is outside NetworkPolicy on many network plugins (kubernetes.io/docs/concepts/services-networking/network-policies,
    // "hostNetwork pods"): there the listeners' binding above is what limits them.
    networkPolicy: { ingress: [], egress: [NODE_DNS_EGRESS_RULE, API_SERVER_EGRESS_RULE] },
  };

  const operator: WorkloadPlan = {
    kind: 'Deployment',
    name: TETRAGON_OPERATOR_NAME,
    namespace: plan.namespace,
    labels: { ...plan.labels, ...operatorSelector },
    selectorLabels: operatorSelector,
    replicas: 1,
    rollout: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 },
    serviceAccount: { name: TETRAGON_OPERATOR_NAME },
    privilegeReasons: {
      unnamedCreate: 'it installs the TracingPolicy CRDs when it starts, and RBAC cannot limit `create` by resourceNames (the name of a new object '
        + 'is not known when the request is authorized: kubernetes.io RBAC "Referring to resources"); its get, list, watch and update are '
        + `limited to ${TETRAGON_CRD_NAMES.join(' and ')}`,
    },
    clusterRole: {
      rules: [
        // no pods rule: only the pod-info controller reads pods, and skip-pod-info-crd keeps it off (operator/cmd/serve/serve.go)
        // create cannot be limited by name (the object does not exist yet)
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['create'] },
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], resourceNames: TETRAGON_CRD_NAMES, verbs: ['get', 'list', 'watch', 'update'] },
      ],
    },
    configs: [{ kind: 'ConfigMap', name: operatorConfigName, data: plan.operatorConfig }],
    pod: {
      annotations: {},
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 10,
      securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: TETRAGON_OPERATOR_NAME,
        image: plan.images.operator,
        imagePullPolicy: 'IfNotPresent',
        command: ['/usr/bin/tetragon-operator'],
        args: ['serve', '--config-dir=/etc/tetragon/operator.conf.d/', `--metrics-bind-address=:${OPERATOR_METRICS_PORT}`],
        ports: [{ name: 'metrics', containerPort: OPERATOR_METRICS_PORT, protocol: 'TCP' }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        livenessProbe: { httpGet: { path: '/healthz', port: OPERATOR_PROBE_PORT }, initialDelaySeconds: 15, periodSeconds: 20 },
        readinessProbe: { httpGet: { path: '/readyz', port: OPERATOR_PROBE_PORT }, initialDelaySeconds: 5, periodSeconds: 10 },
        resources: plan.resources.operator,
        volumeMounts: [{ name: 'tetragon-operator-config', mountPath: '/etc/tetragon/operator.conf.d/', readOnly: true }],
      }],
      volumes: [{ name: 'tetragon-operator-config', configMap: { name: operatorConfigName } }],
    },
    services: [],
    // Nothing calls in but the kubelet's probes and, through the monitoring layer, Prometheus; out: DNS and the API server.
    networkPolicy: { ingress: [], egress: [DNS_EGRESS_RULE, API_SERVER_EGRESS_RULE] },
  };
  return { agent, operator };
}

/**
 * The agent shares the node's network, so `:port` would listen on every interface of the node. Flags win over the
 * config directory (tetragon 1.7.0 cmd/tetragon/main.go binds the flags into viper, which prefers a set flag to the
 * config it merges from --config-dir) and take `<address>:<port>` (pkg/option/flags.go `metrics-server`,
 * `health-server-address`; net.Listen in pkg/health/server.go, http.ListenAndServe in pkg/metricsconfig/root.go):
 * the node's primary address, which the kubelet probes and Prometheus scrapes. The address is in brackets, Go's
 * `[host]:port` form (net.SplitHostPort), so one form serves IPv4 (`[10.0.3.7]:2112`) and IPv6 (`[fd00::7]:2112`)
 * nodes alike: `fd00::7:2112` would be refused ("too many colons"), a fatal error for the health server.
 */
function nodeAddressListeners(allInterfaces: boolean): string[] {
  if (allInterfaces) return [];
  return [`--metrics-server=[$(POD_IP)]:${TETRAGON_METRICS_PORT}`, `--health-server-address=[$(POD_IP)]:${TETRAGON_HEALTH_PORT}`];
}

/** Root only to read the 0600 export file the agent (root) writes; no capability is needed for that. */
export const EXPORT_STDOUT_SECURITY_CONTEXT = {
  runAsUser: 0,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/** The export-stdout sidecar, only with its opt-in (export.stdoutSidecar): it copies the export file to the pod log. */
function exportStdoutContainers(plan: TetragonWorkloadInputs): ContainerPlan[] {
  if (!plan.exportStdout) return [];
  const { image, resources } = plan.exportStdout;
  return [{
    name: 'export-stdout',
    image,
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePolicy: 'FallbackToLogsOnError',
    command: ['hubble-export-stdout'],
    args: [plan.exportHostPath],
    securityContext: EXPORT_STDOUT_SECURITY_CONTEXT,
    resources,
    volumeMounts: [{ name: 'export-logs', mountPath: plan.exportDirectory, readOnly: true }],
  }];
}
