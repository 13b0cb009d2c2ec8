// The Tetragon layer as plain data: what the agent, the operator and the policies look like.
import type { TracingPolicy } from './model';
import type { TetragonDetection, TetragonResourcesProps, TetragonSensorProps } from './props';
import { SEED_PATTERNS } from './props';
import { DEFAULT_NO_NETWORK_BINARIES, DETECTION_LABELS, seedDetection } from './seed';
import { validateTracingPolicy } from './validate';
import { HOST_PROC_MOUNT, TETRAGON_HEALTH_PORT, TETRAGON_METRICS_PORT, TetragonWorkloadInputs, tetragonWorkloads } from './workload';
import type { PlanContext } from '../core/context';
import { DetectionStackError } from '../core/errors';
import { systemHostPath } from '../core/host-paths';
import { IMAGE_PINS, imageReference } from '../core/images';
import { requireReason } from '../core/opt-out';
import { requirePriority } from '../core/priorities';
import type { WorkloadPlan } from '../core/workload';

/** The default images of the agent and the operator (the export-stdout sidecar is an opt-in with an image of the user's). */
export const DEFAULT_TETRAGON_IMAGES = {
  agent: imageReference(IMAGE_PINS.tetragon),
  operator: imageReference(IMAGE_PINS.tetragonOperator),
} as const;

export { EXPORT_STDOUT_SECURITY_CONTEXT, HOST_PROC_MOUNT, OPERATOR_METRICS_PORT, OPERATOR_PROBE_PORT, TETRAGON_HEALTH_PORT, TETRAGON_METRICS_PORT } from './workload';

export interface ResolvedResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface TetragonPlan extends TetragonWorkloadInputs {
  readonly version: string;
  /** Detections deployed (after the stack plan applied sensor ownership), with their validated policies. */
  readonly detections: readonly TetragonDetection[];
  /** Detections not deployed because Falco owns their pattern. */
  readonly yieldedDetections: readonly string[];
  readonly enforcement: { readonly enabled: boolean; readonly reason?: string };
  /** The agent DaemonSet and the operator Deployment. */
  readonly workloads: { readonly agent: WorkloadPlan; readonly operator: WorkloadPlan };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];
/** Pinned by tag (`:vX`) or by digest (`@sha256:`); `latest` and untagged references are refused. */
const PINNED_IMAGE = /^[^\s@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/;

/**
 * Plans the Tetragon DaemonSet with every detection; the stack plan removes those another sensor owns (`withoutDetections`).
 * `stackNamespaces` are the namespaces the stack runs its own workloads in (the sensors', and the routing one when there
 * is routing): with the system namespaces they are the default export deny-list.
 */
export function planTetragon(props: TetragonSensorProps, ctx: PlanContext, stackNamespaces: readonly string[] = [ctx.namespace]): TetragonPlan {
  const where = `${ctx.path}/sensors.tetragon`;
  const images = {
    agent: requireImage(`${where}.images.agent`, props.images?.agent ?? DEFAULT_TETRAGON_IMAGES.agent),
    operator: requireImage(`${where}.images.operator`, props.images?.operator ?? DEFAULT_TETRAGON_IMAGES.operator),
  };
  const exportStdoutImageRef = exportStdoutImage(where, props);
  const enforcement = planEnforcement(where, props);
  const detections = planDetections(where, props, ctx, enforcement.enabled);

  const exportDirectory = requireAbsolutePath(`${where}.export.directory`, props.export?.directory ?? '/var/log/tetragon');
  const system = systemHostPath(exportDirectory);
  if (system) {
    throw new DetectionStackError('DS-TETRA-058', `${where}.export.directory`,
      `'${exportDirectory}' is ${system === exportDirectory ? 'a system directory' : `inside the system directory ${system}`}, which the agent would create and write (DirectoryOrCreate)`,
      'use a directory of its own, e.g. /var/log/tetragon');
  }
  const fileName = props.export?.fileName ?? 'tetragon.log';
  if (!/^[A-Za-z0-9._-]+$/.test(fileName)) {
    throw new DetectionStackError('DS-TETRA-050', `${where}.export.fileName`, `'${fileName}' is not a plain file name`, 'use letters, digits, \'.\', \'_\' or \'-\'');
  }
  const exportHostPath = `${exportDirectory}/${fileName}`;
  const maxSizeMb = requirePositiveInt(`${where}.export.maxSizeMb`, props.export?.maxSizeMb ?? 10);
  const maxBackups = requirePositiveInt(`${where}.export.maxBackups`, props.export?.maxBackups ?? 5);
  const rateLimit = props.export?.rateLimitPerMinute ?? -1;
  if (!Number.isInteger(rateLimit) || (rateLimit < 1 && rateLimit !== -1)) {
    throw new DetectionStackError('DS-TETRA-051', `${where}.export.rateLimitPerMinute`, `${rateLimit} is not a rate`, 'use a positive number of events per minute, or -1 for no limit');
  }
  const denyNamespaces = props.export?.denyNamespaces ?? [...SYSTEM_NAMESPACES, ...stackNamespaces];
  denyNamespaces.forEach((ns, i) => requireDnsLabel(`${where}.export.denyNamespaces[${i}]`, ns, 'namespace'));

  const agentConfig: Record<string, string> = {
    'cluster-name': ctx.cluster.name,
    'procfs': HOST_PROC_MOUNT,
    'debug': 'false',
    // process credentials and namespaces in events: the privilege-change detections need them to be readable.
    'enable-process-cred': 'true',
    'enable-process-ns': 'true',
    'export-filename': exportHostPath,
    'export-file-perm': '600',
    'export-file-max-size-mb': String(maxSizeMb),
    'export-file-max-backups': String(maxBackups),
    'export-file-compress': 'false',
    // every event type a policy can produce (api/v1/tetragon/events.proto), plus THROTTLE so dropped events are visible
    'export-allowlist': JSON.stringify({ event_set: EXPORTED_EVENT_TYPES }),
    'export-denylist': [JSON.stringify({ health_check: true }), JSON.stringify({ namespace: denyNamespaces })].join('\n'),
    'field-filters': (props.export?.fieldFilters ?? []).map((f) => JSON.stringify(f)).join('\n'),
    'redaction-filters': (props.export?.redactionFilters ?? DEFAULT_REDACTION_FILTERS).map((f) => JSON.stringify(f)).join('\n'),
    'export-rate-limit': String(rateLimit),
    'enable-k8s-api': 'true',
    'metrics-server': `:${TETRAGON_METRICS_PORT}`,
    'metrics-label-filter': 'namespace,workload,pod,binary',
    // gRPC only on a unix socket inside the pod: nothing listens on the node's network for it.
    'server-address': 'unix:///var/run/tetragon/tetragon.sock',
    'health-server-address': `:${TETRAGON_HEALTH_PORT}`,
    'health-server-interval': '10',
    // TracingPolicyNamespaced and podSelector need the policy filter.
    'enable-policy-filter': 'true',
    'enable-pod-info': 'false',
    'enable-tracing-policy-crd': 'true',
  };
  const operatorConfig: Record<string, string> = {
    'skip-crd-creation': 'false',
    'skip-pod-info-crd': 'true',
    'skip-tracing-policy-crd': 'false',
    'force-update-crds': 'false',
    'leader-election': 'false',
  };

  requireReason(`${where}.listenOnAllInterfaces`, props.listenOnAllInterfaces, 'DS-TETRA-006');
  const workloadInputs = {
    namespace: ctx.namespace,
    listenOnAllInterfaces: props.listenOnAllInterfaces !== undefined,
    labels: ctx.labels,
    images,
    ...(exportStdoutImageRef ? {
      exportStdout: {
        image: exportStdoutImageRef,
        resources: resolveResources(`${where}.exportStdoutResources`, props.exportStdoutResources, { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } }),
      },
    } : {}),
    exportDirectory,
    exportHostPath,
    agentConfig,
    operatorConfig,
    resources: {
      agent: resolveResources(`${where}.agentResources`, props.agentResources, { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
      operator: resolveResources(`${where}.operatorResources`, props.operatorResources, { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } }),
    },
  };
  return {
    ...workloadInputs,
    version: IMAGE_PINS.tetragon.version,
    workloads: tetragonWorkloads(workloadInputs),
    detections,
    yieldedDetections: [],
    enforcement,
  };
}

/** The plan without the detections of some patterns (those Falco owns); their ids are kept as yielded. */
export function withoutDetections(plan: TetragonPlan, patterns: readonly string[]): TetragonPlan {
  if (patterns.length === 0) return plan;
  const yielded = plan.detections.filter((d) => patterns.includes(d.pattern));
  return {
    ...plan,
    detections: plan.detections.filter((d) => !yielded.includes(d)),
    yieldedDetections: [...plan.yieldedDetections, ...yielded.map((d) => d.id)],
  };
}

export const EXPORTED_EVENT_TYPES = [
  'PROCESS_EXEC', 'PROCESS_EXIT', 'PROCESS_KPROBE', 'PROCESS_TRACEPOINT', 'PROCESS_UPROBE', 'PROCESS_LSM', 'PROCESS_USDT', 'PROCESS_THROTTLE',
];

/** Secrets passed as arguments or environment variables never reach the export file. */
export const DEFAULT_REDACTION_FILTERS: readonly Readonly<Record<string, unknown>>[] = [
  { redact: ['(?i)--?(?:password|passwd|token|secret|api-key|apikey)(?:\\s+|=)(\\S+)'] },
  { redact: ['(?i)[A-Z0-9_]*(?:PASSWORD|TOKEN|SECRET|API_KEY)=(\\S+)'] },
];

function planEnforcement(where: string, props: TetragonSensorProps): { enabled: boolean; reason?: string } {
  const e = props.enforcement;
  if (!e || !e.enabled) return { enabled: false };
  if (!e.reason || e.reason.trim().length < 10) {
    throw new DetectionStackError('DS-TETRA-003', `${where}.enforcement.reason`, 'enforcement is enabled without a reason',
      'say in at least 10 characters why killing or altering processes is acceptable on this cluster');
  }
  return { enabled: true, reason: e.reason };
}

function planDetections(where: string, props: TetragonSensorProps, ctx: PlanContext, allowEnforcement: boolean): TetragonDetection[] {
  const namespaces = props.productNamespaces ?? [];
  namespaces.forEach((ns, i) => requireDnsLabel(`${where}.productNamespaces[${i}]`, ns, 'namespace'));
  const dup = namespaces.find((ns, i) => namespaces.indexOf(ns) !== i);
  if (dup) throw new DetectionStackError('DS-TETRA-052', `${where}.productNamespaces`, `namespace '${dup}' is listed twice`, 'list each namespace once');
  if (namespaces.includes(ctx.namespace)) {
    throw new DetectionStackError('DS-TETRA-053', `${where}.productNamespaces`, `'${ctx.namespace}' is the stack's own namespace`, 'list only namespaces of product workloads');
  }
  const owner = props.owner ?? 'platform-security';
  requireDnsLabel(`${where}.owner`, owner, 'owner');
  const patterns = props.seedPatterns ?? SEED_PATTERNS;
  const noNetworkBinaries = props.noNetworkBinaries ?? DEFAULT_NO_NETWORK_BINARIES;
  noNetworkBinaries.forEach((b, i) => requireAbsolutePath(`${where}.noNetworkBinaries[${i}]`, b));
  const seeds = namespaces.length === 0 ? [] : patterns.map((p) => seedDetection(p, { namespaces, owner, noNetworkBinaries }));

  const all = [...seeds, ...(props.detections ?? [])];
  const ids = new Set<string>();
  const objectKeys = new Set<string>();
  all.forEach((d, i) => {
    const at = i < seeds.length ? `${where}.seedPatterns(${d.id})` : `${where}.detections[${i - seeds.length}]`;
    requireDnsLabel(`${at}.id`, d.id, 'detection id');
    requireDnsLabel(`${at}.owner`, d.owner, 'owner');
    if (!/^[a-z0-9][a-z0-9-]*$/.test(d.pattern)) {
      throw new DetectionStackError('DS-TETRA-005', `${at}.pattern`, `pattern '${d.pattern}' is not a kebab-case id`, 'use lowercase letters, digits and \'-\'');
    }
    if (ids.has(d.id)) throw new DetectionStackError('DS-TETRA-008', `${at}.id`, `detection id '${d.id}' is used twice`, 'give each detection its own id');
    ids.add(d.id);
    if (d.priority !== undefined) requirePriority(`${at}.priority`, d.priority);
    if (d.description !== undefined && (typeof d.description !== 'string' || /[\u0000-\u001f\u007f]/.test(d.description) || d.description.length > 200)) {
      throw new DetectionStackError('DS-TETRA-014', `${at}.description`, 'the description is not one line of at most 200 characters',
        'write one sentence without line breaks or control characters: it becomes the alert\'s rule name');
    }
    if (d.policies.length === 0) throw new DetectionStackError('DS-TETRA-009', `${at}.policies`, `detection '${d.id}' has no policy`, 'add at least one TracingPolicy');
    d.policies.forEach((p, j) => {
      requirePolicy(`${at}.policies[${j}]`, p, allowEnforcement);
      const key = `${p.kind}/${p.metadata.namespace ?? ''}/${p.metadata.name}`;
      if (objectKeys.has(key)) {
        throw new DetectionStackError('DS-TETRA-013', `${at}.policies[${j}].metadata.name`, `${p.kind} '${p.metadata.name}' is defined twice`, 'give each policy its own name');
      }
      objectKeys.add(key);
    });
  });
  return all.map((d) => ({ ...d, policies: d.policies.map((p) => withDetectionLabels(p, d)) }));
}

/** Validates one policy; throws with every issue, each at its path inside the policy. */
function requirePolicy(at: string, policy: TracingPolicy, allowEnforcement: boolean): void {
  const issues = validateTracingPolicy(policy, { allowEnforcement });
  if (issues.length === 0) return;
  const [first, ...others] = issues;
  const problem = [first.message, ...others.map((i) => `${i.path}: ${i.code} ${i.message} (fix: ${i.fix})`)].join('; ');
  throw new DetectionStackError(first.code, `${at}.${first.path}`, problem, first.fix);
}

function withDetectionLabels(policy: TracingPolicy, d: TetragonDetection): TracingPolicy {
  return {
    ...policy,
    metadata: {
      ...policy.metadata,
      labels: {
        ...policy.metadata.labels,
        [DETECTION_LABELS.detection]: d.id,
        [DETECTION_LABELS.pattern]: d.pattern,
        [DETECTION_LABELS.owner]: d.owner,
      },
    },
  };
}

function resolveResources(where: string, given: TetragonResourcesProps | undefined, defaults: ResolvedResources): ResolvedResources {
  const r: ResolvedResources = {
    requests: { cpu: given?.requests?.cpu ?? defaults.requests.cpu, memory: given?.requests?.memory ?? defaults.requests.memory },
    limits: { cpu: given?.limits?.cpu ?? defaults.limits.cpu, memory: given?.limits?.memory ?? defaults.limits.memory },
  };
  for (const [k, v] of Object.entries({ ...prefix('requests', r.requests), ...prefix('limits', r.limits) })) {
    if (!/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(v)) {
      throw new DetectionStackError('DS-TETRA-055', `${where}.${k}`, `'${v}' is not a Kubernetes quantity`, 'use e.g. 100m, 1, 256Mi, 1Gi');
    }
  }
  return r;
}

const prefix = (p: string, o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`${p}.${k}`, v]));

/**
 * The export-stdout sidecar's image when the opt-in is on: given by the user with its digest, since no digest of
 * hubble-export-stdout could be verified for a default. Undefined when the sidecar is off (then nothing of it may be set).
 */
function exportStdoutImage(where: string, props: TetragonSensorProps): string | undefined {
  if (props.export?.stdoutSidecar !== true) {
    const set = [props.images?.exportStdout !== undefined && 'images.exportStdout', props.exportStdoutResources !== undefined && 'exportStdoutResources'].filter(Boolean);
    if (set.length > 0) {
      throw new DetectionStackError('DS-TETRA-060', `${where}.${set[0] as string}`, `${set.join(' and ')} set, but the export-stdout sidecar is off`,
        'set export.stdoutSidecar: true to run it, or remove the setting');
    }
    return undefined;
  }
  const image = props.images?.exportStdout;
  const example = `${IMAGE_PINS.hubbleExportStdout.repository}:${IMAGE_PINS.hubbleExportStdout.version}@sha256:<digest>`;
  if (image === undefined || !/@sha256:[0-9a-f]{64}$/.test(image)) {
    throw new DetectionStackError('DS-TETRA-059', `${where}.images.exportStdout`,
      image === undefined ? 'the export-stdout sidecar has no image: no digest of hubble-export-stdout could be verified for a default'
        : `image '${image}' has no digest`,
      `give images.exportStdout by tag and digest, e.g. '${example}' (\`crane digest ${IMAGE_PINS.hubbleExportStdout.repository}:${IMAGE_PINS.hubbleExportStdout.version}\` prints the digest)`);
  }
  return requireImage(`${where}.images.exportStdout`, image);
}

function requireImage(where: string, image: string): string {
  const pinned = PINNED_IMAGE.test(image) && (/:[^/]+$/.test(image.split('@')[0]) || image.includes('@sha256:'));
  if (!pinned || /:latest(@|$)/.test(image)) {
    throw new DetectionStackError('DS-TETRA-004', where, `image '${image}' is not pinned`, 'pin the image by version tag and, where you can, by digest (@sha256:...)');
  }
  return image;
}

function requireDnsLabel(where: string, value: string, what: string): void {
  if (!DNS_LABEL.test(value)) {
    throw new DetectionStackError('DS-TETRA-002', where, `${what} '${value}' is not a valid Kubernetes name`,
      'use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit');
  }
}

function requireAbsolutePath(where: string, value: string): string {
  if (!value.startsWith('/') || value.includes('..') || /\s/.test(value) || (value.length > 1 && value.endsWith('/'))) {
    throw new DetectionStackError('DS-TETRA-056', where, `'${value}' is not an absolute path`, 'use an absolute path without \'..\', spaces or a trailing \'/\'');
  }
  return value;
}

function requirePositiveInt(where: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new DetectionStackError('DS-TETRA-057', where, `${value} is not a positive whole number`, 'use a whole number of at least 1');
  }
  return value;
}
