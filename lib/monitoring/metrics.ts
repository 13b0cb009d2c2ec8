/**
 * Every metric the stack's alerts and dashboards read, as the pinned programs export it. The alert rules and
 * dashboard queries are built from these names only; test/monitoring/metrics.test.ts cites the upstream source
 * file (repository, path, tag) of each one and fails on a name used anywhere that is not listed here.
 */

/** The program that exports a metric. */
export type MetricProgram =
  | 'falco' | 'falcosidekick' | 'fluent-bit' | 'tetragon' | 'alertmanager' | 'kube-state-metrics' | 'prometheus';

export interface ExportedMetric {
  readonly name: string;
  readonly program: MetricProgram;
  readonly type: 'counter' | 'gauge';
  /** Labels the program sets (Prometheus adds its target labels: job, namespace, pod, node, ...). */
  readonly labels: readonly string[];
}

function metric(program: MetricProgram, name: string, type: ExportedMetric['type'], labels: readonly string[] = []): ExportedMetric {
  return { name, program, type, labels };
}

export const METRICS = {
  // Falco 0.44.1 (userspace/falco/falco_metrics.cpp) with libs 0.25.4 (libscap kernel counters, modern_ebpf)
  falcoRuleMatches: metric('falco', 'falcosecurity_falco_rules_matches_total', 'counter', ['rule_name', 'priority', 'source']),
  falcoOutputsQueueDrops: metric('falco', 'falcosecurity_falco_outputs_queue_num_drops_total', 'counter'),
  falcoKernelEvents: metric('falco', 'falcosecurity_scap_n_evts_total', 'counter'),
  falcoKernelDrops: metric('falco', 'falcosecurity_scap_n_drops_total', 'counter'),
  falcoKernelBufferDrops: metric('falco', 'falcosecurity_scap_n_drops_buffer_total', 'counter', ['dir', 'drop']),
  // Falcosidekick 2.34.1 (stats_prometheus.go)
  sidekickInputs: metric('falcosidekick', 'falcosecurity_falcosidekick_inputs_total', 'counter', ['source', 'status']),
  sidekickOutputs: metric('falcosidekick', 'falcosecurity_falcosidekick_outputs_total', 'counter', ['destination', 'status']),
  sidekickFalcoEvents: metric('falcosidekick', 'falcosecurity_falcosidekick_falco_events_total', 'counter',
    ['hostname', 'rule', 'priority', 'priority_raw', 'source', 'k8s_ns_name', 'k8s_pod_name']),
  // Fluent Bit 5.1.1 (src/flb_output.c, src/flb_input.c)
  shipperOutputRetries: metric('fluent-bit', 'fluentbit_output_retries_total', 'counter', ['name']),
  shipperOutputRetriesFailed: metric('fluent-bit', 'fluentbit_output_retries_failed_total', 'counter', ['name']),
  shipperOutputDroppedRecords: metric('fluent-bit', 'fluentbit_output_dropped_records_total', 'counter', ['name']),
  shipperOutputErrors: metric('fluent-bit', 'fluentbit_output_errors_total', 'counter', ['name']),
  shipperOutputRecords: metric('fluent-bit', 'fluentbit_output_proc_records_total', 'counter', ['name']),
  shipperInputRecords: metric('fluent-bit', 'fluentbit_input_records_total', 'counter', ['name']),
  shipperChunkCapacity: metric('fluent-bit', 'fluentbit_output_chunk_available_capacity_percent', 'gauge', ['name']),
  // Tetragon v1.7.0 (pkg/observer, pkg/exporter, pkg/metrics)
  tetragonPolicyEvents: metric('tetragon', 'tetragon_policy_events_total', 'counter', ['policy', 'hook', 'namespace']),
  tetragonRingbufLost: metric('tetragon', 'tetragon_observer_ringbuf_events_lost_total', 'counter'),
  tetragonQueueLost: metric('tetragon', 'tetragon_observer_ringbuf_queue_events_lost_total', 'counter'),
  tetragonExportRateLimitDrops: metric('tetragon', 'tetragon_export_ratelimit_events_dropped_total', 'counter'),
  // Alertmanager v0.34.0 (notify/metrics.go, api/metrics/metrics.go)
  alertmanagerNotifications: metric('alertmanager', 'alertmanager_notifications_total', 'counter', ['integration']),
  alertmanagerNotificationsFailed: metric('alertmanager', 'alertmanager_notifications_failed_total', 'counter', ['integration', 'reason']),
  // kube-state-metrics v2.17.0 (internal/store/daemonset.go, deployment.go)
  daemonSetDesired: metric('kube-state-metrics', 'kube_daemonset_status_desired_number_scheduled', 'gauge', ['namespace', 'daemonset']),
  daemonSetReady: metric('kube-state-metrics', 'kube_daemonset_status_number_ready', 'gauge', ['namespace', 'daemonset']),
  deploymentAvailable: metric('kube-state-metrics', 'kube_deployment_status_replicas_available', 'gauge', ['namespace', 'deployment']),
  // Prometheus itself: one sample per scrape target, 1 when the scrape succeeded.
  up: metric('prometheus', 'up', 'gauge'),
} as const;

export type MetricKey = keyof typeof METRICS;

/** Every metric name the catalogue holds. */
export const METRIC_NAMES: ReadonlySet<string> = new Set(Object.values(METRICS).map((m) => m.name));
