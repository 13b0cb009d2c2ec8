import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { TetragonTracingPolicy } from './tetragon-policy';
import {
  HOST_PROC_MOUNT, OPERATOR_METRICS_PORT, OPERATOR_PROBE_PORT, ResolvedResources, TETRAGON_HEALTH_PORT,
  TETRAGON_METRICS_PORT, TetragonPlan,
} from '../tetragon/plan';

export interface TetragonSensorConstructProps {
  /** The resolved plan (`DetectionStack.plan.tetragon`, or `planTetragon(...)`). */
  readonly plan: TetragonPlan;
}

export const TETRAGON_NAME = 'tetragon';
export const TETRAGON_OPERATOR_NAME = 'tetragon-operator';
/** Pod-template annotation that changes with the agent configuration, so the DaemonSet rolls. */
export const TETRAGON_CHECKSUM_ANNOTATION = 'checksum/config';
/** The CRDs the operator creates and keeps up to date. */
export const TETRAGON_CRD_NAMES = ['tracingpolicies.cilium.io', 'tracingpoliciesnamespaced.cilium.io'];

/**
 * The Tetragon runtime sensor: agent DaemonSet (agent + export-stdout), its ConfigMap, the operator that installs
 * the CRDs, least-privilege RBAC for both, and the detections' TracingPolicies. Every decision is in the plan.
 *
 * Privileges beyond Falco's, and why: the agent container is privileged because it loads kprobe/LSM BPF programs
 * and pins its maps under /sys/fs/bpf with Bidirectional mount propagation, which Kubernetes allows only in
 * privileged containers. It shares the host network because upstream requires it for process visibility (chart
 * values.yaml `hostNetwork`), so its metrics (2112) and health (6789) ports are node ports. Reduced from the upstream
 * chart: no hostPID (the host /proc is mounted read-only at /procRoot), gRPC only on a unix socket in an emptyDir,
 * no /var/run/cilium mount, pod-info CRD off, RBAC without services/pods it never reads; export-stdout runs with no
 * capabilities on a read-only root filesystem.
 */
export class TetragonSensor extends Construct {
  public readonly daemonSet: k8s.KubeDaemonSet;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly operator: k8s.KubeDeployment;
  public readonly policies: TetragonTracingPolicy[] = [];

  constructor(scope: Construct, id: string, props: TetragonSensorConstructProps) {
    super(scope, id);
    const plan = props.plan;
    const agentLabels = { 'app.kubernetes.io/name': TETRAGON_NAME, 'app.kubernetes.io/component': 'sensor' };
    const operatorLabels = { 'app.kubernetes.io/name': TETRAGON_OPERATOR_NAME, 'app.kubernetes.io/component': 'operator' };
    const metadata = (name: string, labels: Record<string, string>) => ({ name, namespace: plan.namespace, labels: { ...plan.labels, ...labels } });
    const clusterMetadata = (name: string, labels: Record<string, string>) => ({ name, labels: { ...plan.labels, ...labels } });

    // ---- agent
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: metadata(TETRAGON_NAME, agentLabels) });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: clusterMetadata(TETRAGON_NAME, agentLabels),
      rules: [
        // pod, namespace and node metadata for events and for podSelector/namespaced policies (pkg/manager/manager.go).
        // The upstream chart also grants services, which the agent never reads.
        { apiGroups: [''], resources: ['namespaces', 'nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['cilium.io'], resources: ['tracingpolicies', 'tracingpoliciesnamespaced'], verbs: ['get', 'list', 'watch'] },
        // the agent waits for the operator's CRDs; it never writes them
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: clusterMetadata(TETRAGON_NAME, agentLabels),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: TETRAGON_NAME },
      subjects: [{ kind: 'ServiceAccount', name: TETRAGON_NAME, namespace: plan.namespace }],
    });
    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: metadata(`${TETRAGON_NAME}-config`, agentLabels),
      data: { ...plan.agentConfig },
    });
    const checksum = createHash('sha256').update(JSON.stringify(plan.agentConfig)).digest('hex');

    this.daemonSet = new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: metadata(TETRAGON_NAME, agentLabels),
      spec: {
        selector: { matchLabels: { ...agentLabels } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels: { ...plan.labels, ...agentLabels }, annotations: { [TETRAGON_CHECKSUM_ANNOTATION]: `sha256:${checksum}` } },
          spec: {
            serviceAccountName: TETRAGON_NAME,
            enableServiceLinks: false,
            priorityClassName: 'system-node-critical',
            // a sensor that skips tainted pools leaves them unmonitored: tolerate every taint
            tolerations: [{ operator: 'Exists' }],
            terminationGracePeriodSeconds: 1,
            // "Tetragon must be on the host network for the process visibility to function properly" (chart values.yaml)
            hostNetwork: true,
            dnsPolicy: 'Default',
            containers: [
              {
                name: 'export-stdout',
                image: plan.images.exportStdout,
                imagePullPolicy: 'IfNotPresent',
                terminationMessagePolicy: 'FallbackToLogsOnError',
                command: ['hubble-export-stdout'],
                args: [plan.exportHostPath],
                // root only to read the 0600 export file the agent (root) writes; no capability is needed for that
                securityContext: {
                  runAsUser: 0,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                resources: quantities(plan.resources.exportStdout),
                volumeMounts: [{ name: 'export-logs', mountPath: plan.exportDirectory, readOnly: true }],
              },
              {
                name: TETRAGON_NAME,
                image: plan.images.agent,
                imagePullPolicy: 'IfNotPresent',
                terminationMessagePolicy: 'FallbackToLogsOnError',
                args: ['--config-dir=/etc/tetragon/tetragon.conf.d/'],
                securityContext: { privileged: true },
                env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
                ports: [
                  { name: 'metrics', containerPort: TETRAGON_METRICS_PORT, protocol: 'TCP' },
                  { name: 'health', containerPort: TETRAGON_HEALTH_PORT, protocol: 'TCP' },
                ],
                resources: quantities(plan.resources.agent),
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
              { name: 'tetragon-config', configMap: { name: `${TETRAGON_NAME}-config` } },
              { name: 'bpf-maps', hostPath: { path: '/sys/fs/bpf', type: 'DirectoryOrCreate' } },
              { name: 'tetragon-run', emptyDir: {} },
              { name: 'export-logs', hostPath: { path: plan.exportDirectory, type: 'DirectoryOrCreate' } },
              { name: 'host-proc', hostPath: { path: '/proc', type: 'Directory' } },
            ],
          },
        },
      },
    });

    // ---- operator: creates and updates the CRDs, nothing else
    new k8s.KubeServiceAccount(this, 'OperatorServiceAccount', { metadata: metadata(TETRAGON_OPERATOR_NAME, operatorLabels) });
    new k8s.KubeClusterRole(this, 'OperatorClusterRole', {
      metadata: clusterMetadata(TETRAGON_OPERATOR_NAME, operatorLabels),
      rules: [
        // no pods rule: only the pod-info controller reads pods, and skip-pod-info-crd keeps it off (operator/cmd/serve/serve.go)
        // create cannot be limited by name (the object does not exist yet)
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['create'] },
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], resourceNames: TETRAGON_CRD_NAMES, verbs: ['get', 'list', 'watch', 'update'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'OperatorClusterRoleBinding', {
      metadata: clusterMetadata(TETRAGON_OPERATOR_NAME, operatorLabels),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: TETRAGON_OPERATOR_NAME },
      subjects: [{ kind: 'ServiceAccount', name: TETRAGON_OPERATOR_NAME, namespace: plan.namespace }],
    });
    new k8s.KubeConfigMap(this, 'OperatorConfig', {
      metadata: metadata(`${TETRAGON_OPERATOR_NAME}-config`, operatorLabels),
      data: { ...plan.operatorConfig },
    });
    this.operator = new k8s.KubeDeployment(this, 'Operator', {
      metadata: metadata(TETRAGON_OPERATOR_NAME, operatorLabels),
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...operatorLabels } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: { ...plan.labels, ...operatorLabels } },
          spec: {
            serviceAccountName: TETRAGON_OPERATOR_NAME,
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
              livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(OPERATOR_PROBE_PORT) }, initialDelaySeconds: 15, periodSeconds: 20 },
              readinessProbe: { httpGet: { path: '/readyz', port: k8s.IntOrString.fromNumber(OPERATOR_PROBE_PORT) }, initialDelaySeconds: 5, periodSeconds: 10 },
              resources: quantities(plan.resources.operator),
              volumeMounts: [{ name: 'tetragon-operator-config', mountPath: '/etc/tetragon/operator.conf.d/', readOnly: true }],
            }],
            volumes: [{ name: 'tetragon-operator-config', configMap: { name: `${TETRAGON_OPERATOR_NAME}-config` } }],
          },
        },
      },
    });

    // ---- detections: the CRDs exist once the operator ran; GitOps tools retry until then
    for (const detection of plan.detections) {
      detection.policies.forEach((policy, i) => {
        this.policies.push(new TetragonTracingPolicy(this, `${detection.id}-${policy.metadata.namespace ?? 'cluster'}-${i}`, {
          policy: {
            ...policy,
            metadata: {
              ...policy.metadata,
              labels: { ...plan.labels, ...policy.metadata.labels },
              annotations: { ...policy.metadata.annotations, 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
            },
          },
          allowEnforcement: plan.enforcement.enabled,
        }));
      });
    }
  }
}

function quantities(r: ResolvedResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
  };
}
