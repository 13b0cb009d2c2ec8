import type { FalcoPluginPlan } from './plugin';
import type { FalcoImageProps, FalcoKubernetesMetadataProps, FalcoSensorProps } from './props';
import { validateImage, validateResources } from './validate';
import type { PlanContext } from '../../core/context';
import { DetectionStackError } from '../../core/errors';
import { FALCOCTL_CONFIG_DIR, FALCOCTL_STATE_DIR } from '../../core/falcoctl';
import { ARTIFACT_PINS, artifactReference, IMAGE_PINS, imageReference } from '../../core/images';
import { requireReason } from '../../core/opt-out';
import {
  API_SERVER_EGRESS_RULE, ContainerPlan, hardenedContainer, PodPeerPlan, PolicyRulePlan, ResourcesPlan, VolumeMountPlan,
  VolumePlan, WorkloadPlan,
} from '../../core/workload';
import type { Expr, FieldRef, Operand, TransformerArg } from '../language/ast';
import { parseCondition } from '../language/parser';
import { outputFieldRefs } from '../rules/output';

/**
 * The k8smeta plugin as the falco chart 9.1.0 installs it (values.yaml `collectors.kubernetes.pluginRef`), a falcoctl
 * artifact. Its `init_config` keys are the plugin's JSON schema (falcosecurity/plugins plugins/k8smeta/v0.4.1,
 * src/plugin.cpp `get_init_schema`): `collectorHostname`, `collectorPort` and `nodeName` required, `verbosity`,
 * `caPEMBundle` (a file path: TLS with that CA; absent: plaintext), no other key.
 */
export const K8SMETA_PLUGIN = {
  name: 'k8smeta',
  libraryFile: 'libk8smeta.so',
  artifact: artifactReference(ARTIFACT_PINS.k8smeta),
  source: ARTIFACT_PINS.k8smeta.source,
} as const;

/**
 * Where falcoctl installs the plugin, a folder of its own: the image's /usr/share/falco/plugins (with the bundled
 * container plugin) stays as it is. Falco takes an absolute `library_path` as is.
 */
export const K8SMETA_PLUGIN_DIR = '/usr/share/falco/plugins-k8smeta';
/** Where Falco sees the CA that signed the collector's certificate. */
export const K8SMETA_CA_DIR = '/etc/falco/k8smeta-ca';
/** The plugin expands `${VAR}` in `nodeName` itself (plugin.cpp `parse_init_config`); the Downward API fills it. */
export const K8SMETA_NODE_ENV = 'FALCO_K8S_NODE_NAME';

export const METACOLLECTOR_NAME = 'k8s-metacollector';
/** The collector's listeners (k8s-metacollector v0.1.1 cmd/collector/run/run.go flag defaults). */
export const METACOLLECTOR_PORTS = { metrics: 8080, health: 8081, broker: 45000 } as const;
const METACOLLECTOR_TLS_DIR = '/etc/k8s-metacollector/tls';
/** The image's user (k8s-metacollector v0.1.1 build/Dockerfile: distroless/static:nonroot, `USER 65532:65532`). */
const METACOLLECTOR_USER = 65532;

/**
 * What the collector reads, and nothing else: the kinds k8s-metacollector v0.1.1 watches (cmd/collector/run/run.go:
 * the cache's `ByObject` kinds, the pod, deployment, replica set, namespace, daemon set, replication controller and
 * service collectors, the Endpoints and EndpointSlices dispatchers). Every read goes through controller-runtime's
 * informer cache (`mgr.GetClient()`, no API reader, no leader election, no event recorder): `list` and `watch`,
 * no `get`, no write.
 */
export const METACOLLECTOR_RULES: readonly PolicyRulePlan[] = [
  { apiGroups: [''], resources: ['endpoints', 'namespaces', 'pods', 'replicationcontrollers', 'services'], verbs: ['list', 'watch'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets'], verbs: ['list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
];

/**
 * Sized for large clusters: the collector holds a trimmed copy of every pod, service and owner of the cluster
 * (falco#2694 reports 1,200 pods on one cluster); upstream's chart sets no resources at all.
 */
export const METACOLLECTOR_RESOURCES = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '1000m', memory: '1Gi' },
} as const;

/** The opt-in as planned: the plugin entry of falco.yaml, the artifact falcoctl installs, TLS and the collector. */
export interface KubernetesMetadataPlan {
  readonly plugin: FalcoPluginPlan;
  readonly artifact: string;
  readonly tls: { readonly serverSecret: string; readonly caConfigMap: string } | { readonly insecure: { readonly reason: string } };
  readonly collector: {
    readonly name: string;
    readonly namespace: string;
    /** The Service's name in the cluster: what the plugin dials and the server certificate must name. */
    readonly host: string;
    readonly port: number;
    readonly image: string;
    readonly resources: ResourcesPlan;
    readonly labels: Readonly<Record<string, string>>;
    readonly selectorLabels: Readonly<Record<string, string>>;
  };
}

const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Plans the opt-in (undefined when off). */
export function planKubernetesMetadata(props: FalcoKubernetesMetadataProps | undefined, ctx: PlanContext,
  where: string): KubernetesMetadataPlan | undefined {
  if (props === undefined) return undefined;
  const at = `${where}.kubernetesMetadata`;
  const tls = props.tls as Partial<{ serverSecret: string; caConfigMap: string; insecure: { reason: string } }> | undefined;
  if (tls === undefined || (tls.insecure === undefined) === (tls.serverSecret === undefined && tls.caConfigMap === undefined)) {
    throw new DetectionStackError('DS-FALCO-019', `${at}.tls`, 'give either serverSecret and caConfigMap, or insecure: { reason }',
      'name the collector\'s kubernetes.io/tls Secret and the ConfigMap with its CA (key ca.crt), both in the sensors\' namespace; '
      + 'or opt out of TLS with insecure: { reason }');
  }
  if (tls.insecure !== undefined) {
    requireReason(`${at}.tls.insecure`, tls.insecure, 'DS-FALCO-019');
  } else {
    for (const key of ['serverSecret', 'caConfigMap'] as const) {
      const name = tls[key];
      if (typeof name !== 'string' || name.length > 253 || !OBJECT_NAME.test(name)) {
        throw new DetectionStackError('DS-FALCO-019', `${at}.tls.${key}`, `'${String(name)}' is not the name of a ${key === 'serverSecret' ? 'Secret' : 'ConfigMap'}`,
          'give the name of the object in the sensors\' namespace (a lowercase DNS subdomain)');
      }
    }
  }
  const image = collectorImage(`${at}.collector.image`, props.collector?.image);
  const resources = validateResources(`${at}.collector.resources`, props.collector?.resources, METACOLLECTOR_RESOURCES);
  const selectorLabels = { 'app.kubernetes.io/name': METACOLLECTOR_NAME, 'app.kubernetes.io/instance': METACOLLECTOR_NAME };
  const host = `${METACOLLECTOR_NAME}.${ctx.namespace}.svc`;
  const secure = tls.insecure === undefined;
  return {
    plugin: {
      name: K8SMETA_PLUGIN.name,
      libraryPath: `${K8SMETA_PLUGIN_DIR}/${K8SMETA_PLUGIN.libraryFile}`,
      initConfig: {
        collectorHostname: host,
        collectorPort: METACOLLECTOR_PORTS.broker,
        nodeName: `\${${K8SMETA_NODE_ENV}}`,
        verbosity: props.verbosity ?? 'info',
        ...(secure ? { caPEMBundle: `${K8SMETA_CA_DIR}/ca.crt` } : {}),
      },
    },
    artifact: K8SMETA_PLUGIN.artifact,
    tls: secure ? { serverSecret: tls.serverSecret!, caConfigMap: tls.caConfigMap! } : { insecure: { reason: tls.insecure!.reason } },
    collector: {
      name: METACOLLECTOR_NAME,
      namespace: ctx.namespace,
      host,
      port: METACOLLECTOR_PORTS.broker,
      image: image.reference,
      resources,
      labels: { ...ctx.labels, ...selectorLabels, 'app.kubernetes.io/component': 'kubernetes-metadata', 'app.kubernetes.io/version': image.tag },
      selectorLabels,
    },
  };
}

/**
 * The k8s-metacollector: one replica (each Falco's plugin keeps one gRPC stream to the Service), the least
 * read-only ClusterRole, TLS on the broker when configured, and a NetworkPolicy that admits only the Falco pods on
 * the broker port and lets it reach only the API server.
 */
export function metacollectorWorkload(plan: KubernetesMetadataPlan, falcoPods: PodPeerPlan): WorkloadPlan {
  const c = plan.collector;
  const secure = 'serverSecret' in plan.tls;
  const health = (path: string, initialDelaySeconds: number) => ({ httpGet: { path, port: 'health-probe' }, initialDelaySeconds, periodSeconds: 15, timeoutSeconds: 5 });
  return {
    kind: 'Deployment',
    name: c.name,
    namespace: c.namespace,
    labels: c.labels,
    selectorLabels: c.selectorLabels,
    replicas: 1,
    rollout: { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 1 },
    // The collector needs its token: it lists and watches the API server.
    serviceAccount: { name: c.name },
    clusterRole: { rules: METACOLLECTOR_RULES },
    configs: [],
    pod: {
      annotations: {},
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: METACOLLECTOR_USER, runAsGroup: METACOLLECTOR_USER, fsGroup: METACOLLECTOR_USER, seccompProfile: { type: 'RuntimeDefault' } },
      terminationGracePeriodSeconds: 10,
      containers: [{
        name: c.name,
        image: c.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['/meta-collector'],
        args: ['run', ...(secure ? [`--broker-server-cert=${METACOLLECTOR_TLS_DIR}/tls.crt`, `--broker-server-key=${METACOLLECTOR_TLS_DIR}/tls.key`] : [])],
        ports: [
          { name: 'metrics', containerPort: METACOLLECTOR_PORTS.metrics },
          { name: 'health-probe', containerPort: METACOLLECTOR_PORTS.health },
          { name: 'broker-grpc', containerPort: METACOLLECTOR_PORTS.broker },
        ],
        // The chart's probes (k8s-metacollector chart values.yaml healthChecks): the informers fill before it is ready.
        livenessProbe: health('/healthz', 45),
        readinessProbe: health('/readyz', 30),
        resources: c.resources,
        securityContext: hardenedContainer(METACOLLECTOR_USER),
        volumeMounts: secure ? [{ name: 'broker-tls', mountPath: METACOLLECTOR_TLS_DIR, readOnly: true }] : [],
      }],
      volumes: 'serverSecret' in plan.tls
        ? [{ name: 'broker-tls', secret: { secretName: plan.tls.serverSecret, defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } }]
        : [],
    },
    services: [{ name: c.name, ports: [{ name: 'broker-grpc', port: METACOLLECTOR_PORTS.broker, protocol: 'TCP' }] }],
    networkPolicy: {
      ingress: [{ peers: [falcoPods], ports: [{ port: METACOLLECTOR_PORTS.broker, protocol: 'TCP' }] }],
      egress: [API_SERVER_EGRESS_RULE],
    },
  };
}

/** What the Falco DaemonSet adds for the plugin: falcoctl installing it, the node name, the CA, the egress to the collector. */
export function k8smetaFalcoPodParts(plan: KubernetesMetadataPlan, falcoctlResources: ResourcesPlan): {
  initContainer: ContainerPlan; volumes: VolumePlan[]; mounts: VolumeMountPlan[]; env: { name: string; fieldPath: string };
} {
  const secure = 'serverSecret' in plan.tls;
  return {
    initContainer: {
      name: 'falcoctl-k8smeta-install',
      image: imageReference(IMAGE_PINS.falcoctl),
      args: ['artifact', 'install', plan.artifact, '--plugins-dir=/plugins',
        `--config=${FALCOCTL_CONFIG_DIR}/falcoctl.yaml`, `--state-dir=${FALCOCTL_STATE_DIR}`,
        '--allowed-types=plugin', '--resolve-deps=false', '--log-format=json'],
      env: [{ name: 'HOME', value: '/tmp' }],
      resources: falcoctlResources,
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      volumeMounts: [
        { name: 'k8smeta-plugin', mountPath: '/plugins' },
        { name: 'falcoctl-config', mountPath: FALCOCTL_CONFIG_DIR },
        { name: 'falcoctl-state', mountPath: FALCOCTL_STATE_DIR },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    },
    volumes: [
      { name: 'k8smeta-plugin', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'falcoctl-config', emptyDir: { sizeLimit: '1Mi' } },
      { name: 'falcoctl-state', emptyDir: { sizeLimit: '16Mi' } },
      ...('serverSecret' in plan.tls ? [{ name: 'k8smeta-ca', configMap: { name: plan.tls.caConfigMap } }] : []),
    ],
    mounts: [
      { name: 'k8smeta-plugin', mountPath: K8SMETA_PLUGIN_DIR, readOnly: true },
      ...(secure ? [{ name: 'k8smeta-ca', mountPath: K8SMETA_CA_DIR, readOnly: true }] : []),
    ],
    env: { name: K8SMETA_NODE_ENV, fieldPath: 'spec.nodeName' },
  };
}

/**
 * The container plugin's `k8s.*` fields that are only names now (Falco 0.44.1 `--list=syscall` with container plugin
 * 0.7.1 describes each as "Deprecated. Use `k8smeta` plugin instead."): they never carry a value, so a rule comparing
 * them is silently dead. Each maps to its k8smeta field (`.id` is `.uid` there).
 */
export const DEPRECATED_K8S_FIELDS: ReadonlySet<string> = new Set([
  ...['rc', 'svc', 'rs', 'deployment'].flatMap((kind) => ['name', 'id', 'label', 'labels'].map((f) => `k8s.${kind}.${f}`)),
  'k8s.ns.id', 'k8s.ns.label', 'k8s.ns.labels',
]);

/** The k8smeta field that replaces a deprecated `k8s.*` field. */
export function k8smetaReplacement(field: string): string {
  return `k8smeta.${field.slice('k8s.'.length).replace(/\.id$/, '.uid')}`;
}

/**
 * Refuses custom rules and macros that use `k8smeta.*` fields while the opt-in is off (Falco would refuse to load
 * them: no plugin provides the fields), and the deprecated `k8s.*` fields always (they read empty), each with the fix.
 */
export function checkKubernetesFields(props: FalcoSensorProps, where: string): void {
  const enabled = props.kubernetesMetadata !== undefined;
  const texts: { at: string; fields: string[] }[] = [];
  (props.customRules ?? []).forEach((r, i) => {
    const at = `${where}.customRules[${i}].rule`;
    if (r.rule.condition !== undefined) texts.push({ at: `${at}.condition`, fields: conditionFields(r.rule.condition) });
    if (r.rule.output !== undefined) texts.push({ at: `${at}.output`, fields: outputFieldRefs(r.rule.output).map((f) => f.name) });
    (r.rule.exceptions ?? []).forEach((e, j) => {
      if (e.fields !== undefined) texts.push({ at: `${at}.exceptions[${j}].fields`, fields: typeof e.fields === 'string' ? [e.fields] : [...e.fields] });
    });
  });
  (props.customMacros ?? []).forEach((m, i) => texts.push({ at: `${where}.customMacros[${i}].condition`, fields: conditionFields(m.condition) }));
  for (const { at, fields } of texts) {
    for (const field of fields) {
      if (DEPRECATED_K8S_FIELDS.has(field)) {
        const replacement = k8smetaReplacement(field);
        throw new DetectionStackError('DS-FALCO-020', at, `${field} is a deprecated field of the container plugin and never has a value`,
          enabled ? `use ${replacement}` : `turn on ${where}.kubernetesMetadata (the k8smeta plugin and k8s-metacollector) and use ${replacement}`);
      }
      if (!enabled && field.startsWith('k8smeta.')) {
        throw new DetectionStackError('DS-FALCO-021', at, `${field} needs the k8smeta plugin, which this stack does not load`,
          `turn on ${where}.kubernetesMetadata (the k8smeta plugin and k8s-metacollector), or use the container plugin's k8s.ns.name and k8s.pod.* fields`);
      }
    }
  }
}

/** Every field a condition names (macros are checked where they are defined). Unparsable text is left to the loader's check. */
function conditionFields(condition: string): string[] {
  let expr: Expr;
  try {
    expr = parseCondition(condition);
  } catch {
    return [];
  }
  const out: string[] = [];
  const operand = (o: Operand | TransformerArg | FieldRef): void => {
    switch (o.kind) {
      case 'field': out.push(o.name); return;
      case 'transformer': o.args.forEach(operand); return;
      case 'transformerList': o.items.forEach(operand); return;
      default: return;
    }
  };
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'and': case 'or': e.children.forEach(walk); return;
      case 'not': walk(e.child); return;
      case 'macro': return;
      case 'unaryCheck': operand(e.left); return;
      case 'binaryCheck': operand(e.left); operand(e.right); return;
    }
  };
  walk(expr);
  return out;
}

/**
 * The collector's image. No digest of any k8s-metacollector release could be verified for a default, so the default
 * tag alone is refused: the user gives the digest (or, pinning by tag on purpose, the tag), never a silent tag-only pin.
 */
function collectorImage(where: string, given: FalcoImageProps | undefined): ReturnType<typeof validateImage> {
  const pin = IMAGE_PINS.k8sMetacollector;
  const image = validateImage(where, given, pin);
  if (image.digest === undefined && given?.tag === undefined) {
    throw new DetectionStackError('DS-FALCO-032', `${where}.digest`,
      `the collector image ${pin.repository}:${pin.version} has no digest this library could verify`,
      `give its digest (\`crane digest ${pin.repository}:${pin.version}\` prints it), or pin a tag on purpose with image.tag`);
  }
  return image;
}
