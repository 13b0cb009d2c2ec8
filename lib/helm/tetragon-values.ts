import { HELM_CHARTS } from './charts';
import type { HelmReleasePlan, NotExpressed } from './model';
import { mainContainer } from '../core/workload';
import type { StackPlan } from '../stack/plan';
import { EXPORT_STDOUT_SECURITY_CONTEXT, OPERATOR_METRICS_PORT, TETRAGON_HEALTH_PORT, TETRAGON_METRICS_PORT, TetragonPlan } from '../tetragon/plan';

/** The release name: the chart names its objects after the chart (`tetragon`, `tetragon-operator`), not the release. */
export const TETRAGON_RELEASE_NAME = 'tetragon';

type Values = Record<string, Record<string, unknown>>;

/**
 * How each key of the agent's configuration (tetragon.conf.d) comes out of the tetragon chart 1.7.0
 * (templates/tetragon_configmap.yaml): the values that make the chart write the planned value.
 */
const AGENT_CONFIG: Readonly<Record<string, (value: string, v: Values) => void>> = {
  'cluster-name': (x, v) => { v.tetragon.clusterName = x; },
  // The chart always writes /procRoot, where the plan mounts the host's /proc too (HOST_PROC_MOUNT).
  'procfs': () => undefined,
  'debug': (x, v) => { v.tetragon.debug = x === 'true'; },
  'enable-process-cred': (x, v) => { v.tetragon.enableProcessCred = x === 'true'; },
  'enable-process-ns': (x, v) => { v.tetragon.enableProcessNs = x === 'true'; },
  'export-filename': (x, v) => {
    const slash = x.lastIndexOf('/');
    v.root.exportDirectory = x.slice(0, slash);
    v.tetragon.exportFilename = x.slice(slash + 1);
    v.export.filenames = [x.slice(slash + 1)];
  },
  'export-file-perm': (x, v) => { v.tetragon.exportFilePerm = x; },
  'export-file-max-size-mb': (x, v) => { v.tetragon.exportFileMaxSizeMB = Number(x); },
  'export-file-max-backups': (x, v) => { v.tetragon.exportFileMaxBackups = Number(x); },
  'export-file-compress': (x, v) => { v.tetragon.exportFileCompress = x === 'true'; },
  'export-allowlist': (x, v) => { v.tetragon.exportAllowList = x; },
  'export-denylist': (x, v) => { v.tetragon.exportDenyList = x; },
  'field-filters': (x, v) => { v.tetragon.fieldFilters = x; },
  'redaction-filters': (x, v) => { v.tetragon.redactionFilters = x; },
  'export-rate-limit': (x, v) => { v.tetragon.exportRateLimit = Number(x); },
  'enable-k8s-api': (x, v) => { v.tetragon.enableK8sAPI = x === 'true'; },
  'metrics-server': (x, v) => { v.tetragon.prometheus = { ...(v.tetragon.prometheus as object), enabled: x !== '', ...(x ? listener(x) : {}) }; },
  'metrics-label-filter': (x, v) => { v.tetragon.prometheus = { ...(v.tetragon.prometheus as object), metricsLabelFilter: x }; },
  'server-address': (x, v) => { v.tetragon.grpc = x ? { enabled: true, address: x } : { enabled: false }; },
  'health-server-address': (x, v) => {
    v.tetragon.healthGrpc = { ...(v.tetragon.healthGrpc as object), enabled: x !== '', ...(x ? { port: listener(x).port } : {}) };
  },
  'health-server-interval': (x, v) => { v.tetragon.healthGrpc = { ...(v.tetragon.healthGrpc as object), interval: Number(x) }; },
  'enable-policy-filter': (x, v) => { v.tetragon.enablePolicyFilter = x === 'true'; },
  'enable-pod-info': (x, v) => { v.operator.podInfo = { enabled: x === 'true' }; },
  'enable-tracing-policy-crd': (x, v) => { v.operator.tracingPolicy = { enabled: x === 'true' }; },
};

/** The operator's configuration (templates/operator_configmap.yaml). */
const OPERATOR_CONFIG: Readonly<Record<string, (value: string, v: Values) => void>> = {
  'skip-crd-creation': (x, v) => { v.root.crds = { installMethod: x === 'true' ? 'helm' : 'operator' }; },
  'skip-pod-info-crd': (x, v) => { v.operator.podInfo = { enabled: x !== 'true' }; },
  'skip-tracing-policy-crd': (x, v) => { v.operator.tracingPolicy = { enabled: x !== 'true' }; },
  'force-update-crds': (x, v) => { v.operator.forceUpdateCRDs = x === 'true'; },
  'leader-election': (x, v) => { v.operator.failoverLease = { enabled: x === 'true' }; },
};

/**
 * Values for the official tetragon chart that deploy the stack's Tetragon as planned: the same agent and operator
 * configuration, export file, images by digest, resources and tolerations. The detections' TracingPolicies are
 * not chart values; they and every other difference are listed in `notExpressed`.
 */
export function tetragonChartRelease(plan: StackPlan): HelmReleasePlan | undefined {
  const tetragon = plan.tetragon;
  if (!tetragon) return undefined;
  const notExpressed: NotExpressed[] = [];
  const v: Values = {
    root: {},
    tetragon: {
      image: { override: tetragon.images.agent },
      resources: resources(tetragon.resources.agent),
      securityContext: { privileged: true },
      // The chart has no pprof or gops listener in the plan: off.
      gops: { enabled: false },
      pprof: { enabled: false },
    },
    // the chart's export.mode "" runs no export-stdout sidecar; the opt-in runs it with the user's pinned image
    export: tetragon.exportStdout ? {
      mode: 'stdout',
      resources: resources(tetragon.exportStdout.resources),
      securityContext: EXPORT_STDOUT_SECURITY_CONTEXT,
      stdout: { image: { override: tetragon.exportStdout.image } },
    } : { mode: '' },
    operator: {
      image: { override: tetragon.images.operator },
      resources: resources(tetragon.resources.operator),
      podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: {
        runAsUser: 65532,
        runAsGroup: 65532,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
      prometheus: { enabled: true, port: OPERATOR_METRICS_PORT },
    },
  };
  translate(tetragon.agentConfig, AGENT_CONFIG, v, 'agent', notExpressed);
  Object.assign(v.tetragon, nodeAddressListenerValues(tetragon));
  translate(tetragon.operatorConfig, OPERATOR_CONFIG, v, 'operator', notExpressed);

  const values: Record<string, unknown> = {
    ...v.root,
    priorityClassName: 'system-node-critical',
    // a sensor that skips tainted pools leaves them unmonitored: tolerate every taint
    tolerations: [{ operator: 'Exists' }],
    hostNetwork: true,
    dnsPolicy: 'Default',
    podLabels: { ...tetragon.labels },
    tetragon: v.tetragon,
    export: v.export,
    tetragonOperator: v.operator,
  };
  notExpressed.push(...tetragonChartLimits(tetragon));
  return { releaseName: TETRAGON_RELEASE_NAME, namespace: tetragon.namespace, chart: HELM_CHARTS.tetragon, values, notExpressed };
}

function translate(config: Readonly<Record<string, string>>, table: Readonly<Record<string, (value: string, v: Values) => void>>,
  v: Values, component: string, notExpressed: NotExpressed[]): void {
  for (const [key, value] of Object.entries(config)) {
    const write = table[key];
    if (write) {
      write(value, v);
    } else {
      notExpressed.push({
        what: `Tetragon ${component} configuration ${key}: ${value}`,
        chart: `the chart writes no ${key} from its values`,
        instead: 'deploy the synthesized manifests, or add the key with the chart\'s extension templates',
      });
    }
  }
}

/**
 * The agent's listeners bound to the node's address as in the manifests (`--metrics-server=[$(POD_IP)]:2112`,
 * `--health-server-address=[$(POD_IP)]:6789`, flags that win over the config the chart writes): the chart passes
 * `tetragon.extraArgs` as `--key=value` after `--config-dir` and `tetragon.extraEnv` into the agent container
 * (cilium/tetragon v1.7.0 install/kubernetes/tetragon/templates/_container_tetragon.tpl), and Kubernetes expands
 * `$(POD_IP)` in args from the container's env.
 */
function nodeAddressListenerValues(tetragon: TetragonPlan): Record<string, unknown> {
  const agent = tetragon.workloads.agent.pod.containers.find((c) => c.name === 'tetragon') ?? mainContainer(tetragon.workloads.agent);
  const flags = (agent.args ?? []).filter((a) => a.startsWith('--') && !a.startsWith('--config-dir='));
  if (flags.length === 0) return {};
  const extraArgs = Object.fromEntries(flags.map((a) => [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  const extraEnv = (agent.env ?? []).filter((e) => e.name !== 'NODE_NAME' && 'fieldPath' in e)
    .map((e) => ({ name: e.name, valueFrom: { fieldRef: { fieldPath: (e as { fieldPath: string }).fieldPath } } }));
  return { extraArgs, extraEnv };
}

/** `:2112` or `127.0.0.1:2112` as the chart's address and port. */
function listener(address: string): { address: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { address: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

function resources(r: TetragonPlan['resources']['agent']): Record<string, unknown> {
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

function tetragonChartLimits(tetragon: TetragonPlan): NotExpressed[] {
  const limits: NotExpressed[] = [
    {
      what: 'host /proc mounted read-only at /procRoot',
      chart: 'the chart mounts tetragon.hostProcPath without readOnly',
      instead: 'patch the host-proc volumeMount to readOnly: true with a post-renderer',
    },
    {
      what: 'no /var/run/cilium mount, gRPC socket directory in an emptyDir',
      chart: 'the chart always mounts /var/run/cilium and /var/run/tetragon from the host (DirectoryOrCreate)',
      instead: 'accept it, or remove both hostPath volumes with a post-renderer',
    },
    {
      what: 'agent ClusterRole without services and podinfo',
      chart: 'the chart\'s ClusterRole also grants get/list/watch on services and podinfo',
      instead: 'accept it, or replace the ClusterRole with the synthesized one',
    },
    {
      what: `readiness probe (gRPC liveness on ${TETRAGON_HEALTH_PORT}) and metrics port ${TETRAGON_METRICS_PORT} declared on the agent container`,
      chart: 'the chart sets only a liveness probe',
      instead: 'nothing to do for the sensor to work',
    },
  ];
  const policies = tetragon.detections.flatMap((d) => d.policies);
  if (policies.length > 0) {
    limits.push({
      what: `the detections' ${policies.length} TracingPolicies (${[...new Set(policies.map((p) => p.metadata.name))].join(', ')})`,
      chart: 'the chart installs the CRDs, never policies',
      instead: 'apply the TracingPolicy objects from the synthesized manifests after the release (the operator creates the CRDs first)',
    });
  }
  return limits;
}
