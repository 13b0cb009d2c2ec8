// The single-replica Falco that runs the k8saudit plugin of EKS or AKS.
import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { DNS_EGRESS, egressRules } from './routing-workload';
import { FALCOCTL_CONFIG_DIR, FALCOCTL_STATE_DIR, K8SAUDIT_FALCO_NAME, K8SAUDIT_FALCO_SELECTOR, K8sAuditPluginPlan } from '../audit/k8saudit-plugin';
import { IMAGE_PINS, imageReference } from '../core/images';
import { renderRulesYaml } from '../falco/rules/emit';
import { FALCO_HEALTH_PATH, FALCO_METRICS, FALCO_WEBSERVER_PORT } from '../falco/sensor/defaults';
import { alertDelivery, FALCO_LOGGING } from '../falco/sensor/render';
import type { K8sAuditFalcoPlan } from '../stack/plan';

export interface K8sAuditFalcoProps {
  /** The audit Falco as the stack plan assembled it. */
  readonly plan: K8sAuditFalcoPlan;
}

const CONFIG_DIR = '/etc/falco-k8saudit';
const CUSTOM_RULES_DIR = '/etc/falco-k8saudit-rules';

/** falco.yaml of the audit Falco: no driver, the provider's k8saudit plugin and json, the ruleset falcoctl installs. */
export function k8sauditFalcoConfig(plugin: K8sAuditPluginPlan, clusterName: string, httpOutputUrl?: string,
  customRulesFile?: string): Record<string, unknown> {
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
    webserver: { enabled: true, listen_port: FALCO_WEBSERVER_PORT, k8s_healthz_endpoint: FALCO_HEALTH_PATH, prometheus_metrics_enabled: true },
    // A plugin source has no kernel counters; Falco still serves its rule counters and output-queue drops.
    metrics: { ...FALCO_METRICS, kernel_event_counters_enabled: false, kernel_iter_event_counters_enabled: false },
    ...FALCO_LOGGING,
  };
}

/**
 * A one-replica Falco Deployment for the k8saudit plugin: the plugin polls a cloud source, so a second
 * instance would duplicate every alert (upstream README); `Recreate` keeps two from overlapping in a
 * rollout. falcoctl installs the plugin and the upstream k8saudit ruleset; no rule is copied here.
 */
export class K8sAuditFalco extends Construct {
  public readonly deployment: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: K8sAuditFalcoProps) {
    super(scope, id);
    const p = props.plan;
    const { plugin, namespace } = p;
    const customRules = p.customRules && { fileName: p.customRules.fileName, yaml: renderRulesYaml(p.customRules.items) };
    const selector = { ...K8SAUDIT_FALCO_SELECTOR };
    const labels = { ...p.labels, ...selector, 'app.kubernetes.io/component': 'audit-sensor' };
    const metadata = (name: string) => ({ name, namespace, labels });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: metadata(plugin.serviceAccountName), automountServiceAccountToken: false });
    const falcoYaml = stringify(k8sauditFalcoConfig(plugin, p.clusterName, p.httpOutputUrl, customRules?.fileName), { lineWidth: 0 });
    const config = new k8s.KubeConfigMap(this, 'Config', {
      metadata: metadata(`${K8SAUDIT_FALCO_NAME}-config`),
      data: { 'falco.yaml': falcoYaml },
    });
    const rules = customRules && new k8s.KubeConfigMap(this, 'Rules', {
      metadata: metadata(`${K8SAUDIT_FALCO_NAME}-rules`),
      data: { [customRules.fileName]: customRules.yaml },
    });
    // A change of configuration or rules changes the pod template, so the Deployment rolls.
    const checksum = createHash('sha256').update(falcoYaml).update('\0').update(customRules?.yaml ?? '').digest('hex');
    const health = { path: FALCO_HEALTH_PATH, port: k8s.IntOrString.fromNumber(FALCO_WEBSERVER_PORT) };
    const restricted = {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    };
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: metadata(K8SAUDIT_FALCO_NAME),
      spec: {
        replicas: plugin.replicas,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: { 'checksum/config': checksum } },
          spec: {
            serviceAccountName: plugin.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            initContainers: [{
              name: 'falcoctl-artifact-install',
              image: imageReference(IMAGE_PINS.falcoctl),
              args: ['artifact', 'install', ...plugin.artifacts, '--plugins-dir=/plugins', '--rulesfiles-dir=/rulesfiles',
                `--config=${FALCOCTL_CONFIG_DIR}/falcoctl.yaml`, `--state-dir=${FALCOCTL_STATE_DIR}`,
                '--allowed-types=plugin,rulesfile', '--resolve-deps=false', '--log-format=json'],
              env: [{ name: 'HOME', value: '/tmp' }],
              securityContext: restricted,
              resources: quantities({ cpu: '10m', memory: '32Mi' }, { cpu: '200m', memory: '128Mi' }),
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
              env: plugin.secretEnv.map((e) => ({ name: e.env, valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } } })),
              ports: [{ name: 'web', containerPort: FALCO_WEBSERVER_PORT }],
              livenessProbe: { httpGet: health, initialDelaySeconds: 30, periodSeconds: 15 },
              readinessProbe: { httpGet: health, periodSeconds: 15 },
              securityContext: restricted,
              resources: quantities({ cpu: '100m', memory: '256Mi' }, { cpu: '500m', memory: '512Mi' }),
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'plugins', mountPath: '/usr/share/falco/plugins', readOnly: true },
                { name: 'rulesfiles', mountPath: '/etc/falco', readOnly: true },
                ...(rules ? [{ name: 'custom-rules', mountPath: CUSTOM_RULES_DIR, readOnly: true }] : []),
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: config.name } },
              ...(rules ? [{ name: 'custom-rules', configMap: { name: rules.name } }] : []),
              { name: 'plugins', emptyDir: {} },
              { name: 'rulesfiles', emptyDir: {} },
              { name: 'falcoctl-config', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
              { name: 'falcoctl-state', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });
    // Nothing calls in; out: DNS, HTTPS (cloud API, ghcr.io for falcoctl), the plugin's credential endpoint and
    // Falcosidekick in the namespace.
    const sidekickPort = p.httpOutputUrl ? Number(new URL(p.httpOutputUrl).port || 80) : undefined;
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(K8SAUDIT_FALCO_NAME),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [
          DNS_EGRESS,
          { ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }] },
          ...egressRules(plugin.egress),
          ...(sidekickPort ? [{ to: [{ podSelector: {} }], ports: [{ port: k8s.IntOrString.fromNumber(sidekickPort), protocol: 'TCP' }] }] : []),
        ],
      },
    });
  }
}

type CpuMemory = { readonly cpu: string; readonly memory: string };
function quantities(requests: CpuMemory, limits: CpuMemory): k8s.ResourceRequirements {
  const q = (r: CpuMemory) => ({ cpu: k8s.Quantity.fromString(r.cpu), memory: k8s.Quantity.fromString(r.memory) });
  return { requests: q(requests), limits: q(limits) };
}
