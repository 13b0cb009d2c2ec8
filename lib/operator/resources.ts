import { parse } from 'yaml';
import { ARTIFACT_PINS, artifactParts } from '../core/images';
import { mainContainer } from '../core/workload';
import { renderRulesYaml } from '../falco/rules/emit';
import type { RulesFileItem } from '../falco/rules/model';
import { CONTAINER_PLUGIN } from '../falco/sensor/defaults';
import { K8SMETA_CA_DIR, K8SMETA_NODE_ENV, K8SMETA_PLUGIN, KubernetesMetadataPlan } from '../falco/sensor/k8smeta';
import type { FalcoPlan } from '../falco/sensor/plan';
import { falcoConfig } from '../falco/sensor/render';
import { OWNER_LABEL, teamRulesFiles } from '../falco/sensor/rules-files';
import type { NotExpressed } from '../helm/model';
import { sidekickEnvSettings } from '../helm/sidekick-settings';
import type { SidekickPlan } from '../routing/sidekick-plan';
import type { StackPlan } from '../stack/plan';

/** falcosecurity/falco-operator v0.4.1: the API groups of its CRDs (api/instance, api/artifact). */
export const FALCO_OPERATOR = {
  version: '0.4.1',
  instanceApiVersion: 'instance.falcosecurity.dev/v1alpha1',
  artifactApiVersion: 'artifact.falcosecurity.dev/v1alpha1',
  /** Falco's default rules as the falco chart 9.1.0 installs them (`falcoctl.config.artifact.install.refs: [falco-rules:5]`). */
  defaultRules: artifactParts(ARTIFACT_PINS.falcoRules),
  /** The k8smeta plugin as the falco chart 9.1.0 installs it (`collectors.kubernetes.pluginRef`). */
  k8smetaPlugin: artifactParts(ARTIFACT_PINS.k8smeta),
  /** The container plugin Falco 0.44.1 bundles (falco chart 9.1.0 `collectors.containerEngine.pluginRef`). */
  containerPlugin: artifactParts(ARTIFACT_PINS.containerPlugin),
} as const;


// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperatorObject = {
  apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: any;
};

/** The stack as Falco Operator resources, and what the operator cannot express. */
export interface OperatorDelivery {
  readonly objects: readonly OperatorObject[];
  readonly notExpressed: readonly NotExpressed[];
}

/**
 * Rulesfile priorities: the operator writes each file into /etc/falco/rules.d as `<priority>-<sub>-<name>-<medium>.yaml`
 * (internal/pkg/priority), and Falco loads the folder in name order: lists and macros no team uses (shared) come before
 * every team's rules.
 */
const DEFAULT_RULES_PRIORITY = 0;
const SHARED_RULES_PRIORITY = 40;
const TEAM_RULES_PRIORITY = 50;
/** The Falcosidekick Component is named so: the operator names its Service after it, where Falco posts. */
const SIDEKICK_COMPONENT_NAME = 'falcosidekick';

/**
 * The stack's node sensor and routing as resources of the Falco Operator 0.4.1: a `Falco` (DaemonSet with the
 * planned image, capabilities, mounts, tolerations and resources), a `Config` with the planned falco.yaml, a
 * `Plugin` for the container plugin, one `Rulesfile` per owning team (self-contained: with the lists and macros its rules use) and
 * a `Component` for Falcosidekick with its outputs as env and credentials as Secret references.
 */
export function operatorDelivery(plan: StackPlan): OperatorDelivery {
  const falco = plan.falco;
  const objects: OperatorObject[] = [];
  const notExpressed: NotExpressed[] = [];
  if (!falco) {
    return { objects, notExpressed: [{ what: 'the stack without Falco', chart: 'the Falco Operator deploys Falco only', instead: 'deploy the synthesized manifests' }] };
  }
  const meta = (name: string, labels: Record<string, string> = {}) => ({ name, namespace: falco.namespace, labels: { ...plan.labels, ...labels } });

  objects.push({
    apiVersion: FALCO_OPERATOR.instanceApiVersion,
    kind: 'Falco',
    metadata: meta(falco.name),
    spec: {
      type: 'DaemonSet',
      version: falco.image.tag,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      podTemplateSpec: falcoPodTemplate(falco),
    },
  });
  objects.push({
    apiVersion: FALCO_OPERATOR.artifactApiVersion,
    kind: 'Config',
    metadata: meta('detection-stack'),
    spec: { config: operatorFalcoConfig(plan, falco, notExpressed) },
  });
  const container = falco.plugins.find((p) => p.name === CONTAINER_PLUGIN.name);
  if (container) {
    objects.push({
      apiVersion: FALCO_OPERATOR.artifactApiVersion,
      kind: 'Plugin',
      metadata: meta('container'),
      spec: {
        ociArtifact: {
          image: { repository: FALCO_OPERATOR.containerPlugin.repository, tag: FALCO_OPERATOR.containerPlugin.tag },
          registry: { name: FALCO_OPERATOR.containerPlugin.registry },
        },
        config: {
          name: container.name,
          libraryPath: container.libraryPath,
          ...(container.initConfig !== undefined ? { initConfig: container.initConfig } : {}),
        },
      },
    });
  }
  if (falco.kubernetesMetadata) objects.push(k8smetaPlugin(falco.kubernetesMetadata, meta));
  objects.push(...rulesfiles(falco, meta));
  // The Component goes where the plan runs Falcosidekick, the routing namespace (Pod Security restricted): the
  // operator watches every namespace and creates a Component's Deployment and Service in the Component's own
  // (falcosecurity/falco-operator v0.4.1 controllers/instance/component/controller.go, internal/pkg/resources/generator.go).
  if (plan.routing) {
    const routingMeta = (name: string) => ({ ...meta(name), namespace: plan.routing!.sidekick.workload.namespace });
    objects.push(sidekickComponent(plan.routing.sidekick, routingMeta, notExpressed));
  }
  notExpressed.push(...operatorLimits(plan, falco));
  return { objects, notExpressed };
}

/** Where Falco posts when Falcosidekick is the operator's Component. */
export function operatorSidekickUrl(namespace: string): string {
  return `http://${SIDEKICK_COMPONENT_NAME}.${namespace}.svc.cluster.local:2801/`;
}

/**
 * Lists of the operator's own falco.yaml for a DaemonSet (falcosecurity/falco-operator v0.4.1,
 * internal/pkg/resources/falco.go `daemonsetFalcoConfig`). Falco merges a config.d file into it with its default
 * `append` strategy: a list in the Config is appended to the operator's, so the Config leaves out what is there.
 */
export const OPERATOR_BASE_LISTS: Readonly<Record<string, readonly unknown[]>> = {
  'config_files': ['/etc/falco/config.d'],
  'rules_files': ['/etc/falco/rules.d'],
  'append_output': [{ suggested_output: true }],
  'syscall_event_drops.actions': ['log', 'alert'],
  'base_syscalls.custom_set': [],
  'load_plugins': [],
  'plugins': [],
};

/**
 * The planned falco.yaml as an operator Config (a file in /etc/falco/config.d over the operator's own falco.yaml),
 * without what the operator's file already lists. Rules files are not set here: the operator's `rules.d` is loaded
 * first whatever the Config says, so the default rules come as the first Rulesfile instead. Plugins come from
 * Plugin resources (the operator writes their `plugins` and `load_plugins`); rules and config are written at run
 * time, so Falco watches them.
 */
function operatorFalcoConfig(plan: StackPlan, falco: FalcoPlan, notExpressed: NotExpressed[]): Record<string, unknown> {
  const { plugins: _plugins, load_plugins: _loadPlugins, rules_files: _rulesFiles, ...config } = structuredClone(falcoConfig(falco));
  for (const [path, base] of Object.entries(OPERATOR_BASE_LISTS)) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<Record<string, unknown> | undefined>((o, k) => o?.[k] as Record<string, unknown> | undefined, config);
    const key = keys[keys.length - 1];
    const own = parent?.[key];
    if (!parent || !Array.isArray(own)) continue;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const missing = base.filter((b) => !own.some((o) => same(o, b)));
    if (missing.length > 0) {
      notExpressed.push({
        what: `falco.yaml ${path} without ${missing.map((m) => JSON.stringify(m)).join(', ')}`,
        chart: 'Falco appends config.d lists to the operator\'s falco.yaml, which has them',
        instead: 'accept them, or deploy the synthesized manifests',
      });
    }
    const added = own.filter((o) => !base.some((b) => same(o, b)));
    if (added.length > 0) parent[key] = added; else delete parent[key];
  }
  return {
    ...config,
    watch_config_files: true,
    ...(plan.routing
      ? { http_output: { ...(config.http_output as Record<string, unknown>), url: operatorSidekickUrl(plan.routing.sidekick.workload.namespace) } }
      : {}),
  };
}

/**
 * The k8smeta plugin as a Plugin resource: the operator's artifact sidecar pulls it into /usr/share/falco/plugins and
 * writes its `plugins` entry and `load_plugins` (Plugin CRD `config`: name, libraryPath, initConfig), here with the
 * planned init_config, `caPEMBundle` included (TLS). The CA and the node name come through the Falco pod template.
 */
function k8smetaPlugin(k8smeta: KubernetesMetadataPlan, meta: (name: string) => OperatorObject['metadata']): OperatorObject {
  const ref = FALCO_OPERATOR.k8smetaPlugin;
  return {
    apiVersion: FALCO_OPERATOR.artifactApiVersion,
    kind: 'Plugin',
    metadata: meta(K8SMETA_PLUGIN.name),
    spec: {
      ociArtifact: { image: { repository: ref.repository, tag: ref.tag }, registry: { name: ref.registry } },
      config: { name: K8SMETA_PLUGIN.name, libraryPath: K8SMETA_PLUGIN.libraryFile, initConfig: k8smeta.plugin.initConfig },
    },
  };
}

function falcoPodTemplate(falco: FalcoPlan): Record<string, unknown> {
  const s = falco.security;
  // The operator's base pod mounts these host paths read-write; the overlay merges volumeMounts by mountPath.
  const readOnlyBaseMounts: [string, string][] = [
    ['proc-fs', '/host/proc'], ['lib-modules', '/host/lib/modules'], ['sys-fs', '/sys/module'], ['docker-socket', '/host/var/run/'],
    ['containerd-socket', '/host/run/containerd/'], ['crio-socket', '/host/run/crio/'], ['host-containerd-socket', '/host/run/host-containerd/'],
    ['k3s-containerd-socket', '/host/run/k3s/containerd/'],
  ];
  const sysKernel = falco.hostMounts.find((m) => m.volumeName === 'sys-kernel');
  const k8smeta = falco.kubernetesMetadata;
  const k8smetaCa = k8smeta && 'caConfigMap' in k8smeta.tls ? k8smeta.tls.caConfigMap : undefined;
  return {
    metadata: { labels: { ...falco.labels } },
    spec: {
      priorityClassName: falco.priorityClassName,
      nodeSelector: { ...falco.nodeSelector },
      tolerations: falco.tolerations.map((t) => ({ ...t })),
      securityContext: { seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: s.appArmor.profile } },
      containers: [{
        name: 'falco',
        image: falco.image.reference,
        resources: { requests: { ...falco.resources.requests }, limits: { ...falco.resources.limits } },
        securityContext: {
          // The operator's base container is privileged: said false explicitly, or the merge keeps it.
          privileged: s.privileged,
          ...(s.privileged ? {} : { capabilities: { drop: ['ALL'], add: [...s.capabilities] } }),
          allowPrivilegeEscalation: s.allowPrivilegeEscalation,
          readOnlyRootFilesystem: s.readOnlyRootFilesystem,
        },
        volumeMounts: [
          ...readOnlyBaseMounts.map(([name, mountPath]) => ({ name, mountPath, readOnly: true })),
          ...(sysKernel ? [{ name: sysKernel.volumeName, mountPath: sysKernel.mountPath, readOnly: true }] : []),
          { name: 'tmp', mountPath: '/tmp' },
          ...(k8smetaCa ? [{ name: 'k8smeta-ca', mountPath: K8SMETA_CA_DIR, readOnly: true }] : []),
        ],
        // The k8smeta plugin expands ${FALCO_K8S_NODE_NAME} in its nodeName.
        ...(k8smeta ? { env: [{ name: K8SMETA_NODE_ENV, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] } : {}),
      }],
      volumes: [
        ...(sysKernel ? [{ name: sysKernel.volumeName, hostPath: { path: sysKernel.hostPath, type: 'Directory' } }] : []),
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        ...(k8smetaCa ? [{ name: 'k8smeta-ca', configMap: { name: k8smetaCa } }] : []),
      ],
    },
  };
}

/** One Rulesfile per team that owns syscall rules, and one for the lists and macros they share (loaded first). */
function rulesfiles(falco: FalcoPlan, meta: (name: string, labels?: Record<string, string>) => OperatorObject['metadata']): OperatorObject[] {
  // The same split as the rules ConfigMaps of the manifests path.
  const files = teamRulesFiles(falco);
  const rulesfile = (name: string, priority: number, items: readonly RulesFileItem[], labels: Record<string, string> = {}): OperatorObject => ({
    apiVersion: FALCO_OPERATOR.artifactApiVersion,
    kind: 'Rulesfile',
    metadata: meta(name, labels),
    spec: { priority, inlineRules: parse(renderRulesYaml(items)) },
  });
  const defaults = FALCO_OPERATOR.defaultRules;
  return [
    ...(falco.defaultRulesLoaded ? [{
      apiVersion: FALCO_OPERATOR.artifactApiVersion,
      kind: 'Rulesfile',
      metadata: meta('falco-default-rules'),
      spec: {
        priority: DEFAULT_RULES_PRIORITY,
        ociArtifact: { image: { repository: defaults.repository, tag: defaults.tag }, registry: { name: defaults.registry } },
      },
    }] : []),
    ...files.map((f) => (f.team === undefined
      ? rulesfile('detection-stack-shared', SHARED_RULES_PRIORITY, f.items)
      : rulesfile(`rules-${f.team}`, TEAM_RULES_PRIORITY, f.items, { [OWNER_LABEL]: f.team }))),
  ];
}

function sidekickComponent(sidekick: SidekickPlan, meta: (name: string) => OperatorObject['metadata'], notExpressed: NotExpressed[]): OperatorObject {
  const workload = sidekick.workload;
  const container = mainContainer(workload);
  const annotations = Object.keys(workload.serviceAccount.annotations ?? {});
  if (annotations.length > 0) {
    notExpressed.push({
      what: `Falcosidekick ServiceAccount annotations (${annotations.join(', ')})`,
      chart: 'the Component has no ServiceAccount settings',
      instead: 'annotate the ServiceAccount the operator creates for the Component, or use EKS Pod Identity',
    });
  }
  const env = sidekickEnvSettings(sidekick.config);
  return {
    apiVersion: FALCO_OPERATOR.instanceApiVersion,
    kind: 'Component',
    metadata: meta(SIDEKICK_COMPONENT_NAME),
    spec: {
      component: { type: 'falcosidekick', version: container.image.split(':').pop()!.split('@')[0] },
      replicas: workload.replicas,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      podTemplateSpec: {
        metadata: { labels: { ...workload.labels } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1234, runAsGroup: 1234, fsGroup: 1234, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'falcosidekick',
            image: container.image,
            env: [
              ...Object.entries(env).map(([name, value]) => ({ name, value })),
              ...sidekick.secretEnv.map((e) => ({
                name: e.env, valueFrom: { secretKeyRef: { name: e.secret.name, key: e.secret.key, optional: false } },
              })),
            ],
            resources: { requests: { ...container.resources.requests }, limits: { ...container.resources.limits } },
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1234,
              runAsGroup: 1234,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              privileged: false,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
        },
      },
    },
  };
}

function operatorLimits(plan: StackPlan, falco: FalcoPlan): NotExpressed[] {
  const limits: NotExpressed[] = [
    {
      what: 'Falco without Kubernetes API access (no ServiceAccount token, no Role)',
      chart: 'the operator adds its artifact sidecar to every Falco pod: it reads Configs, Rulesfiles, Plugins, ConfigMaps and Secrets of the namespace, and nodes',
      instead: 'nothing: it is how the operator delivers rules; keep other Secrets out of this namespace',
    },
    {
      what: 'only the host paths Falco reads (/proc, /etc, /sys/kernel, the runtime socket), all read-only',
      chart: 'the operator\'s base pod also mounts /boot, /usr, /dev, /lib/modules, /sys/module and the runtime socket folders; they are mounted read-only here, but the volumes stay',
      instead: 'accept it, or deploy the synthesized manifests',
    },
    {
      what: 'the container plugin from the Falco image',
      chart: 'the operator mounts an empty /usr/share/falco/plugins, so the plugin is pulled from ghcr.io by the Plugin resource',
      instead: `allow egress to ghcr.io, or mirror ${FALCO_OPERATOR.containerPlugin.repository}:${FALCO_OPERATOR.containerPlugin.tag} and change the Plugin's registry`,
    },
    ...(falco.defaultRulesLoaded ? [{
      what: 'Falco\'s default rules from the image (/etc/falco/falco_rules.yaml)',
      chart: 'the operator loads rules.d before any rules file a Config names, so the default rules come as the first Rulesfile, pulled from ghcr.io',
      instead: `allow egress to ghcr.io or mirror ${FALCO_OPERATOR.defaultRules.repository}; pin its tag (${FALCO_OPERATOR.defaultRules.tag} follows the chart's major) to the version you tested`,
    }] : []),
    {
      what: 'watch_config_files: false (changes roll the pods through a checksum)',
      chart: 'the operator writes rules and config into folders at run time',
      instead: 'nothing: watch_config_files is true, so Falco reloads when a Rulesfile or Config changes',
    },
  ];
  if (falco.auditRules.items.length > 0 || plan.k8sauditFalco) {
    limits.push({ what: 'the k8saudit Falco and its k8s_audit rules', chart: 'written for the node sensor only', instead: 'deploy the k8saudit objects from the synthesized manifests' });
  }
  if (falco.kubernetesMetadata) {
    const c = falco.kubernetesMetadata.collector;
    limits.push({
      what: `the k8s-metacollector (Deployment, Service, ServiceAccount, the list/watch-only ClusterRole and its binding, NetworkPolicy${'serverSecret' in falco.kubernetesMetadata.tls ? ', TLS on the broker' : ''})`,
      chart: 'the operator\'s metacollector Component brings its own RBAC and renders no NetworkPolicy; the Falco pods get the k8smeta Plugin',
      instead: `apply the objects named ${c.name} from the synthesized manifests in ${c.namespace} (the fleet writes them beside operator/)`,
    });
  }
  if (plan.tetragon) limits.push({ what: 'Tetragon', chart: 'the Falco Operator deploys Falco only', instead: 'use the tetragon chart values or the synthesized manifests' });
  if (plan.routing) {
    limits.push({
      what: 'Falcosidekick NetworkPolicy and PodDisruptionBudget',
      chart: 'the Component renders neither',
      instead: 'apply them from the synthesized manifests',
    });
  }
  if (plan.routing?.alertmanager) limits.push({ what: 'the bundled Alertmanager', chart: 'not an operator component', instead: 'apply it from the synthesized manifests' });
  if (plan.durable?.shipper) limits.push({ what: 'the durable shipper', chart: 'not an operator component', instead: 'apply it from the synthesized manifests' });
  for (const ns of plan.namespaceObjects) {
    limits.push({ what: `Namespace ${ns.name} with Pod Security labels`, chart: 'the operator creates no Namespace', instead: 'create it first, labelled as in the synthesized manifests' });
  }
  return limits;
}
