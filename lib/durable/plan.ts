import { analyticsMatchRegex, analyticsOutputs, AnalyticsPlan, analyticsSourceFilters, planAnalytics } from './analytics';
import type { DurableSourceProps, DurableStorageProps } from './props';
import { alertRouteOutputs, AlertRouteTarget, FluentBitSection, tetragonAlertFilters, TetragonAlertRule } from './tetragon-alerts';
import type { PlanContext } from '../core/context';
import { EKS_POD_IDENTITY_AGENT, EgressPlan } from '../core/egress';
import { DetectionStackError } from '../core/errors';
import { systemHostPath } from '../core/host-paths';
import { IMAGE_PINS, imageReference } from '../core/images';
import { anyAddress, IpFamily } from '../core/ip-family';
import { requireReason } from '../core/opt-out';
import { SecretEnvPlan, SecretUse, requireSecretRef } from '../core/secrets';
import type { SecretKeyRef } from '../core/secrets';
import {
  configChecksum, CONFIG_CHECKSUM_ANNOTATION, DNS_EGRESS_RULE, egressRules, hardenedContainer, ProbePlan, ResourcesPlan, secretEnvVars, WorkloadPlan,
} from '../core/workload';

export const SHIPPER_NAME = 'alert-shipper';
export const SHIPPER_HTTP_PORT = 2020;
export const DEFAULT_BUFFER_HOST_PATH = '/var/lib/detection-stack/fluent-bit';
/**
 * Where the kubelet keeps container logs: the files in /var/log/pods/<namespace>_<pod>_<uid>/<container>/, and the
 * /var/log/containers/<pod>_<namespace>_<container>-<id>.log symlinks to them (kubelet kuberuntime, CRI logging).
 */
export const KUBELET_LOG_DIRS = ['/var/log/containers', '/var/log/pods'];
/** Where Fluent Bit reads its configuration (the image's default directory). */
export const SHIPPER_CONFIG_DIR = '/fluent-bit/etc';

/** The access block each provider's bucket takes. */
const ACCESS_BLOCK = { eks: 'aws', oke: 'oci', aks: 'azure' } as const;

const SOURCE_NAME = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const QUANTITY = /^[0-9]+[KMG]$/;
const PREFIX = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** A file on every node whose JSON lines go to the bucket. */
export interface DurableSourcePlan {
  readonly name: string;
  /** Host path glob (the container sees the same path). */
  readonly hostPath: string;
  readonly format: 'json' | 'cri';
  /** Keep only records with a `rule` field (Falco alerts; drops Falco's own log lines). */
  readonly alertsOnly: boolean;
  /** Tetragon detections whose events this source's shipper turns into alerts. @default none */
  readonly tetragonAlerts: readonly TetragonAlertRule[];
}

/** Where the alerts land. */
export type DurableDestinationPlan =
  | { readonly kind: 's3'; readonly service: string; readonly bucket: string; readonly region: string; readonly endpoint?: string; readonly prefix: string }
  | {
    readonly kind: 'azure_blob';
    readonly service: string;
    readonly storageAccount: string;
    readonly container: string;
    readonly prefix: string;
    readonly auth: 'sas' | 'key';
  };

/**
 * The Fluent Bit DaemonSet that ships every alert to the bucket, as plain data. Its DaemonSet (name, namespace, image,
 * labels, resources, ServiceAccount) is `workload`, the one place those are kept.
 */
export interface ShipperPlan {
  readonly destination: DurableDestinationPlan;
  /** Credentials as env vars from Secrets (OKE customer secret keys, Azure SAS or key). */
  readonly secretEnv: readonly SecretEnvPlan[];
  readonly sources: readonly DurableSourcePlan[];
  /** Where Tetragon's alerts are posted besides the bucket (the team routing's Alertmanager). @default bucket only */
  readonly alertRoute?: AlertRouteTarget;
  /** Provider-native analytics that also get every alert (`durable.analytics`). @default none */
  readonly analytics?: AnalyticsPlan;
  /** Host directories mounted read-only so the sources can be tailed. */
  readonly readOnlyHostPaths: readonly string[];
  readonly bufferHostPath: string;
  /** The Fluent Bit size of the buffer (`durable.buffer.bytes`). */
  readonly bufferLimit: string;
  /** How long a bucket outage the buffer carries without losing an alert. */
  readonly outageBudget: OutageBudget;
  /** fluent-bit.conf and parsers.conf (no secret: credentials are `${ENV}` references). */
  readonly files: Readonly<Record<string, string>>;
  readonly httpPort: number;
  readonly egress: readonly EgressPlan[];
  readonly workload: WorkloadPlan;
}

/**
 * The outage budget: how long the bucket may be unreachable before the node's buffer is full. Past it, new
 * alerts are dropped (counted in `fluentbit_output_dropped_records_total`), never silently.
 */
export interface OutageBudget {
  readonly bufferBytes: number;
  readonly alertsPerSecond: number;
  /** Bytes one alert takes in the buffer (`STORED_ALERT_BYTES`). */
  readonly bytesPerAlert: number;
  readonly hours: number;
}

/**
 * Bytes one Falco alert takes in the shipper's buffer: the alert's JSON (rule, output, investigation fields,
 * `cluster`, `node_name`, about 1.9 KB) as Fluent Bit stores it, with its files' overhead. The outage conformance
 * test measures it with the real Fluent Bit 5.1.1 (about 2.1 KB) and fails if it is exceeded.
 */
export const STORED_ALERT_BYTES = 3072;

const SIZE_UNITS = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as const;

/** The outage budget of a buffer of `size` (a Fluent Bit size) at `alertsPerSecond` on one node. */
export function outageBudget(size: string, alertsPerSecond: number): OutageBudget {
  const bufferBytes = Number(size.slice(0, -1)) * SIZE_UNITS[size.slice(-1) as keyof typeof SIZE_UNITS];
  const hours = bufferBytes / (alertsPerSecond * STORED_ALERT_BYTES) / 3600;
  return { bufferBytes, alertsPerSecond, bytesPerAlert: STORED_ALERT_BYTES, hours };
}

/** A source the stack's sensors contribute; `alertsOnly` keeps only records with a `rule` field. */
export interface SensorSource extends DurableSourceProps {
  readonly alertsOnly?: boolean;
  readonly tetragonAlerts?: readonly TetragonAlertRule[];
}

/** The durable layer: a shipper, or an explicit waiver. */
export interface DurablePlan {
  readonly waivedBecause?: string;
  readonly shipper?: ShipperPlan;
}

/** OCI Object Storage's S3-compatible endpoint. */
export function ociS3Endpoint(objectStorageNamespace: string, region: string): string {
  return `https://${objectStorageNamespace}.compat.objectstorage.${region}.oraclecloud.com`;
}

function env(name: string, secret: SecretKeyRef, where: string): SecretEnvPlan {
  return { env: name, secret: requireSecretRef(where, secret), where };
}

/**
 * Plans the durable path: Fluent Bit tails the sensors' JSON output on every node, buffers it on the node's disk
 * and writes it to the provider's bucket, independently of Falcosidekick and of every chat or SIEM output.
 */
export function planDurable(props: DurableStorageProps | undefined, ctx: PlanContext, sensorSources: readonly SensorSource[],
  where: string, alertRoute?: AlertRouteTarget & { readonly egress: readonly EgressPlan[] }): DurablePlan | undefined {
  if (!props) return undefined;
  if (props.waived && props.bucket) {
    throw new DetectionStackError('DS-DURABLE-001', where, 'durable storage is both configured and waived', 'remove either durable.bucket or durable.waived');
  }
  if (props.waived) {
    requireReason(`${where}.waived`, props.waived, 'DS-DURABLE-059');
    return { waivedBecause: props.waived.reason };
  }
  if (!props.bucket) return {};
  const bw = `${where}.bucket`;
  const bucket = props.bucket;
  if (!BUCKET_NAME.test(bucket.name ?? '')) {
    throw new DetectionStackError('DS-DURABLE-004', `${bw}.name`, `bucket name '${String(bucket.name)}' is not valid`,
      'use 3-63 lowercase letters, digits, \'.\' or \'-\', as the provider names the bucket');
  }
  const prefix = bucket.prefix ?? `detections/${ctx.cluster.name}`;
  if (!PREFIX.test(prefix) || prefix.includes('..')) {
    throw new DetectionStackError('DS-DURABLE-041', `${bw}.prefix`, `prefix '${prefix}' is not valid`, 'use letters, digits, \'.\', \'_\', \'-\' and \'/\', not starting with \'/\'');
  }
  const provider = ctx.cluster.provider;
  const expected = ACCESS_BLOCK[provider];
  const foreign = (['aws', 'oci', 'azure'] as const).find((k) => bucket[k] !== undefined && k !== expected);
  if (foreign) {
    throw new DetectionStackError('DS-DURABLE-002', `${bw}.${foreign}`, `'${foreign}' access is given for a cluster on ${provider}`,
      `use bucket.${expected} on ${provider}`);
  }
  const region = bucket.region ?? ctx.cluster.region;
  const secretEnv: SecretEnvPlan[] = [];
  const serviceAccountAnnotations: Record<string, string> = {};
  let destination: DurableDestinationPlan;

  if (provider === 'eks') {
    const a = bucket.aws;
    if (!a || (a.roleArn === undefined) === (a.podIdentity !== true)) {
      throw new DetectionStackError('DS-DURABLE-053', `${bw}.aws`, 'the shipper needs exactly one way to get AWS credentials',
        'set bucket.aws.roleArn (IRSA) or bucket.aws.podIdentity: true (an EKS Pod Identity association for the alert-shipper ServiceAccount)');
    }
    if (a.roleArn !== undefined) {
      if (!/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/.test(a.roleArn)) {
        throw new DetectionStackError('DS-DURABLE-054', `${bw}.aws.roleArn`, `'${a.roleArn}' is not an IAM role ARN`, 'use arn:aws:iam::<account>:role/<name>');
      }
      serviceAccountAnnotations['eks.amazonaws.com/role-arn'] = a.roleArn;
    }
    destination = { kind: 's3', service: ctx.profile.objectStore.service, bucket: bucket.name, region: requireRegion(bw, region), prefix };
  } else if (provider === 'oke') {
    const o = bucket.oci;
    if (!o) {
      throw new DetectionStackError('DS-DURABLE-053', `${bw}.oci`, 'the shipper has no access to Object Storage',
        'set bucket.oci { objectStorageNamespace, accessKeyId, secretAccessKey } with a Customer Secret Key kept in a Secret');
    }
    if (!/^[a-z0-9]{1,64}$/.test(o.objectStorageNamespace ?? '')) {
      throw new DetectionStackError('DS-DURABLE-042', `${bw}.oci.objectStorageNamespace`, `'${String(o.objectStorageNamespace)}' is not an Object Storage namespace`,
        'use the tenancy\'s Object Storage namespace (oci os ns get)');
    }
    const r = requireRegion(bw, region);
    secretEnv.push(env('AWS_ACCESS_KEY_ID', o.accessKeyId, `${bw}.oci.accessKeyId`), env('AWS_SECRET_ACCESS_KEY', o.secretAccessKey, `${bw}.oci.secretAccessKey`));
    destination = { kind: 's3', service: ctx.profile.objectStore.service, bucket: bucket.name, region: r, endpoint: ociS3Endpoint(o.objectStorageNamespace, r), prefix };
  } else {
    const z = bucket.azure;
    if (!z || (z.sasToken === undefined) === (z.sharedKey === undefined)) {
      throw new DetectionStackError('DS-DURABLE-053', `${bw}.azure`, 'the shipper needs exactly one credential for Blob Storage',
        'set bucket.azure.sasToken (preferred: a container-scoped create/write SAS) or bucket.azure.sharedKey, each a Secret reference');
    }
    if (z.sasToken) secretEnv.push(env('AZURE_BLOB_SAS_TOKEN', z.sasToken, `${bw}.azure.sasToken`));
    if (z.sharedKey) secretEnv.push(env('AZURE_BLOB_SHARED_KEY', z.sharedKey, `${bw}.azure.sharedKey`));
    destination = {
      kind: 'azure_blob',
      service: ctx.profile.objectStore.service,
      storageAccount: z.storageAccount,
      container: bucket.name,
      prefix,
      auth: z.sasToken ? 'sas' : 'key',
    };
  }

  const sources = [...sensorSources, ...(props.extraSources ?? [])].map((s, i) => planSource(s,
    i < sensorSources.length ? `${where}(sensor source ${i})` : `${where}.extraSources[${i - sensorSources.length}]`));
  sources.forEach((s, i) => {
    if (sources.findIndex((o) => o.name === s.name) !== i) {
      throw new DetectionStackError('DS-DURABLE-045', `${where}.extraSources`, `source name '${s.name}' is used twice`, 'give every source its own name');
    }
  });
  const shipper = props.shipper ?? {};
  const bufferLimit = props.buffer?.bytes ?? '2G';
  if (!QUANTITY.test(bufferLimit) || Number(bufferLimit.slice(0, -1)) === 0) {
    throw new DetectionStackError('DS-DURABLE-005', `${where}.buffer.bytes`, `'${bufferLimit}' is not a size`, 'use a Fluent Bit size such as \'512M\' or \'2G\'');
  }
  const alertsPerSecond = props.buffer?.alertsPerSecond ?? 1;
  if (typeof alertsPerSecond !== 'number' || !Number.isFinite(alertsPerSecond) || alertsPerSecond <= 0) {
    throw new DetectionStackError('DS-DURABLE-055', `${where}.buffer.alertsPerSecond`, `${String(alertsPerSecond)} is not an alert rate`,
      'give the alerts per second one node is expected to raise, a number above 0 (e.g. 0.5)');
  }
  const bufferHostPath = shipper.bufferHostPath ?? DEFAULT_BUFFER_HOST_PATH;
  if (!/^\/[A-Za-z0-9._/-]+$/.test(bufferHostPath) || bufferHostPath.startsWith('/var/log')) {
    throw new DetectionStackError('DS-DURABLE-056', `${where}.shipper.bufferHostPath`, `'${bufferHostPath}' is not a usable buffer directory`,
      'use an absolute host path outside /var/log that survives reboots, e.g. /var/lib/detection-stack/fluent-bit');
  }
  const route = alertRoute && sources.some((s) => s.tetragonAlerts.length > 0) ? { urls: alertRoute.urls, labels: alertRoute.labels } : undefined;
  const selectorLabels = { 'app.kubernetes.io/name': SHIPPER_NAME, 'app.kubernetes.io/instance': ctx.cluster.name.toLowerCase().replace(/_/g, '-') };
  // cri sources are the kubelet's symlinks in /var/log/containers to the files in /var/log/pods: both, not /var/log.
  // Nested paths need no own mount.
  const dirs = [...new Set(sources.flatMap((s) => (s.format === 'cri' ? KUBELET_LOG_DIRS : [s.hostPath.slice(0, s.hostPath.lastIndexOf('/')) || '/'])))];
  const readOnlyHostPaths = dirs.filter((d) => !dirs.some((o) => o !== d && (o === '/' || d.startsWith(`${o}/`)))).sort();
  if (readOnlyHostPaths.some((d) => bufferHostPath === d || bufferHostPath.startsWith(`${d}/`))) {
    throw new DetectionStackError('DS-DURABLE-057', `${where}.shipper.bufferHostPath`, `'${bufferHostPath}' is inside a directory mounted read-only for the sources`,
      'put the buffer outside the sources\' directories');
  }
  const system = systemHostPath(bufferHostPath);
  if (system) {
    throw new DetectionStackError('DS-DURABLE-058', `${where}.shipper.bufferHostPath`,
      `'${bufferHostPath}' is ${system === bufferHostPath ? 'a system directory' : `inside the system directory ${system}`}, which the shipper would create and write (DirectoryOrCreate)`,
      'use a directory of the stack\'s own, e.g. /var/lib/detection-stack/fluent-bit');
  }
  const analytics = planAnalytics(props.analytics, ctx, `${where}.analytics`);
  if (analytics) secretEnv.push(...analytics.secretEnv);
  const shipperPlan: Omit<ShipperPlan, 'workload'> = {
    destination,
    secretEnv,
    sources,
    alertRoute: route,
    analytics,
    readOnlyHostPaths,
    bufferHostPath,
    bufferLimit,
    outageBudget: outageBudget(bufferLimit, alertsPerSecond),
    files: {
      'fluent-bit.conf': renderFluentBitConfig({ destination, sources, bufferHostPath, bufferLimit, cluster: ctx.cluster.name, ipFamily: ctx.cluster.ipFamily, alertRoute: route, analytics }),
      'parsers.conf': PARSERS_CONF,
      ...analytics?.files,
    },
    httpPort: SHIPPER_HTTP_PORT,
    egress: [
      { kind: 'external', port: 443, protocol: 'TCP' },
      ...(provider === 'eks' && bucket.aws?.podIdentity ? EKS_POD_IDENTITY_AGENT : []),
      ...(route && alertRoute ? alertRoute.egress : []),
      ...(analytics?.egress ?? []),
    ],
  };
  const daemonSet: ShipperDaemonSet = {
    namespace: ctx.namespace,
    selectorLabels,
    podLabels: { ...ctx.labels, ...selectorLabels, 'app.kubernetes.io/component': 'durable' },
    serviceAccountAnnotations,
    resources: {
      requests: shipper.resources?.requests ?? { cpu: '50m', memory: '64Mi' },
      limits: shipper.resources?.limits ?? { cpu: '500m', memory: '256Mi' },
    },
  };
  return { shipper: { ...shipperPlan, workload: shipperWorkload(shipperPlan, daemonSet) } };
}

/** What only the DaemonSet needs; kept in the WorkloadPlan, not beside it. */
interface ShipperDaemonSet {
  readonly namespace: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly resources: ResourcesPlan;
}

/**
 * A Fluent Bit DaemonSet on every node that tails the sensors' JSON output (read-only host mounts), buffers it on
 * the node's disk and writes it to the bucket. Nothing calls in; out: DNS and the bucket.
 */
function shipperWorkload(plan: Omit<ShipperPlan, 'workload'>, d: ShipperDaemonSet): WorkloadPlan {
  const configName = `${SHIPPER_NAME}-config`;
  const hostMounts = plan.readOnlyHostPaths.map((path, i) => ({ name: `source-${i}`, path }));
  const secretFiles = (plan.analytics?.secretFiles ?? []).map((f, i) => ({ ...f, volume: `analytics-secret-${i}` }));
  const probe = (path: string, periodSeconds: number): ProbePlan => ({ httpGet: { path, port: 'http' }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3 });
  return {
    kind: 'DaemonSet',
    name: SHIPPER_NAME,
    namespace: d.namespace,
    labels: d.podLabels,
    selectorLabels: d.selectorLabels,
    rollout: { type: 'RollingUpdate', maxUnavailable: 1 },
    serviceAccount: { name: SHIPPER_NAME, automountToken: false, annotations: d.serviceAccountAnnotations },
    configs: [{ kind: 'ConfigMap', name: configName, data: plan.files }],
    pod: {
      annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(...Object.values(plan.files), JSON.stringify(plan.secretEnv)) },
      enableServiceLinks: false,
      // Alerts are raised on every node the sensors run on, tainted pools included.
      tolerations: [{ operator: 'Exists' }],
      priorityClassName: 'system-node-critical',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      // Time to flush the buffer to disk (Grace 30s in fluent-bit.conf).
      terminationGracePeriodSeconds: 60,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'fluent-bit',
        image: imageReference(IMAGE_PINS.fluentBit),
        imagePullPolicy: 'IfNotPresent',
        command: ['/fluent-bit/bin/fluent-bit', '-c', `${SHIPPER_CONFIG_DIR}/fluent-bit.conf`],
        env: [{ name: 'NODE_NAME', fieldPath: 'spec.nodeName' }, ...secretEnvVars(plan.secretEnv), ...(plan.analytics?.env ?? [])],
        ports: [{ name: 'http', containerPort: plan.httpPort, protocol: 'TCP' }],
        livenessProbe: probe('/api/v1/health', 10),
        readinessProbe: probe('/api/v1/health', 10),
        resources: d.resources,
        // Root without any capability: the kubelet's log files and the buffer directory belong to root.
        securityContext: hardenedContainer(0),
        volumeMounts: [
          { name: 'config', mountPath: SHIPPER_CONFIG_DIR, readOnly: true },
          { name: 'buffer', mountPath: plan.bufferHostPath },
          { name: 'tmp', mountPath: '/tmp' },
          ...hostMounts.map((m) => ({ name: m.name, mountPath: m.path, readOnly: true })),
          ...secretFiles.map((f) => ({ name: f.volume, mountPath: f.dir, readOnly: true })),
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: configName } },
        { name: 'buffer', hostPath: { path: plan.bufferHostPath, type: 'DirectoryOrCreate' } },
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        // The shipper only reads the sources: it never creates a directory on the node (a missing one keeps the pod
        // waiting until the sensor or the kubelet creates it). The buffer is the shipper's own directory.
        ...hostMounts.map((m) => ({ name: m.name, hostPath: { path: m.path, type: 'Directory' as const } })),
        ...secretFiles.map((f) => ({
          name: f.volume, secret: { secretName: f.secret.name, defaultMode: 0o400, items: [{ key: f.secret.key, path: f.file }] },
        })),
      ],
    },
    services: [],
    networkPolicy: { ingress: [], egress: [DNS_EGRESS_RULE, ...egressRules(plan.egress)] },
  };
}

function requireRegion(where: string, region: string | undefined): string {
  if (!region || !/^[a-z]{2,}(-[a-z0-9]+)+$|^[a-z]+[0-9]*$/.test(region)) {
    throw new DetectionStackError('DS-DURABLE-003', `${where}.region`, `the bucket region '${String(region)}' is missing or not valid`,
      'set durable.bucket.region or cluster.region (e.g. eu-west-1, eu-frankfurt-1)');
  }
  return region;
}

function planSource(s: SensorSource, where: string): DurableSourcePlan {
  if (!SOURCE_NAME.test(s.name ?? '')) {
    throw new DetectionStackError('DS-DURABLE-046', `${where}.name`, `source name '${String(s.name)}' is not valid`, 'use 1-32 lowercase letters, digits or \'-\'');
  }
  if (!/^\/[A-Za-z0-9._/*-]+$/.test(s.hostPath ?? '') || s.hostPath.includes('..')) {
    throw new DetectionStackError('DS-DURABLE-047', `${where}.hostPath`, `'${String(s.hostPath)}' is not an absolute host path`, 'give an absolute path (glob allowed), e.g. /var/run/cilium/tetragon/tetragon.log');
  }
  return { name: s.name, hostPath: s.hostPath, format: s.format ?? 'json', alertsOnly: s.alertsOnly === true, tetragonAlerts: s.tetragonAlerts ?? [] };
}

/** The Falco source: the Falco containers' stdout (Falco with json_output), as the kubelet writes it. */
export function falcoStdoutSource(namespace: string, podNamePrefix: string, containerName: string): SensorSource {
  return { name: 'falco', hostPath: `/var/log/containers/${podNamePrefix}*_${namespace}_${containerName}-*.log`, format: 'cri', alertsOnly: true };
}

/**
 * Fluent Bit's s3 output caps `Retry_Limit no_limits` at 5 attempts (then the chunk is quarantined), so the
 * durable path uses a high explicit bound: with an upload attempt every 10 s or more, well over a week of outage.
 */
export const S3_RETRY_LIMIT = 100000;

const PARSERS_CONF = `[PARSER]
    Name   alert_json
    Format json
`;

function line(key: string, value: string | number): string {
  return `    ${key.padEnd(26)} ${value}`;
}

/** fluent-bit.conf: tail -> parse -> keep alerts -> label -> bucket, buffered on the node's disk. */
export function renderFluentBitConfig(p: {
  destination: DurableDestinationPlan;
  sources: readonly DurableSourcePlan[];
  bufferHostPath: string;
  bufferLimit: string;
  cluster: string;
  /** The pod's address family: the HTTP server (health, metrics) binds `0.0.0.0`, or `::` on IPv6. @default 'IPv4' */
  ipFamily?: IpFamily;
  alertRoute?: AlertRouteTarget;
  analytics?: AnalyticsPlan;
}): string {
  const out: string[] = [];
  const section = (name: string, entries: readonly (readonly [string, string | number])[]) => {
    out.push(`[${name}]`, ...entries.map(([k, v]) => line(k, v)), '');
  };
  const sections = (list: readonly FluentBitSection[]) => list.forEach(([name, entries]) => section(name, entries));
  section('SERVICE', [
    ['Flush', 5],
    ['Grace', 30],
    ['Log_Level', 'info'],
    ['Parsers_File', `${SHIPPER_CONFIG_DIR}/parsers.conf`],
    ['HTTP_Server', 'On'],
    ['HTTP_Listen', anyAddress(p.ipFamily)],
    ['HTTP_Port', SHIPPER_HTTP_PORT],
    ['Health_Check', 'On'],
    ['storage.path', `${p.bufferHostPath}/storage`],
    ['storage.sync', 'full'],
    ['storage.checksum', 'On'],
    ['storage.backlog.mem_limit', '16M'],
    ['storage.max_chunks_up', 64],
  ]);
  for (const s of p.sources) {
    section('INPUT', [
      ['Name', 'tail'],
      ['Alias', `source-${s.name}`],
      ['Tag', `alerts.${s.name}`],
      ['Path', s.hostPath],
      // json: each line is the sensor's own JSON object; cri: the kubelet's wrapping, unwrapped by the filter below.
      ...(s.format === 'cri' ? [['multiline.parser', 'cri'] as [string, string]] : [['Parser', 'alert_json'] as [string, string]]),
      ['DB', `${p.bufferHostPath}/tail-${s.name}.db`],
      ['DB.locking', 'true'],
      ['Read_from_Head', 'true'],
      ['Buffer_Chunk_Size', '64k'],
      ['Buffer_Max_Size', '1M'],
      ['Skip_Long_Lines', 'Off'],
      ['Refresh_Interval', 5],
      ['Rotate_Wait', 30],
      ['storage.type', 'filesystem'],
    ]);
    sections(analyticsSourceFilters(p.analytics, s));
    if (s.format === 'cri') {
      // The kubelet wraps each line: unwrap the sensor's JSON so the bucket holds the alert itself.
      section('FILTER', [
        ['Name', 'parser'],
        ['Match', `alerts.${s.name}`],
        ['Key_Name', 'log'],
        ['Parser', 'alert_json'],
        ['Reserve_Data', 'Off'],
      ]);
    }
    if (s.alertsOnly) {
      section('FILTER', [
        ['Name', 'grep'],
        ['Match', `alerts.${s.name}`],
        ['Regex', 'rule .'],
      ]);
    }
    sections(tetragonAlertFilters(`alerts.${s.name}`, s.tetragonAlerts, p.cluster, p.alertRoute));
  }
  section('FILTER', [
    ['Name', 'record_modifier'],
    ['Match', 'alerts.*'],
    ['Record', `cluster ${p.cluster}`],
    ['Record', 'node_name ${NODE_NAME}'],
  ]);
  const d = p.destination;
  if (d.kind === 's3') {
    section('OUTPUT', [
      ['Name', 's3'],
      ['Match', 'alerts.*'],
      ['bucket', d.bucket],
      ['region', d.region],
      ...(d.endpoint ? [['endpoint', d.endpoint] as [string, string]] : []),
      ['s3_key_format', `/${d.prefix}/$TAG[1]/%Y/%m/%d/%H%M%S-\${NODE_NAME}-$UUID.jsonl.gz`],
      ['s3_key_format_tag_delimiters', '.'],
      ['compression', 'gzip'],
      ['use_put_object', 'On'],
      // S3 Object Lock (the bucket's immutability) rejects uploads without Content-MD5.
      ['send_content_md5', 'On'],
      ['total_file_size', '50M'],
      ['upload_timeout', '1m'],
      ['json_date_key', 'false'],
      ['store_dir', `${p.bufferHostPath}/s3`],
      ['store_dir_limit_size', p.bufferLimit],
      ['Retry_Limit', S3_RETRY_LIMIT],
      // Past the limit a chunk is kept on disk for an operator, not deleted.
      ['retry_exhausted_action', 'quarantine'],
      ['quarantine_dir_limit_size', p.bufferLimit],
      ['storage.total_limit_size', p.bufferLimit],
    ]);
  } else {
    section('OUTPUT', [
      ['Name', 'azure_blob'],
      ['Match', 'alerts.*'],
      ['account_name', d.storageAccount],
      ['container_name', d.container],
      ['path', d.prefix],
      ['blob_type', 'blockblob'],
      ['auto_create_container', 'Off'],
      ['auth_type', d.auth],
      d.auth === 'sas' ? ['sas_token', '${AZURE_BLOB_SAS_TOKEN}'] : ['shared_key', '${AZURE_BLOB_SHARED_KEY}'],
      ['Retry_Limit', 'no_limits'],
      ['storage.total_limit_size', p.bufferLimit],
    ]);
  }
  sections(alertRouteOutputs(p.alertRoute, p.bufferLimit));
  const alertSources = p.sources.filter((s) => s.alertsOnly).map((s) => s.name);
  const match = analyticsMatchRegex(alertSources, p.sources.some((s) => s.tetragonAlerts.length > 0));
  sections(analyticsOutputs(p.analytics, match, p.bufferLimit, SHIPPER_CONFIG_DIR, p.cluster));
  return out.join('\n');
}

/** Secret uses of the durable plan, for the Pulumi path. */
export function durableSecretUses(plan: DurablePlan | undefined): SecretUse[] {
  const shipper = plan?.shipper;
  const files = shipper?.analytics?.secretFiles ?? [];
  return [...(shipper?.secretEnv ?? []), ...files]
    .map((e) => ({ secret: e.secret, workload: SHIPPER_NAME, namespace: shipper!.workload.namespace, where: e.where }));
}
