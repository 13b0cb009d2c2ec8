import { createHash } from 'crypto';
import { Document } from 'yaml';
import { FALCO_METRICS } from './defaults';
import type { FalcoPlan, FalcoPluginPlan } from './plan';
import { teamRulesFiles } from './rules-files';
import { K8S_AUDIT_INVESTIGATION_FIELDS, SYSCALL_INVESTIGATION_FIELDS } from '../../packs/fields';
import { renderRulesYaml } from '../rules/emit';

/** The files the sensor mounts, rendered from the plan, and the checksum that rolls the DaemonSet. */
export interface FalcoFiles {
  /** `/etc/falco/falco.yaml`. */
  readonly falcoYaml: string;
  /** Every custom rule in one file, in load order (what the Helm values carry: the chart mounts one ConfigMap). */
  readonly customRulesYaml: string;
  /** The files of `/etc/falco/rules.d` on the manifests path: the shared lists and macros, then one per owning team. */
  readonly rulesFiles: readonly { readonly fileName: string; readonly team?: string; readonly content: string }[];
  /** sha256 (hex) of falco.yaml and the rules files: a change of any changes the pod template and rolls the pods. */
  readonly checksum: string;
}

export function renderFalcoFiles(plan: FalcoPlan): FalcoFiles {
  const falcoYaml = renderFalcoYaml(plan);
  const customRulesYaml = renderCustomRulesYaml(plan);
  const rulesFiles = teamRulesFiles(plan).map((f) => ({ fileName: f.fileName, team: f.team, content: renderRulesYaml(f.items) }));
  const hash = createHash('sha256').update(falcoYaml);
  for (const f of rulesFiles) hash.update('\0').update(f.fileName).update('\0').update(f.content);
  return { falcoYaml, customRulesYaml, rulesFiles, checksum: hash.digest('hex') };
}

/** The custom rules file; an empty list when there are no custom rules (Falco loads it as an empty file). */
export function renderCustomRulesYaml(plan: FalcoPlan): string {
  return plan.rules.items.length === 0 ? '[]\n' : renderRulesYaml(plan.rules.items);
}

/**
 * falco.yaml as a plain object with Falco's own keys. It is the whole configuration: no `config_files`,
 * so nothing in the image's /etc/falco/config.d changes it behind the reviewer's back.
 */
export function falcoConfig(plan: FalcoPlan): Record<string, unknown> {
  return {
    engine: {
      kind: plan.engine.kind,
      modern_ebpf: {
        cpus_for_each_buffer: plan.engine.cpusForEachBuffer,
        buf_size_preset: plan.engine.bufSizePreset,
        drop_failed_exit: false,
      },
    },
    rules_files: [...plan.rulesFiles],
    // The ConfigMaps are mounted with subPath, which the kubelet never updates: a change reaches Falco only
    // through the checksum annotation, which rolls the DaemonSet one node at a time.
    watch_config_files: false,
    load_plugins: plan.plugins.map((p) => p.name),
    plugins: plan.plugins.map(pluginConfig),
    plugins_hostinfo: true,
    // Falco's canonical names, lower case: emergency ... informational, debug.
    priority: plan.minimumPriority.toLowerCase(),
    rule_matching: plan.ruleMatching,
    ...alertDelivery('syscall', plan.clusterName, plan.httpOutput?.url),
    webserver: {
      enabled: true,
      threadiness: 0,
      listen_port: plan.webserver.port,
      listen_address: plan.webserver.listenAddress,
      k8s_healthz_endpoint: plan.webserver.healthPath,
      prometheus_metrics_enabled: true,
      ssl_enabled: false,
    },
    metrics: { ...FALCO_METRICS },
    ...FALCO_LOGGING,
    output_timeout: 2000,
    syscall_event_timeouts: { max_consecutives: 1000 },
    syscall_event_drops: { threshold: 0.1, actions: ['log', 'alert'], rate: 0.03333, max_burst: 1 },
  };
}

/**
 * How alerts leave a Falco of this stack (node sensor and k8saudit Falco alike): JSON lines on stdout, which the
 * durable shipper tails, and Falcosidekick through http_output, each alert carrying the cluster name and the
 * investigation fields of its source.
 */
export function alertDelivery(source: 'syscall' | 'k8s_audit', clusterName: string, httpOutputUrl: string | undefined): Record<string, unknown> {
  return {
    time_format_iso_8601: true,
    json_output: true,
    json_include_output_property: true,
    json_include_output_fields_property: true,
    json_include_tags_property: true,
    append_output: investigationAppendOutput(source, clusterName),
    json_include_message_property: false,
    buffered_outputs: false,
    outputs_queue: { capacity: 0 },
    stdout_output: { enabled: true },
    // No syslog daemon is reachable from the container; alerts leave through stdout and http_output.
    syslog_output: { enabled: false },
    file_output: { enabled: false },
    // program_output is left out: Falco's schema requires its `program` even when disabled, and it is off by default.
    http_output: httpOutputUrl
      ? { enabled: true, url: httpOutputUrl, user_agent: 'falcosecurity/falco', insecure: false, keep_alive: false }
      : { enabled: false },
  };
}

/** Falco's own log on stderr (the container log), never syslog: without these keys Falco logs nowhere a pod shows. */
export const FALCO_LOGGING = {
  log_stderr: true,
  log_syslog: false,
  log_level: 'info',
  libs_logger: { enabled: true, severity: 'info' },
} as const;

/**
 * `append_output` for every rule of a source, ours or not (Falco's default rules, packs, custom rules): the
 * cluster name and the investigation fields become JSON `output_fields`, without changing any rule's output
 * text. Falco's own default is kept first: the container plugin's suggested fields (container, k8s.ns.name,
 * k8s.pod.name) are appended too, so Falcosidekick can label every alert by namespace for team routing.
 * The cluster name is a literal (validated: letters, digits, '-' and '_'), never a format.
 */
export function investigationAppendOutput(source: 'syscall' | 'k8s_audit', clusterName: string): Record<string, unknown>[] {
  const fields = source === 'syscall' ? SYSCALL_INVESTIGATION_FIELDS : K8S_AUDIT_INVESTIGATION_FIELDS;
  return [
    { suggested_output: true },
    {
      match: { source },
      extra_fields: [{ [CLUSTER_OUTPUT_FIELD]: clusterName }, ...new Set(fields.filter(([, f]) => !f.includes('[')).map(([, f]) => f))],
    },
  ];
}

/** The `output_fields` key that carries the cluster name in every alert. */
export const CLUSTER_OUTPUT_FIELD = 'cluster';

export function renderFalcoYaml(plan: FalcoPlan): string {
  return new Document(falcoConfig(plan)).toString({ lineWidth: 0 });
}

function pluginConfig(plugin: FalcoPluginPlan): Record<string, unknown> {
  return {
    name: plugin.name,
    library_path: plugin.libraryPath,
    ...(plugin.initConfig !== undefined ? { init_config: plugin.initConfig } : {}),
    ...(plugin.openParams !== undefined ? { open_params: plugin.openParams } : {}),
  };
}
