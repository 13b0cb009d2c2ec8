/**
 * Capabilities of the least-privileged modern_ebpf mode (Falco docs, "Least Privileged";
 * falcosecurity/charts `driver.modernEbpf.leastPrivileged`): BPF and PERFMON to load and attach
 * the probe, SYS_RESOURCE to lock its ring buffers in memory, SYS_PTRACE to read /proc of other processes.
 */
export const LEAST_PRIVILEGED_CAPABILITIES = ['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE'] as const;

/** Falco's webserver (health endpoint) port and path, as in Falco's own falco.yaml. */
export const FALCO_WEBSERVER_PORT = 8765;
export const FALCO_HEALTH_PATH = '/healthz';

/**
 * Falco's `metrics` (falco.yaml), served in Prometheus format on the webserver's `/metrics`
 * (`webserver.prometheus_metrics_enabled`, effective only with `metrics.enabled`). Prometheus scrapes on demand,
 * so no snapshot is written as an alert (`output_rule`) or to a file. libbpf stats stay off: they need
 * `kernel.bpf_stats_enabled` and cost every BPF program run.
 */
export const FALCO_METRICS = {
  enabled: true,
  interval: '1m',
  output_rule: false,
  rules_counters_enabled: true,
  resource_utilization_enabled: true,
  state_counters_enabled: true,
  kernel_event_counters_enabled: true,
  kernel_event_counters_per_cpu_enabled: false,
  libbpf_stats_enabled: false,
  plugins_metrics_enabled: true,
  jemalloc_stats_enabled: false,
  convert_memory_to_mb: true,
  include_empty_values: false,
} as const;

/** Where the rendered configuration and custom rules are mounted in the container. */
export const FALCO_CONFIG_PATH = '/etc/falco/falco.yaml';
export const FALCO_RULES_DIR = '/etc/falco/rules.d';
export const FALCO_DEFAULT_RULES_FILE = '/etc/falco/falco_rules.yaml';
export const CUSTOM_RULES_FILE_NAME = 'detection-stack-custom-rules.yaml';
/** Custom k8s_audit rules, loaded by the k8saudit plugin's Falco after the upstream audit rules. */
export const K8S_AUDIT_RULES_FILE_NAME = 'detection-stack-k8s-audit-rules.yaml';

/** Falco reads host files under this prefix (HOST_ROOT); the container plugin prefixes socket paths with it. */
export const HOST_ROOT = '/host';

export const DEFAULT_RESOURCES = {
  requests: { cpu: '100m', memory: '512Mi' },
  limits: { cpu: '1000m', memory: '1024Mi' },
} as const;

export const DEFAULT_PRIORITY_CLASS = 'system-node-critical';

/** The container plugin bundled in the Falco image (Falco 0.44.1 ships container plugin 0.7.1). */
export const CONTAINER_PLUGIN = { name: 'container', libraryPath: 'libcontainer.so' } as const;
