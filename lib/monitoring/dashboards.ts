import { METRICS } from './metrics';
import { anyOf, jobs, minutesDuration, sel } from './promql';
import { outageBudgetSeconds } from './rules';
import type { MonitoredStack, ScrapeComponent } from './targets';
// In the order of Falco's numeric `priority` label (falco_common::priority_type: 0 = Emergency ... 7 = Debug).
import { FALCO_PRIORITIES } from '../core/priorities';

/** One query of a panel. */
export interface PanelTarget {
  readonly expr: string;
  readonly legendFormat: string;
}

export interface PanelPlan {
  readonly title: string;
  readonly description: string;
  readonly kind: 'timeseries' | 'stat';
  readonly unit?: string;
  readonly targets: readonly PanelTarget[];
}

/** A Grafana dashboard as plain data: its rows of panels. */
export interface DashboardPlan {
  readonly uid: string;
  readonly title: string;
  /** The ConfigMap's key (file name the sidecar writes). */
  readonly fileName: string;
  readonly rows: readonly { readonly title: string; readonly panels: readonly PanelPlan[] }[];
}

const RATE = '$__rate_interval';

function panel(title: string, description: string, targets: PanelTarget[], unit?: string, kind: PanelPlan['kind'] = 'timeseries'): PanelPlan {
  return { title, description, kind, unit, targets };
}

/** The dashboards of a stack: detections, and the stack's health. Only metrics of the catalogue are queried. */
export function planDashboards(stack: MonitoredStack, cluster: string): DashboardPlan[] {
  const { targets } = stack;
  const target = (c: ScrapeComponent) => targets.find((t) => t.component === c);
  const slug = cluster.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const falcoJobs = targets.filter((t) => t.component === 'falco' || t.component === 'falco-k8saudit').map((t) => t.job);
  const sidekick = target('falcosidekick');
  const tetragon = target('tetragon');
  const shipper = target('alert-shipper');
  const am = target('alertmanager');

  // ---- detections
  const detections: PanelPlan[] = [];
  if (falcoJobs.length > 0) {
    const matches = (extra: Record<string, string | { re: string } | { notRe: string }> = {}) =>
      sel(METRICS.falcoRuleMatches, { job: jobs(...falcoJobs), ...extra });
    detections.push(panel('Detections by rule', 'Falco rule matches per rule, every node and the k8saudit Falco together.',
      [{ expr: `sum by (rule_name) (increase(${matches()}[${RATE}]))`, legendFormat: '{{rule_name}}' }]));
    detections.push(panel('Detections by priority', 'Falco rule matches per priority.',
      FALCO_PRIORITIES.map((name, i) => ({ expr: `sum(increase(${matches({ priority: String(i) })}[${RATE}]))`, legendFormat: name }))));
    const byTeam = new Map<string, string[]>();
    for (const r of stack.rules) {
      if (r.team !== undefined) byTeam.set(r.team, [...(byTeam.get(r.team) ?? []), r.name]);
    }
    const owned = [...new Set([...byTeam.values()].flat())].sort();
    detections.push(panel('Detections by owning team', 'Falco rule matches per owner of the rule (the custom rules\' `owner`); "no owner" is every other rule.', [
      ...[...byTeam.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([team, names]) => ({
        expr: `sum(increase(${matches({ rule_name: { re: anyOf([...new Set(names)].sort()) } })}[${RATE}]))`, legendFormat: team,
      })),
      { expr: `sum(increase(${matches(owned.length > 0 ? { rule_name: { notRe: anyOf(owned) } } : {})}[${RATE}]))`, legendFormat: 'no owner' },
    ]));
  }
  if (sidekick) {
    detections.push(panel('Detections by namespace', 'Alerts Falcosidekick received, per Kubernetes namespace of the pod (empty: host or control plane).',
      [{ expr: `sum by (k8s_ns_name) (increase(${sel(METRICS.sidekickFalcoEvents, { job: sidekick.job })}[${RATE}]))`, legendFormat: '{{k8s_ns_name}}' }]));
  }
  if (tetragon) {
    detections.push(panel('Tetragon policy events by policy and namespace', 'Events of the TracingPolicies, per policy and namespace.',
      [{ expr: `sum by (policy, namespace) (increase(${sel(METRICS.tetragonPolicyEvents, { job: tetragon.job })}[${RATE}]))`, legendFormat: '{{policy}} {{namespace}}' }]));
  }

  // ---- health
  const coverage: PanelPlan[] = [];
  const daemonSets = targets.filter((t) => t.workload.kind === 'DaemonSet');
  if (daemonSets.length > 0) {
    coverage.push(panel('Sensor coverage: desired versus ready pods', 'Per DaemonSet: nodes that should run a pod, and ready pods (kube-state-metrics). A gap is a node not watched.',
      daemonSets.flatMap((t) => {
        const ds = { namespace: t.namespace, daemonset: t.workload.name };
        return [
          { expr: sel(METRICS.daemonSetDesired, ds), legendFormat: `${t.workload.name} desired` },
          { expr: sel(METRICS.daemonSetReady, ds), legendFormat: `${t.workload.name} ready` },
        ];
      })));
  }
  coverage.push(panel('Scrape health per node and workload', '1 when Prometheus scraped the workload\'s metrics, per pod and node.',
    [{ expr: `sum by (job, node) (${sel(METRICS.up, { job: jobs(...targets.map((t) => t.job)) })})`, legendFormat: '{{job}} {{node}}' }]));

  const drops: PanelPlan[] = [];
  const falco = target('falco');
  if (falco) {
    drops.push(panel('Falco kernel event drops per node', 'Fraction of kernel events dropped before Falco evaluated them.', [{
      expr: `sum by (node) (rate(${sel(METRICS.falcoKernelDrops, { job: falco.job })}[${RATE}])) / sum by (node) (rate(${sel(METRICS.falcoKernelEvents, { job: falco.job })}[${RATE}]))`,
      legendFormat: '{{node}}',
    }], 'percentunit'));
    drops.push(panel('Falco buffer drops by kind', 'Kernel drops per syscall family (which kind of event floods the ring buffer).',
      [{ expr: `sum by (drop) (increase(${sel(METRICS.falcoKernelBufferDrops, { job: falco.job })}[${RATE}]))`, legendFormat: '{{drop}}' }]));
  }
  if (falcoJobs.length > 0) {
    drops.push(panel('Falco alerts dropped from the output queue', 'Alerts lost before any output (durable path included).',
      [{ expr: `sum by (job, node) (increase(${sel(METRICS.falcoOutputsQueueDrops, { job: jobs(...falcoJobs) })}[${RATE}]))`, legendFormat: '{{job}} {{node}}' }]));
  }
  if (tetragon) {
    drops.push(panel('Tetragon lost events', 'Events lost in the ring buffer, its queue, or by the export rate limit.',
      [METRICS.tetragonRingbufLost, METRICS.tetragonQueueLost, METRICS.tetragonExportRateLimitDrops].map((m) => ({
        expr: `sum by (node) (increase(${sel(m, { job: tetragon.job })}[${RATE}]))`, legendFormat: `${m.name.replace(/^tetragon_|_total$/g, '')} {{node}}`,
      }))));
  }

  const routing: PanelPlan[] = [];
  if (sidekick) {
    routing.push(panel('Falcosidekick output errors by output', 'Deliveries that failed, per output: each one is an alert the output never got.',
      [{ expr: `sum by (destination) (increase(${sel(METRICS.sidekickOutputs, { job: sidekick.job, status: 'error' })}[${RATE}]))`, legendFormat: '{{destination}}' }]));
    routing.push(panel('Falcosidekick inputs', 'Alerts Falco posted: accepted and rejected.',
      [{ expr: `sum by (status) (increase(${sel(METRICS.sidekickInputs, { job: sidekick.job })}[${RATE}]))`, legendFormat: '{{status}}' }]));
  }
  if (am) {
    routing.push(panel('Alertmanager notifications: attempted and failed by integration', 'Notifications per integration (slack, pagerduty, ...).', [
      { expr: `sum by (integration) (increase(${sel(METRICS.alertmanagerNotifications, { job: am.job })}[${RATE}]))`, legendFormat: '{{integration}} attempted' },
      { expr: `sum by (integration) (increase(${sel(METRICS.alertmanagerNotificationsFailed, { job: am.job })}[${RATE}]))`, legendFormat: '{{integration}} failed' },
    ]));
  }

  const durable: PanelPlan[] = [];
  if (shipper) {
    const j = { job: shipper.job };
    durable.push(panel('Shipper: records in and out per node', 'Records the shipper read (every tailed line) and handed to its bucket output.', [
      { expr: `sum by (node) (rate(${sel(METRICS.shipperInputRecords, j)}[${RATE}]))`, legendFormat: 'read {{node}}' },
      { expr: `sum by (node) (rate(${sel(METRICS.shipperOutputRecords, j)}[${RATE}]))`, legendFormat: 'to output {{node}}' },
    ]));
    durable.push(panel('Shipper: errors, retries and drops', 'Failed uploads (errors), engine retries, and records lost (dropped, or retries given up).',
      [METRICS.shipperOutputErrors, METRICS.shipperOutputRetries, METRICS.shipperOutputDroppedRecords, METRICS.shipperOutputRetriesFailed]
        .map((m) => ({
          expr: `sum by (node) (increase(${sel(m, j)}[${RATE}]))`, legendFormat: `${m.name.replace(/^fluentbit_output_|_total$/g, '')} {{node}}`,
        }))));
    const budget = outageBudgetSeconds(stack);
    durable.push(panel('Shipper backlog against the outage budget',
      `Hours in the last day in which the bucket output failed, per node${budget !== undefined ? `, against the outage budget (${minutesDuration(budget)})` : ''}. Fluent Bit 5.1.1 exports no size of the s3 output's store_dir, so the backlog is measured in outage time.`,
      [
        { expr: `sum_over_time((sum by (node) (increase(${sel(METRICS.shipperOutputErrors, j)}[5m])) > bool 0)[1d:5m]) / 12`, legendFormat: 'outage hours {{node}}' },
        ...(budget !== undefined ? [{ expr: `vector(${Math.round((budget / 3600) * 100) / 100})`, legendFormat: 'outage budget (hours)' }] : []),
      ], 'h'));
    durable.push(panel('Shipper: output buffer left', 'Percent of the output\'s storage.total_limit_size still free (engine-buffered outputs such as azure_blob).',
      [{ expr: `min by (node) (${sel(METRICS.shipperChunkCapacity, j)})`, legendFormat: '{{node}}' }], 'percent'));
  }

  const health = [
    { title: 'Sensor coverage and health per node', panels: coverage },
    { title: 'Drops', panels: drops },
    { title: 'Routing errors', panels: routing },
    { title: 'Durable path', panels: durable },
  ].filter((r) => r.panels.length > 0);
  return [
    { uid: `ds-${slug}-detections`.slice(0, 40), title: `Detection stack ${cluster}: detections`, fileName: `detection-stack-${slug}-detections.json`, rows: [{ title: 'Detections over time', panels: detections }] },
    { uid: `ds-${slug}-health`.slice(0, 40), title: `Detection stack ${cluster}: health`, fileName: `detection-stack-${slug}-health.json`, rows: health },
  ].filter((d) => d.rows.some((r) => r.panels.length > 0));
}

/** Grafana's dashboard JSON (schema 39) for a plan, with a `datasource` variable every panel uses. */
export function renderDashboardJson(d: DashboardPlan): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  const panels: Record<string, unknown>[] = [];
  let y = 0;
  let id = 1;
  for (const row of d.rows) {
    panels.push({ type: 'row', id: id++, title: row.title, collapsed: false, gridPos: { x: 0, y: y++, w: 24, h: 1 }, panels: [] });
    row.panels.forEach((p, i) => {
      panels.push({
        type: p.kind,
        id: id++,
        title: p.title,
        description: p.description,
        datasource,
        gridPos: { x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8, w: 12, h: 8 },
        fieldConfig: { defaults: { ...(p.unit ? { unit: p.unit } : {}) }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
        targets: p.targets.map((t, k) => ({ refId: String.fromCharCode(65 + (k % 26)) + (k >= 26 ? String(Math.floor(k / 26)) : ''), datasource, expr: t.expr, legendFormat: t.legendFormat })),
      });
    });
    y += Math.ceil(row.panels.length / 2) * 8;
  }
  return {
    uid: d.uid,
    title: d.title,
    tags: ['detection-stack'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: false,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [{ type: 'datasource', name: 'datasource', label: 'Data source', query: 'prometheus', current: {}, hide: 0, refresh: 1 }],
    },
    annotations: { list: [] },
    panels,
  };
}
