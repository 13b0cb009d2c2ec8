import { HELM_CHARTS } from './charts';
import type { HelmReleasePlan, NotExpressed } from './model';
import { chartSettings, keyValues } from './sidekick-settings';
import { FALCOCTL_RESOURCES } from '../core/falcoctl';
import { mainContainer } from '../core/workload';
import { CONTAINER_PLUGIN } from '../falco/sensor/defaults';
import { k8smetaFalcoPodParts } from '../falco/sensor/k8smeta';
import type { KubernetesMetadataPlan } from '../falco/sensor/k8smeta';
import type { FalcoPlan } from '../falco/sensor/plan';
import { falcoConfig, renderCustomRulesYaml } from '../falco/sensor/render';
import type { SidekickPlan } from '../routing/sidekick-plan';
import type { StackPlan } from '../stack/plan';

/**
 * The top-level keys of the falco chart's `falco:` section (falco.yaml) at 9.1.0. The chart writes that section
 * into falco.yaml as is; a falco.yaml key outside this list is reported, not written.
 */
export const FALCO_CHART_FALCO_YAML_KEYS = [
  'config_files', 'watch_config_files', 'rules_files', 'capture', 'load_plugins', 'plugins', 'plugins_hostinfo',
  'time_format_iso_8601', 'buffer_format_base64', 'priority', 'json_output', 'json_include_output_property',
  'json_include_message_property', 'json_include_output_fields_property', 'json_include_tags_property',
  'buffered_outputs', 'rule_matching', 'outputs_queue', 'append_output', 'stdout_output', 'syslog_output',
  'file_output', 'http_output', 'program_output', 'webserver', 'log_stderr', 'log_syslog', 'log_level',
  'libs_logger', 'output_timeout', 'syscall_event_timeouts', 'syscall_event_drops', 'base_syscalls', 'falco_libs',
] as const;

/** falco.yaml `metrics.<key>` and the chart's `metrics.<key>` that the chart copies into it (templates/_helpers.tpl). */
const METRICS_KEYS: Readonly<Record<string, string>> = {
  enabled: 'enabled',
  interval: 'interval',
  output_rule: 'outputRule',
  rules_counters_enabled: 'rulesCountersEnabled',
  resource_utilization_enabled: 'resourceUtilizationEnabled',
  state_counters_enabled: 'stateCountersEnabled',
  kernel_event_counters_enabled: 'kernelEventCountersEnabled',
  kernel_event_counters_per_cpu_enabled: 'kernelEventCountersPerCPUEnabled',
  kernel_iter_event_counters_enabled: 'kernelIterEventCountersEnabled',
  libbpf_stats_enabled: 'libbpfStatsEnabled',
  plugins_metrics_enabled: 'pluginsMetricsEnabled',
  jemalloc_stats_enabled: 'jemallocStatsEnabled',
  convert_memory_to_mb: 'convertMemoryToMB',
  include_empty_values: 'includeEmptyValues',
};

const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';
const AZURE_CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';
const AZURE_USE_LABEL = 'azure.workload.identity/use';

/** The release name: the chart names its objects after it (`falco`). */
export const FALCO_RELEASE_NAME = 'falco';
/** The falcosidekick release: its objects are named after it, as the stack's own (`falcosidekick`). */
export const SIDEKICK_RELEASE_NAME = 'falcosidekick';
/** The image's user (falcosecurity/falcosidekick Dockerfile: `USER 1234`). */
const SIDEKICK_USER = 1234;
/** The chart's container port and Service port (templates/deployment.yaml and service.yaml hard-code 2801). */
const SUBCHART_SIDEKICK_PORT = 2801;

/**
 * Values for the official falco chart (its falcosidekick subchart off: Falcosidekick is a release of its own) that deploy
 * the stack's node sensor as planned: the same falco.yaml and custom rules, least-privileged capabilities,
 * tolerations, resources and outputs. What the chart cannot express is listed in `notExpressed`.
 */
export function falcoChartRelease(plan: StackPlan): HelmReleasePlan | undefined {
  const falco = plan.falco;
  if (!falco) return undefined;
  const notExpressed: NotExpressed[] = [];
  const config = falcoConfig(falco);
  const { engine, metrics, plugins: _plugins, load_plugins: _loadPlugins, ...rest } = config;
  const falcoYaml: Record<string, unknown> = { config_files: [] };
  for (const [key, value] of Object.entries(rest)) {
    if ((FALCO_CHART_FALCO_YAML_KEYS as readonly string[]).includes(key)) {
      falcoYaml[key] = value;
    } else {
      notExpressed.push({
        what: `falco.yaml key ${key}`,
        chart: 'the chart\'s falco: section has no such key (falco chart 9.1.0 values.yaml)',
        instead: 'deploy the synthesized manifests, or add the key to falco.yaml through a config.d file of your own',
      });
    }
  }
  // The chart appends the container plugin (from collectors.containerEngine) after falco.plugins unless they name it
  // (templates/_helpers.tpl `falco.containerPlugin`): with another plugin (k8smeta), all are written in the planned
  // load order, the container plugin first, as on the manifests path.
  const otherPlugins = falco.plugins.filter((p) => p.name !== CONTAINER_PLUGIN.name);
  const written = otherPlugins.length > 0 ? falco.plugins : otherPlugins;
  falcoYaml.load_plugins = written.map((p) => p.name);
  falcoYaml.plugins = written.map((p) => ({
    name: p.name,
    library_path: p.libraryPath,
    ...(p.initConfig !== undefined ? { init_config: p.initConfig } : {}),
    ...(p.openParams !== undefined ? { open_params: p.openParams } : {}),
  }));

  // Falcosidekick is its own release in the routing namespace (sidekickChartRelease), named so that its Service has
  // the stack's own name and port: falco.yaml's http_output, already the planned URL, needs no change.

  // The k8smeta opt-in: the plugin entry is in falco.plugins above (with caPEMBundle: TLS); the chart's own
  // collectors.kubernetes stays off (see kubernetesMetadataValues), so falcoctl installs the plugin as on the
  // manifests path, through extra.initContainers and mounts.
  const k8smeta = falco.kubernetesMetadata && k8smetaFalcoPodParts(falco.kubernetesMetadata, FALCOCTL_RESOURCES);
  const engineConfig = engine as { kind: string; modern_ebpf: { buf_size_preset: number; cpus_for_each_buffer: number; drop_failed_exit: boolean } };
  const values: Record<string, unknown> = {
    image: imageValues(falco.image.repository, imageTag(falco.image.tag, falco.image.digest)),
    serviceAccount: { create: true, name: falco.serviceAccount.name },
    // The chart's Role (list and update ConfigMaps) is for the driver loader's `auto` mode, which modern_ebpf never runs.
    rbac: { create: false },
    podLabels: withoutChartSelectorLabels(falco.labels),
    podPriorityClassName: falco.priorityClassName,
    podSecurityContext: {
      seccompProfile: { type: 'Unconfined' },
      appArmorProfile: { type: falco.security.appArmor.profile },
    },
    containerSecurityContext: falcoContainerSecurity(falco),
    resources: { requests: { ...falco.resources.requests }, limits: { ...falco.resources.limits } },
    nodeSelector: { ...falco.nodeSelector },
    tolerations: falco.tolerations.map((t) => ({ ...t })),
    healthChecks: {
      startupProbe: { initialDelaySeconds: 0, timeoutSeconds: 5, periodSeconds: 5, failureThreshold: 24 },
      livenessProbe: { initialDelaySeconds: 0, timeoutSeconds: 5, periodSeconds: 15, failureThreshold: 3 },
      readinessProbe: { initialDelaySeconds: 0, timeoutSeconds: 5, periodSeconds: 15, failureThreshold: 3 },
    },
    controller: { kind: 'daemonset', daemonset: { updateStrategy: { type: 'RollingUpdate' } } },
    metrics: {
      ...Object.fromEntries(Object.entries(metrics as Record<string, unknown>)
        .map(([k, v]) => [METRICS_KEYS[k] ?? unknownMetric(k, notExpressed), v])),
      // Prometheus reaches Falco through the pods (the stack's PodMonitor), not through a Service.
      service: { create: false },
    },
    mounts: {
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, ...(k8smeta?.volumes ?? [])],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(k8smeta?.mounts ?? [])],
    },
    // The chart's pod template sets FALCO_K8S_NODE_NAME from spec.nodeName itself (templates/pod-template.tpl), which
    // the plugin's nodeName reads: no extra.env.
    ...(k8smeta ? { extra: { initContainers: [k8smeta.initContainer] } } : {}),
    driver: {
      enabled: true,
      kind: engineConfig.kind,
      sysfsMountPath: '/sys/kernel',
      modernEbpf: {
        // With containerSecurityContext set, this only adds the chart's legacy AppArmor annotation (unconfined).
        leastPrivileged: !falco.security.privileged,
        bufSizePreset: engineConfig.modern_ebpf.buf_size_preset,
        cpusForEachBuffer: engineConfig.modern_ebpf.cpus_for_each_buffer,
        dropFailedExit: engineConfig.modern_ebpf.drop_failed_exit,
        sysfsMount: true,
      },
    },
    collectors: { enabled: true, containerEngine: containerEngineValues(falco), kubernetes: { enabled: false } },
    // Rules and plugins come from the image and the values; nothing is downloaded at start or followed at run time.
    falcoctl: { artifact: { install: { enabled: false }, follow: { enabled: false } } },
    customRules: { [falco.rules.fileName]: renderCustomRulesYaml(falco) },
    falco: falcoYaml,
    // The subchart would run in this release's namespace, at Pod Security privileged: off.
    falcosidekick: { enabled: false },
  };
  notExpressed.push(...falcoChartLimits(falco));
  if (falco.kubernetesMetadata) notExpressed.push(kubernetesMetadataLimit(falco.kubernetesMetadata));
  return { releaseName: FALCO_RELEASE_NAME, namespace: falco.namespace, chart: HELM_CHARTS.falco, values, notExpressed };
}

/**
 * Falcosidekick as a release of the falcosidekick chart (0.12.1, the subchart's version) in the routing namespace
 * (Pod Security restricted), as the stack plans it. The subchart cannot go there: its templates put every object in
 * `.Release.Namespace`, the falco release's (falcosecurity/charts falcosidekick-0.12.1 templates/deployment.yaml), and
 * has no namespace value. The release is named like the stack's Falcosidekick, so the chart names its Deployment and
 * Service the same (templates/_helpers.tpl `falcosidekick.fullname`: a release name that contains the chart name is
 * used as is) and the Service listens on the stack's port (templates/service.yaml: 2801).
 */
export function sidekickChartRelease(plan: StackPlan): HelmReleasePlan | undefined {
  const sidekick = plan.routing?.sidekick;
  if (!plan.falco || !sidekick) return undefined;
  const notExpressed: NotExpressed[] = [];
  const values = sidekickValues(sidekick, notExpressed);
  notExpressed.push(...sidekickChartLimits());
  return { releaseName: SIDEKICK_RELEASE_NAME, namespace: sidekick.workload.namespace, chart: HELM_CHARTS.falcosidekick, values, notExpressed };
}

/** Where Falco posts alerts on the Helm path: the falcosidekick release's Service, which is the stack's own URL. */
export function helmSidekickUrl(namespace: string): string {
  return `http://${SIDEKICK_RELEASE_NAME}.${namespace}.svc.cluster.local:${SUBCHART_SIDEKICK_PORT}/`;
}

function unknownMetric(key: string, notExpressed: NotExpressed[]): string {
  notExpressed.push({ what: `falco.yaml metrics.${key}`, chart: 'the chart writes falco.yaml metrics only from its own metrics.* values', instead: 'deploy the synthesized manifests' });
  return key;
}

function falcoContainerSecurity(falco: FalcoPlan): Record<string, unknown> {
  const s = falco.security;
  return {
    ...(s.privileged ? { privileged: true } : { capabilities: { drop: ['ALL'], add: [...s.capabilities] } }),
    allowPrivilegeEscalation: s.allowPrivilegeEscalation,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem,
  };
}

/** The container plugin as the chart generates it (`falco.containerPlugin`): from collectors.containerEngine. */
function containerEngineValues(falco: FalcoPlan): Record<string, unknown> {
  const plugin = falco.plugins.find((p) => p.name === CONTAINER_PLUGIN.name);
  if (!plugin || typeof plugin.initConfig !== 'object') return { enabled: false };
  const init = plugin.initConfig as { label_max_len: number; with_size: boolean; hooks: string[]; engines: Record<string, unknown> };
  return {
    enabled: true,
    labelMaxLen: init.label_max_len,
    withSize: init.with_size,
    hooks: [...init.hooks],
    engines: init.engines,
  };
}

function sidekickValues(sidekick: SidekickPlan, notExpressed: NotExpressed[]): Record<string, unknown> {
  const { listenport, debug, customfields, ...outputs } = sidekick.config as Record<string, unknown>;
  if (listenport !== undefined && listenport !== SUBCHART_SIDEKICK_PORT) {
    notExpressed.push({ what: `Falcosidekick listen port ${String(listenport)}`, chart: `the chart listens on ${SUBCHART_SIDEKICK_PORT} only`, instead: 'keep the default port' });
  }
  const workload = sidekick.workload;
  const container = mainContainer(workload);
  const annotations = { ...workload.serviceAccount.annotations };
  const roleArn = annotations[IRSA_ANNOTATION];
  const azureClientId = annotations[AZURE_CLIENT_ID_ANNOTATION];
  delete annotations[IRSA_ANNOTATION];
  delete annotations[AZURE_CLIENT_ID_ANNOTATION];
  for (const key of Object.keys(annotations)) {
    notExpressed.push({
      what: `Falcosidekick ServiceAccount annotation ${key}`,
      chart: 'the chart annotates its ServiceAccount only for IRSA (config.aws.rolearn) and Azure workload identity',
      instead: `annotate the ServiceAccount ${SIDEKICK_RELEASE_NAME} after the install`,
    });
  }
  const config: Record<string, unknown> = {
    debug: debug ?? false,
    customfields: keyValues(customfields),
    ...Object.fromEntries(Object.entries(outputs).map(([section, settings]) => [section, chartSettings(settings)])),
    // Credentials stay in the users' Secrets: the Deployment reads them as env, which wins over the chart's own Secret.
    extraEnv: sidekick.secretEnv.map((e) => ({
      name: e.env,
      valueFrom: { secretKeyRef: { name: e.secret.name, key: e.secret.key, optional: false } },
    })),
  };
  // The chart annotates its ServiceAccount (and labels the pods for Azure) from these two values.
  if (roleArn) config.aws = { ...(config.aws as Record<string, unknown> ?? {}), useirsa: true, rolearn: roleArn };
  if (azureClientId) config.azure = { ...(config.azure as Record<string, unknown> ?? {}), workloadIdentityClientID: azureClientId };
  const { [AZURE_USE_LABEL]: _azureUse, ...podLabels } = withoutChartSelectorLabels(workload.labels);
  const [registry, repository, tag] = splitImage(container.image);
  return {
    replicaCount: workload.replicas,
    image: { registry, repository, tag },
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: SIDEKICK_USER,
      runAsGroup: SIDEKICK_USER,
      fsGroup: SIDEKICK_USER,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: SIDEKICK_USER,
      runAsGroup: SIDEKICK_USER,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: { requests: { ...container.resources.requests }, limits: { ...container.resources.limits } },
    podLabels: azureClientId ? podLabels : withoutChartSelectorLabels(workload.labels),
    extraVolumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
    extraVolumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    config,
  };
}

/** What the chart does differently from the stack's own manifests, for the plan at hand. */
function falcoChartLimits(falco: FalcoPlan): NotExpressed[] {
  const limits: NotExpressed[] = [
    {
      what: 'Falco ServiceAccount token not mounted (automountServiceAccountToken: false)',
      chart: 'the pod template has no automountServiceAccountToken value: the token is mounted, though Falco never calls the API',
      instead: 'patch the DaemonSet (kustomize or a post-renderer) with automountServiceAccountToken: false',
    },
  ];
  for (const mount of falco.hostMounts.filter((m) => m.readOnly)) {
    if (mount.volumeName === 'proc-fs') {
      limits.push({
        what: 'host /proc mounted read-only at /host/proc',
        chart: 'with driver.loader.enabled (its default) the chart mounts /proc read-write; turning the loader off adds /boot, /usr and a writable /lib/modules',
        instead: 'patch the DaemonSet\'s proc-fs volumeMount to readOnly: true with a post-renderer',
      });
    } else if (mount.volumeName === 'container-runtime-socket') {
      limits.push({
        what: `container runtime socket ${mount.hostPath} mounted read-only`,
        chart: 'the chart mounts each container engine socket without readOnly',
        instead: 'patch the container-engine-socket volumeMount to readOnly: true with a post-renderer',
      });
    }
  }
  if (!falco.security.privileged && !falco.security.appArmor.legacyAnnotation) {
    limits.push({
      what: 'no legacy AppArmor annotation (the appArmorProfile field alone)',
      chart: 'driver.modernEbpf.leastPrivileged also adds container.apparmor.security.beta.kubernetes.io/falco: unconfined',
      instead: 'nothing: it names the same profile as the field',
    });
  }
  return limits;
}

/**
 * The collector on the Helm path: the falco chart's `collectors.kubernetes.enabled` would install the k8s-metacollector
 * subchart, which runs the collector with `run` alone (plaintext broker, no `--broker-server-cert`) and writes the
 * plugin's init_config without `caPEMBundle` (falco chart 9.1.0 templates/_helpers.tpl `k8smeta.configuration`), with
 * no NetworkPolicy. So the chart's switch stays off and the stack's own collector objects are applied beside the release.
 */
function kubernetesMetadataLimit(k8smeta: KubernetesMetadataPlan): NotExpressed {
  const tls = 'serverSecret' in k8smeta.tls ? `TLS with the Secret ${k8smeta.tls.serverSecret}` : 'plaintext (opted out)';
  return {
    what: `the k8s-metacollector (Deployment, Service, ServiceAccount, the list/watch-only ClusterRole and its binding, NetworkPolicy; ${tls})`,
    chart: 'the chart\'s collectors.kubernetes subchart serves plaintext only and renders no NetworkPolicy, so it stays off; the falco release loads the k8smeta plugin with the planned init_config',
    instead: `apply the objects named ${k8smeta.collector.name} from the synthesized manifests in ${k8smeta.collector.namespace} (the fleet writes them beside helm/)`,
  };
}

/** What the falcosidekick chart does differently from the stack's own Falcosidekick. */
function sidekickChartLimits(): NotExpressed[] {
  return [
    {
      what: 'Falcosidekick NetworkPolicy (ingress from Falco only, egress to its outputs only)',
      chart: 'the chart renders no NetworkPolicy',
      instead: 'apply the NetworkPolicy from the synthesized manifests, with its pod selector changed to the release\'s labels',
    },
    {
      what: 'Falcosidekick PodDisruptionBudget and spread over nodes',
      chart: 'the chart has no PodDisruptionBudget and no topologySpreadConstraints value',
      instead: 'apply a PodDisruptionBudget (minAvailable: 1) for app.kubernetes.io/name=falcosidekick yourself',
    },
    {
      what: 'Falcosidekick ServiceAccount token not mounted, and no Role',
      chart: 'the chart mounts the token and creates a Role that reads Endpoints',
      instead: 'accept it, or patch the Deployment with automountServiceAccountToken: false',
    },
  ];
}

/** The chart's own selector labels (name, instance) come from the release: giving them again would duplicate keys. */
function withoutChartSelectorLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const { 'app.kubernetes.io/name': _name, 'app.kubernetes.io/instance': _instance, ...rest } = labels;
  return rest;
}

function imageTag(tag: string, digest: string | undefined): string {
  return digest ? `${tag}@${digest}` : tag;
}

function imageValues(repository: string, tag: string): Record<string, string> {
  const [registry, path] = splitRegistry(repository);
  return { registry, repository: path, tag };
}

/** `registry/path:tag@digest` into the chart's registry, repository and tag (`tag@digest`: the templates join them with ':'). */
function splitImage(reference: string): [string, string, string] {
  const at = reference.indexOf('@');
  const name = at >= 0 ? reference.slice(0, at) : reference;
  const digest = at >= 0 ? reference.slice(at) : '';
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const [registry, repository] = splitRegistry(hasTag ? name.slice(0, colon) : name);
  return [registry, repository, `${hasTag ? name.slice(colon + 1) : 'latest'}${digest}`];
}

function splitRegistry(repository: string): [string, string] {
  const slash = repository.indexOf('/');
  const first = slash >= 0 ? repository.slice(0, slash) : '';
  if (first.includes('.') || first.includes(':') || first === 'localhost') return [first, repository.slice(slash + 1)];
  return ['docker.io', repository];
}
