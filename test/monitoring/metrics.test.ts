import { fullEksProps, stackPlan, tetragonProps } from './fixtures';
import { IMAGE_PINS } from '../../lib/core/images';
import { METRIC_NAMES, METRICS } from '../../lib/monitoring/metrics';
import type { MonitoringPlan } from '../../lib/monitoring/plan';

/**
 * Where each metric is defined in the pinned program's source, read at the release tag (found with the search
 * tool and read at the tag). A name that is not here cannot be used by an alert or a dashboard panel.
 */
const SOURCES: Record<string, { repo: string; tag: string; path: string; how: string }> = {
  // Falco 0.44.1: falco_metrics.cpp names the metric, libs' prometheus_metrics_converter (libsinsp/metrics_collector.cpp
  // at libs 0.25.4, the version Falco 0.44.1 pins in cmake/modules/falcosecurity-libs.cmake) prefixes `falcosecurity_<subsystem>_`
  // and appends the unit (`_total` for counts).
  falcosecurity_falco_rules_matches_total: { repo: 'falcosecurity/falco', tag: '0.44.1', path: 'userspace/falco/falco_metrics.cpp', how: '"rules_matches", labels rule_name, priority (std::to_string of the numeric priority), source, tag_*' },
  falcosecurity_falco_outputs_queue_num_drops_total: { repo: 'falcosecurity/falco', tag: '0.44.1', path: 'userspace/falco/falco_metrics.cpp', how: '"outputs_queue_num_drops", METRICS_V2_MISC, monotonic count' },
  falcosecurity_scap_n_evts_total: { repo: 'falcosecurity/libs', tag: '0.25.4', path: 'userspace/libpman/src/stats.c', how: '[MODERN_BPF_N_EVTS] = N_EVENTS_PREFIX ("n_evts", libscap/metrics_v2.h); subsystem scap in falco_metrics.cpp' },
  falcosecurity_scap_n_drops_total: { repo: 'falcosecurity/libs', tag: '0.25.4', path: 'userspace/libpman/src/stats.c', how: '[MODERN_BPF_N_DROPS] = "n_drops"' },
  falcosecurity_scap_n_drops_buffer_total: { repo: 'falcosecurity/falco', tag: '0.44.1', path: 'userspace/falco/falco_metrics.cpp', how: 'n_drops_buffer_<kind>_exit re-exported as "n_drops_buffer" with labels drop, dir' },
  // Falcosidekick 2.34.1
  falcosecurity_falcosidekick_inputs_total: { repo: 'falcosecurity/falcosidekick', tag: '2.34.1', path: 'stats_prometheus.go', how: 'metricPrefix + "inputs_total", labels source, status (handlers.go: accepted, rejected)' },
  falcosecurity_falcosidekick_outputs_total: { repo: 'falcosecurity/falcosidekick', tag: '2.34.1', path: 'stats_prometheus.go', how: 'metricPrefix + "outputs_total", labels destination, status (outputs/constants.go: ok, error)' },
  falcosecurity_falcosidekick_falco_events_total: { repo: 'falcosecurity/falcosidekick', tag: '2.34.1', path: 'stats_prometheus.go', how: 'metricPrefix + "falco_events_total", labels hostname, rule, priority, priority_raw, source, k8s_ns_name, k8s_pod_name' },
  // Fluent Bit 5.1.1 (cmetrics: namespace fluentbit, subsystem output/input)
  fluentbit_output_retries_total: { repo: 'fluent/fluent-bit', tag: 'v5.1.1', path: 'src/flb_output.c', how: 'cmt_counter_create(ins->cmt, "fluentbit", "output", "retries_total", ..., {"name"})' },
  fluentbit_output_retries_failed_total: { repo: 'fluent/fluent-bit', tag: 'v5.1.1', path: 'src/flb_output.c', how: '"output", "retries_failed_total"' },
  fluentbit_output_dropped_records_total: { repo: 'fluent/fluent-bit', tag: 'v5.1.1', path: 'src/flb_output.c', how: '"output", "dropped_records_total"' },
  fluentbit_output_errors_total: { repo: 'fluent/fluent-bit', tag: 'v5.1.1', path: 'src/flb_output.c', how: '"output", "errors_total"' },
  fluentbit_output_proc_records_total: { repo: 'fluent/fluent-bit', tag: 'v5.1.1', path: 'src/flb_output.c', how: '"output", "proc_records_total"' },
  fluentbit_output_chunk_available_capacity_percent: { repo: 'fluent/fluent-bit', tag: 'v5.1.1', path: 'src/flb_output.c', how: 'cmt_gauge_create(..., "output", "chunk_available_capacity_percent"); set in src/flb_engine.c' },
  fluentbit_input_records_total: { repo: 'fluent/fluent-bit', tag: 'v5.1.1', path: 'src/flb_input.c', how: '"fluentbit", "input", "records_total"' },
  // Tetragon v1.7.0 (namespace tetragon, pkg/metrics/consts/consts.go)
  tetragon_policy_events_total: { repo: 'cilium/tetragon', tag: 'v1.7.0', path: 'pkg/metrics/eventmetrics/eventmetrics.go', how: 'consts.MetricsNamespace, "", "policy_events_total", labels policy, hook (+ pod labels)' },
  tetragon_observer_ringbuf_events_lost_total: { repo: 'cilium/tetragon', tag: 'v1.7.0', path: 'pkg/observer/metrics.go', how: 'Subsystem observer, Name "ringbuf_events_lost_total"' },
  tetragon_observer_ringbuf_queue_events_lost_total: { repo: 'cilium/tetragon', tag: 'v1.7.0', path: 'pkg/observer/metrics.go', how: 'Subsystem observer, Name "ringbuf_queue_events_lost_total"' },
  tetragon_export_ratelimit_events_dropped_total: { repo: 'cilium/tetragon', tag: 'v1.7.0', path: 'pkg/exporter/metrics.go', how: 'Name "export_ratelimit_events_dropped_total"' },
  // Alertmanager v0.34.0
  alertmanager_notifications_total: { repo: 'prometheus/alertmanager', tag: 'v0.34.0', path: 'notify/metrics.go', how: 'Namespace alertmanager, Name notifications_total, labels integration' },
  alertmanager_notifications_failed_total: { repo: 'prometheus/alertmanager', tag: 'v0.34.0', path: 'notify/metrics.go', how: 'Name notifications_failed_total, labels integration, reason' },
  // kube-state-metrics v2.17.0
  kube_daemonset_status_desired_number_scheduled: { repo: 'kubernetes/kube-state-metrics', tag: 'v2.17.0', path: 'internal/store/daemonset.go', how: 'default labels namespace, daemonset' },
  kube_daemonset_status_number_ready: { repo: 'kubernetes/kube-state-metrics', tag: 'v2.17.0', path: 'internal/store/daemonset.go', how: 'default labels namespace, daemonset' },
  kube_deployment_status_replicas_available: { repo: 'kubernetes/kube-state-metrics', tag: 'v2.17.0', path: 'internal/store/deployment.go', how: 'labels namespace, deployment' },
  // Prometheus: the synthetic series of every target
  up: { repo: 'prometheus.io', tag: 'docs', path: 'https://prometheus.io/docs/concepts/jobs_instances', how: '"up{job=..., instance=...}: 1 if the instance is healthy, i.e. reachable, or 0 if the scrape failed"' },
};

/** The metric names an expression reads: identifiers outside label matchers, strings, ranges and grouping clauses. */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'sum', 'min', 'max', 'avg', 'count', 'rate', 'increase', 'absent', 'vector', 'sum_over_time']);
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0])
    .filter((t) => !keywords.has(t) && !/^[0-9]/.test(t) && !/^(ms|s|m|h|d|w|y)$/.test(t));
}

function expressionsOf(plan: MonitoringPlan): string[] {
  return [
    ...(plan.alerts?.groups ?? []).flatMap((g) => g.rules.map((r) => r.expr)),
    ...(plan.dashboards?.items ?? []).flatMap((d) => d.rows.flatMap((r) => r.panels.flatMap((p) => p.targets.map((t) => t.expr)))),
  ];
}

const plans = [stackPlan(fullEksProps()).monitoring!, stackPlan(tetragonProps()).monitoring!];
const used = new Set(plans.flatMap(expressionsOf).flatMap(metricNamesIn));

describe('every metric the monitoring reads is one the pinned program exports', () => {
  test('the catalogue and the cited sources list the same names', () => {
    expect([...METRIC_NAMES].sort()).toEqual(Object.keys(SOURCES).sort());
  });

  test('every name an alert or panel uses is in the catalogue, and every catalogued name is used', () => {
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((n) => !METRIC_NAMES.has(n))).toEqual([]);
    expect([...METRIC_NAMES].filter((n) => !used.has(n))).toEqual([]);
  });

  test('the extraction sees through matchers, strings and grouping (so an unknown name cannot hide)', () => {
    expect(metricNamesIn('sum by (rule_name) (rate(foo_total{job="a/b", rule_name=~"x|y{z}"}[1h])) * 86400 > 10 and on() bar < 1'))
      .toEqual(['foo_total', 'bar']);
  });

  test('each citation is at the version the stack deploys', () => {
    const pinned: Record<string, string> = {
      'falcosecurity/falco': IMAGE_PINS.falco.version,
      'falcosecurity/falcosidekick': IMAGE_PINS.falcosidekick.version,
      'fluent/fluent-bit': `v${IMAGE_PINS.fluentBit.version}`,
      'cilium/tetragon': IMAGE_PINS.tetragon.version.startsWith('v') ? IMAGE_PINS.tetragon.version : `v${IMAGE_PINS.tetragon.version}`,
      'prometheus/alertmanager': IMAGE_PINS.alertmanager.version,
      // Not deployed by the stack: the libs release Falco 0.44.1 builds with, kube-state-metrics as the
      // Prometheus installs run it, and Prometheus's own documentation of `up`.
      'falcosecurity/libs': '0.25.4',
      'kubernetes/kube-state-metrics': 'v2.17.0',
      'prometheus.io': 'docs',
    };
    for (const [name, s] of Object.entries(SOURCES)) {
      expect({ name, tag: s.tag }).toEqual({ name, tag: pinned[s.repo] });
      expect(s.path).toMatch(/\.(cpp|c|go)$|^https:\/\/prometheus\.io\/docs\//);
    }
  });

  test('the catalogue says which program exports each name, matching its prefix', () => {
    const prefix: Record<string, RegExp> = {
      'falco': /^falcosecurity_(falco|scap)_/,
      'falcosidekick': /^falcosecurity_falcosidekick_/,
      'fluent-bit': /^fluentbit_/,
      'tetragon': /^tetragon_/,
      'alertmanager': /^alertmanager_/,
      'kube-state-metrics': /^kube_/,
      'prometheus': /^up$/,
    };
    for (const m of Object.values(METRICS)) expect(m.name).toMatch(prefix[m.program]);
  });
});
