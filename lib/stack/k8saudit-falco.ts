// The single-replica Falco that runs the k8saudit plugin of EKS or AKS: inputs from the audit, Falco and routing layers.
import { createHash } from 'crypto';
import { stringify } from 'yaml';
import { FALCOCTL_CONFIG_DIR, FALCOCTL_RESOURCES, FALCOCTL_STATE_DIR, K8SAUDIT_FALCO_NAME, K8SAUDIT_FALCO_SELECTOR, K8sAuditPluginPlan } from '../audit/k8saudit-plugin';
import { IMAGE_PINS, imageReference } from '../core/images';
import { anyAddress, IpFamily } from '../core/ip-family';
import {
  CONFIG_CHECKSUM_ANNOTATION, ContainerSecurityPlan, DNS_EGRESS_RULE, egressRules, PodPeerPlan, ResourcesPlan, WorkloadPlan,
} from '../core/workload';
import { renderRulesYaml } from '../falco/rules/emit';
import type { RulesFileItem } from '../falco/rules/model';
import { FALCO_HEALTH_PATH, FALCO_METRICS, FALCO_WEBSERVER_PORT } from '../falco/sensor/defaults';
import { alertDelivery, FALCO_LOGGING } from '../falco/sensor/render';

/** The k8saudit Falco's inputs from the audit, Falco and routing layers, and the workload they make. */
export interface K8sAuditFalcoPlan {
  readonly plugin: K8sAuditPluginPlan;
  readonly namespace: string;
  /** The cluster's name, added to every alert (`output_fields.cluster`). */
  readonly clusterName: string;
  /** The family of the pod's address: the webserver binds `0.0.0.0` or `::`. @default 'IPv4' */
  readonly ipFamily?: IpFamily;
  readonly labels: Readonly<Record<string, string>>;
  /** The node sensor's Falco image (the same release), or the pinned Falco. */
  readonly image: string;
  /** Falcosidekick URL for alerts (the node sensor's http_output). @default stdout only */
  readonly httpOutputUrl?: string;
  /** Falcosidekick's pods (in the routing namespace), the only pods the audit Falco may connect to. */
  readonly sidekickPods?: PodPeerPlan;
  /** The stack's own k8s_audit rules, loaded after the upstream audit rules. @default none */
  readonly customRules?: { readonly fileName: string; readonly items: readonly RulesFileItem[] };
  /** falco.yaml as mounted. */
  readonly falcoYaml: string;
  readonly workload: WorkloadPlan;
}

const CONFIG_DIR = '/etc/falco-k8saudit';
const CUSTOM_RULES_DIR = '/etc/falco-k8saudit-rules';

/** Requests and limits of the audit Falco. */
export const K8SAUDIT_FALCO_RESOURCES: ResourcesPlan = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };

/** falco.yaml of the audit Falco: no driver, the provider's k8saudit plugin and json, the ruleset falcoctl installs. */
export function k8sauditFalcoConfig(plugin: K8sAuditPluginPlan, clusterName: string, httpOutputUrl?: string,
  customRulesFile?: string, ipFamily?: IpFamily): Record<string, unknown> {
  return {
    engine: { kind: 'nodriver' },
    rules_files: [plugin.rulesFile, ...(customRulesFile ? [`${CUSTOM_RULES_DIR}/${customRulesFile}`] : [])],
    // Config changes roll the Deployment through the checksum annotation (the ConfigMap mounts are not watched).
    watch_config_files: false,
    load_plugins: [plugin.name, plugin.jsonPlugin.name],
    plugins: [
      {
        name: plugin.name,
        library_path: plugin.libraryPath,
        init_config: plugin.initConfig,
        ...(plugin.openParams !== undefined ? { open_params: plugin.openParams } : {}),
      },
      { name: plugin.jsonPlugin.name, library_path: plugin.jsonPlugin.libraryPath, init_config: '' },
    ],
    ...alertDelivery('k8s_audit', clusterName, httpOutputUrl),
    webserver: {
      enabled: true,
      listen_address: anyAddress(ipFamily),
      listen_port: FALCO_WEBSERVER_PORT,
      k8s_healthz_endpoint: FALCO_HEALTH_PATH,
      prometheus_metrics_enabled: true,
    },
    // A plugin source has no kernel counters; Falco still serves its rule counters and output-queue drops.
    metrics: { ...FALCO_METRICS, kernel_event_counters_enabled: false, kernel_iter_event_counters_enabled: false },
    ...FALCO_LOGGING,
  };
}

/** Plans the audit Falco from what the audit, Falco and routing layers decided. */
export function planK8sAuditFalco(inputs: Omit<K8sAuditFalcoPlan, 'falcoYaml' | 'workload'>): K8sAuditFalcoPlan {
  const customRules = inputs.customRules && { fileName: inputs.customRules.fileName, yaml: renderRulesYaml(inputs.customRules.items) };
  const config = k8sauditFalcoConfig(inputs.plugin, inputs.clusterName, inputs.httpOutputUrl, customRules?.fileName, inputs.ipFamily);
  const falcoYaml = stringify(config, { lineWidth: 0 });
  return { ...inputs, falcoYaml, workload: k8sauditFalcoWorkload(inputs, falcoYaml, customRules) };
}

/**
 * A one-replica Falco Deployment for the k8saudit plugin: the plugin polls a cloud source, so a second
 * instance would duplicate every alert (upstream README); `Recreate` keeps two from overlapping in a
 * rollout. falcoctl installs the plugin and the upstream k8saudit ruleset; no rule is copied here.
 */
function k8sauditFalcoWorkload(p: Omit<K8sAuditFalcoPlan, 'falcoYaml' | 'workload'>, falcoYaml: string,
  customRules: { readonly fileName: string; readonly yaml: string } | undefined): WorkloadPlan {
  const { plugin } = p;
  const configName = `${K8SAUDIT_FALCO_NAME}-config`;
  const rulesName = `${K8SAUDIT_FALCO_NAME}-rules`;
  // A change of configuration or rules changes the pod template, so the Deployment rolls.
  const checksum = createHash('sha256').update(falcoYaml).update('\0').update(customRules?.yaml ?? '').digest('hex');
  const health = { path: FALCO_HEALTH_PATH, port: FALCO_WEBSERVER_PORT };
  const restricted: ContainerSecurityPlan = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
  const sidekickPort = p.httpOutputUrl ? Number(new URL(p.httpOutputUrl).port || 80) : undefined;
  return {
    kind: 'Deployment',
    name: K8SAUDIT_FALCO_NAME,
    namespace: p.namespace,
    labels: { ...p.labels, ...K8SAUDIT_FALCO_SELECTOR, 'app.kubernetes.io/component': 'audit-sensor' },
    selectorLabels: K8SAUDIT_FALCO_SELECTOR,
    replicas: plugin.replicas,
    rollout: { type: 'Recreate' },
    serviceAccount: { name: plugin.serviceAccountName, automountToken: false },
    configs: [
      { kind: 'ConfigMap', name: configName, data: { 'falco.yaml': falcoYaml } },
      ...(customRules ? [{ kind: 'ConfigMap' as const, name: rulesName, data: { [customRules.fileName]: customRules.yaml } }] : []),
    ],
    pod: {
      annotations: { [CONFIG_CHECKSUM_ANNOTATION]: checksum },
      securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{
        name: 'falcoctl-artifact-install',
        image: imageReference(IMAGE_PINS.falcoctl),
        args: ['artifact', 'install', ...plugin.artifacts, '--plugins-dir=/plugins', '--rulesfiles-dir=/rulesfiles',
          `--config=${FALCOCTL_CONFIG_DIR}/falcoctl.yaml`, `--state-dir=${FALCOCTL_STATE_DIR}`,
          '--allowed-types=plugin,rulesfile', '--resolve-deps=false', '--log-format=json'],
        env: [{ name: 'HOME', value: '/tmp' }],
        securityContext: restricted,
        resources: FALCOCTL_RESOURCES,
        volumeMounts: [
          { name: 'plugins', mountPath: '/plugins' },
          { name: 'rulesfiles', mountPath: '/rulesfiles' },
          { name: 'falcoctl-config', mountPath: FALCOCTL_CONFIG_DIR },
          { name: 'falcoctl-state', mountPath: FALCOCTL_STATE_DIR },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      containers: [{
        name: 'falco',
        image: p.image,
        command: ['/usr/bin/falco'],
        args: ['-c', `${CONFIG_DIR}/falco.yaml`],
        env: plugin.secretEnv.map((e) => ({ name: e.env, secret: { name: e.secretName, key: e.key } })),
        ports: [{ name: 'web', containerPort: FALCO_WEBSERVER_PORT }],
        livenessProbe: { httpGet: health, initialDelaySeconds: 30, periodSeconds: 15 },
        readinessProbe: { httpGet: health, periodSeconds: 15 },
        securityContext: restricted,
        resources: K8SAUDIT_FALCO_RESOURCES,
        volumeMounts: [
          { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'plugins', mountPath: '/usr/share/falco/plugins', readOnly: true },
          { name: 'rulesfiles', mountPath: '/etc/falco', readOnly: true },
          ...(customRules ? [{ name: 'custom-rules', mountPath: CUSTOM_RULES_DIR, readOnly: true }] : []),
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: configName } },
        ...(customRules ? [{ name: 'custom-rules', configMap: { name: rulesName } }] : []),
        { name: 'plugins', emptyDir: {} },
        { name: 'rulesfiles', emptyDir: {} },
        { name: 'falcoctl-config', emptyDir: { sizeLimit: '1Mi' } },
        { name: 'falcoctl-state', emptyDir: { sizeLimit: '16Mi' } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
    services: [],
    // Nothing calls in; out: DNS, HTTPS (cloud API, ghcr.io for falcoctl), the plugin's credential endpoint and
    // Falcosidekick's pods.
    networkPolicy: {
      ingress: [],
      egress: [
        DNS_EGRESS_RULE,
        { ports: [{ port: 443, protocol: 'TCP' }] },
        ...egressRules(plugin.egress),
        ...(sidekickPort && p.sidekickPods ? [{ peers: [p.sidekickPods], ports: [{ port: sidekickPort, protocol: 'TCP' as const }] }] : []),
      ],
    },
  };
}
