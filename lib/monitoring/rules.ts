import { METRICS } from './metrics';
import { anyOf, jobs, minutesDuration, sel } from './promql';
import type { AlertSettings, MonitoredStack, ScrapeComponent } from './targets';

export type AlertSeverity = 'critical' | 'warning' | 'info';

/** One Prometheus alerting rule, as the PrometheusRule holds it. */
export interface AlertRulePlan {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroupPlan {
  readonly name: string;
  readonly rules: readonly AlertRulePlan[];
}

/** What an alert means and what to do when it fires: the runbook file, the README and REPORT.md. */
export interface AlertRunbook {
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly meaning: string;
  readonly actions: readonly string[];
  /** Where the runbook is written, relative to the manifests' folder. */
  readonly file: string;
  /** The `runbook_url` annotation. */
  readonly url: string;
}

/** Alerts of the stack's own health, what they mean and what to do. One source for rules, runbooks and docs. */
export const STACK_ALERTS = {
  DetectionStackSensorMissing: {
    severity: 'critical',
    summary: 'A node runs no ready sensor pod',
    meaning: 'The DaemonSet wants a pod on more nodes than have a ready one (kube-state-metrics: desired scheduled versus ready). Those nodes are not watched.',
    actions: [
      'List the pods that are not ready: `kubectl -n <namespace> get pods -l app.kubernetes.io/name=<daemonset> -o wide` and compare with `kubectl get nodes`.',
      'Read the failing pod\'s events and logs (`kubectl describe pod`, `kubectl logs --previous`): a probe that cannot load (kernel, BTF, `perf_event_paranoid`), an image pull error or missing resources.',
      'A node pool with a taint the DaemonSet does not tolerate, or a nodeSelector that excludes it, shows as desired < node count instead: check the tolerations.',
    ],
  },
  DetectionStackMetricsDown: {
    severity: 'warning',
    summary: 'Prometheus cannot scrape a stack workload',
    meaning: 'The scrape of a workload\'s metrics endpoint fails: every other alert about that workload is blind while this fires.',
    actions: [
      'Check the pod is running and its metrics port answers from the Prometheus namespace (the NetworkPolicy admits only that namespace).',
      'For Tetragon (host network) the port is a node port: a node firewall or security group must let Prometheus reach it.',
    ],
  },
  DetectionStackMetricsAbsent: {
    severity: 'warning',
    summary: 'No scrape target at all for a stack workload',
    meaning: 'Prometheus has no target for the workload: the PodMonitor is not selected by the Prometheus resource, or the pods do not match it.',
    actions: [
      'Compare the Prometheus resource\'s `podMonitorSelector` and `podMonitorNamespaceSelector` with the PodMonitor\'s labels (`monitoring.prometheus.resourceLabels`) and namespace.',
      'Check the Prometheus targets page for the job named in the alert.',
    ],
  },
  DetectionStackFalcoDroppingEvents: {
    severity: 'warning',
    summary: 'Falco drops kernel events',
    meaning: 'Falco\'s ring buffers overflow on a node: events of that node are not evaluated, so some behaviour goes undetected there.',
    actions: [
      'Look at the drop counters by kind on the health dashboard (`falcosecurity_scap_n_drops_buffer_total{drop}`) to see which syscalls flood the buffer.',
      'Give Falco more CPU on busy nodes, or raise `engine.modern_ebpf.buf_size_preset`; drop noisy syscalls from the rules before that.',
    ],
  },
  DetectionStackFalcoOutputQueueDropping: {
    severity: 'critical',
    summary: 'Falco drops alerts from its output queue',
    meaning: 'Falco matched a rule but dropped the alert before any output got it: those alerts are lost everywhere, the durable path included.',
    actions: [
      'Check the outputs are reachable and fast (Falcosidekick readiness, `http_output` errors in the Falco log).',
      'Find the noisy rule on the detections dashboard: a flood of matches fills the queue first.',
    ],
  },
  DetectionStackTetragonDroppingEvents: {
    severity: 'warning',
    summary: 'Tetragon loses events',
    meaning: 'Tetragon lost events between the kernel and its exporter (ring buffer or queue full), or its export rate limit dropped them: some behaviour is not recorded.',
    actions: [
      'See which counter moves in the alert\'s `metric` label; raise the agent\'s CPU or the ring buffer size, or narrow the TracingPolicies.',
      'Rate-limit drops mean `sensors.tetragon.export.rateLimitPerMinute` is lower than the event rate.',
    ],
  },
  DetectionStackK8sAuditSourceDown: {
    severity: 'critical',
    summary: 'The k8saudit Falco is not available',
    meaning: 'The single Falco that reads the control plane\'s audit log has no available replica: no Kubernetes API detection runs.',
    actions: [
      'Read the pod\'s events and logs: falcoctl failing to install the plugin or rules, or the cloud credentials (IRSA / Pod Identity, the Event Hub connection Secret) being refused.',
    ],
  },
  DetectionStackK8sAuditSourceStalled: {
    severity: 'warning',
    summary: 'The k8saudit Falco matched nothing for a long time',
    meaning: 'No k8s_audit rule matched in the window. Falco 0.44.1 exports no event counter for a plugin source and the k8saudit plugins export no metrics, so silence is the only sign of a stalled or lagging audit feed.',
    actions: [
      'Check the plugin still reads: its log shows polling errors (CloudWatch Logs for EKS, the Event Hub for AKS), throttling or expired credentials.',
      'Make a change a rule detects (e.g. `kubectl create configmap` in a watched namespace with a name a rule flags) and see it arrive.',
    ],
  },
  DetectionStackSidekickOutputErrors: {
    severity: 'warning',
    summary: 'Falcosidekick fails to deliver to an output',
    meaning: 'Falcosidekick keeps no buffer: every error on an output (the `destination` label) is an alert that output never got. The durable path still has it.',
    actions: [
      'Read the Falcosidekick log for the destination\'s error (credentials in the Secret, the endpoint, a NetworkPolicy egress rule).',
      'Send a test alert once fixed: `kubectl -n <namespace> port-forward deploy/falcosidekick 2801` and `curl -X POST localhost:2801/test`.',
    ],
  },
  DetectionStackSidekickRejectingInput: {
    severity: 'warning',
    summary: 'Falcosidekick rejects alerts from Falco',
    meaning: 'Falco posts alerts Falcosidekick cannot read (bad payload): they go to no output.',
    actions: ['Compare the Falco and Falcosidekick versions with the pinned ones; read the Falcosidekick log for the rejected payload.'],
  },
  DetectionStackAlertmanagerNotificationsFailing: {
    severity: 'warning',
    summary: 'Alertmanager fails to notify a receiver',
    meaning: 'Notifications of an integration (the `integration` label: slack, pagerduty, ...) fail: a team is not told about its alerts.',
    actions: ['Read the Alertmanager log for the receiver\'s error; check the receiver\'s Secret and the NetworkPolicy egress; `amtool config routes test` shows where an alert goes.'],
  },
  DetectionStackNoAlertsReceived: {
    severity: 'warning',
    summary: 'The stack received no alert at all for a long time (dead man\'s switch)',
    meaning: 'Nothing was detected in the window. On a live cluster some rule fires every day; silence usually means a broken path (Falco to Falcosidekick, the rules not loaded) rather than a quiet cluster. On a new stack it fires until the first alert arrives.',
    actions: [
      'Trigger a harmless detection (e.g. run a shell in a test pod of a watched namespace) and follow it: Falco log, Falcosidekick `inputs_total`, the outputs.',
      'If the cluster is really that quiet, raise `monitoring.alerts.noAlertsFor`.',
    ],
  },
  DetectionStackShipperOutputErrors: {
    severity: 'warning',
    summary: 'The durable shipper fails to write to the bucket',
    meaning: 'Fluent Bit\'s bucket output fails (an upload attempt failed): the alerts stay in the node\'s buffer until the bucket is reachable again. With the s3 output, Fluent Bit 5.1.1 counts these as errors, not retries.',
    actions: [
      'Read the shipper log on the node (`kubectl logs ds/alert-shipper`): credentials, bucket policy (Object Lock needs Content-MD5), DNS or egress.',
      'Watch the outage budget on the health dashboard: past it the buffer fills and alerts are lost.',
    ],
  },
  DetectionStackShipperRetrying: {
    severity: 'warning',
    summary: 'The durable shipper retries its output',
    meaning: 'Fluent Bit re-schedules chunks for its bucket output (the engine\'s retries; the azure_blob output uses them): the bucket is not taking writes.',
    actions: ['As for DetectionStackShipperOutputErrors.'],
  },
  DetectionStackShipperOutageBudgetHalfSpent: {
    severity: 'critical',
    summary: 'The bucket outage lasts half the durable outage budget',
    meaning: 'The shipper has failed to write for half the time its node buffer can hold alerts. When the budget is spent, new alerts are dropped.',
    actions: ['Restore the bucket path now; if that cannot happen in time, raise the buffer (`durable.buffer`) or move alerts off the node by hand.'],
  },
  DetectionStackShipperDroppingRecords: {
    severity: 'critical',
    summary: 'The durable shipper drops alerts',
    meaning: 'Fluent Bit dropped records or gave up retrying chunks: those alerts will never reach the bucket (the `metric` label says which counter moved).',
    actions: [
      'Restore the bucket path; the records already dropped are lost from the durable copy. Falco\'s own stdout on the node (kubelet log files, until rotated) and other outputs may still hold them.',
      'Count what was lost from the counter\'s increase over the outage and record it.',
    ],
  },
  DetectionStackShipperBufferFilling: {
    severity: 'warning',
    summary: 'The durable shipper\'s buffer is filling',
    meaning: 'Less than half of the output\'s buffer (`storage.total_limit_size`) is left: the bucket is slower than the alert rate or down.',
    actions: ['As for DetectionStackShipperOutputErrors; if the rate is the cause, find the noisy rule on the detections dashboard.'],
  },
  DetectionStackNoisyRule: {
    severity: 'warning',
    summary: 'A rule fires above the configured rate',
    meaning: 'One rule matches more often than `monitoring.alerts.noisyRule.maxPerDay`: its alerts drown the others and cost attention. The `team` label is the rule\'s owner.',
    actions: [
      'Look at the rule\'s alerts by namespace and process: a legitimate workload that needs an exception, or an attack in progress.',
      'Add an exception for the legitimate case (never widen the condition by hand), or tune the rule\'s priority.',
    ],
  },
} as const satisfies Record<string, { severity: AlertSeverity; summary: string; meaning: string; actions: readonly string[] }>;

export type StackAlertName = keyof typeof STACK_ALERTS;

export const RUNBOOK_DIR = 'runbooks/stack-health';

class RuleBuilder {
  readonly groups = new Map<string, AlertRulePlan[]>();
  readonly used = new Set<StackAlertName>();

  constructor(private readonly settings: AlertSettings, private readonly cluster: string) {}

  runbookUrl(alert: StackAlertName): string {
    return this.settings.runbookBaseUrl ? `${this.settings.runbookBaseUrl}/${alert}.md` : `${RUNBOOK_DIR}/${alert}.md`;
  }

  add(group: string, alert: StackAlertName, expr: string, forDuration: string, labels: Record<string, string> = {}, description?: string): void {
    const def = STACK_ALERTS[alert];
    this.used.add(alert);
    const rules = this.groups.get(group) ?? [];
    rules.push({
      alert,
      expr,
      for: forDuration,
      labels: {
        severity: def.severity,
        cluster: this.cluster,
        ...(this.settings.team ? { team: this.settings.team } : {}),
        ...labels,
      },
      annotations: {
        summary: def.summary,
        description: description ?? def.meaning,
        runbook_url: this.runbookUrl(alert),
      },
    });
    this.groups.set(group, rules);
  }
}

const SENSOR_COMPONENTS: readonly ScrapeComponent[] = ['falco', 'tetragon'];

/**
 * The alerting rules on the stack's own health, from what the stack runs. Pure: every value
 * comes from the plan and is quoted into PromQL by `sel`.
 */
export function planAlertRules(stack: MonitoredStack, settings: AlertSettings, cluster: string):
{ groups: RuleGroupPlan[]; runbooks: AlertRunbook[] } {
  const { targets } = stack;
  const b = new RuleBuilder(settings, cluster);
  const target = (c: ScrapeComponent) => targets.find((t) => t.component === c);

  // ---- coverage: a ready sensor on every node, and every endpoint scraped
  for (const t of targets.filter((x) => x.workload.kind === 'DaemonSet')) {
    const ds = { namespace: t.namespace, daemonset: t.workload.name };
    b.add('detection-stack.coverage', 'DetectionStackSensorMissing',
      `${sel(METRICS.daemonSetDesired, ds)} - ${sel(METRICS.daemonSetReady, ds)} > 0`, settings.sensorMissingFor,
      { component: t.component }, SENSOR_COMPONENTS.includes(t.component) ? undefined
        : `${STACK_ALERTS.DetectionStackSensorMissing.meaning} (here the ${t.component} DaemonSet: alerts of those nodes are not shipped).`);
  }
  for (const t of targets) {
    b.add('detection-stack.coverage', 'DetectionStackMetricsDown', `${sel(METRICS.up, { job: t.job })} == 0`, '10m', { component: t.component });
    b.add('detection-stack.coverage', 'DetectionStackMetricsAbsent', `absent(${sel(METRICS.up, { job: t.job })})`, '15m', { component: t.component });
  }

  // ---- the sensors' own losses
  const falco = target('falco');
  if (falco) {
    const j = { job: falco.job };
    b.add('detection-stack.sensors', 'DetectionStackFalcoDroppingEvents',
      `sum by (node) (rate(${sel(METRICS.falcoKernelDrops, j)}[10m])) / sum by (node) (rate(${sel(METRICS.falcoKernelEvents, j)}[10m])) > ${settings.maxDropRatio}`,
      '10m', { component: 'falco' });
  }
  const falcoJobs = targets.filter((t) => t.component === 'falco' || t.component === 'falco-k8saudit').map((t) => t.job);
  if (falcoJobs.length > 0) {
    b.add('detection-stack.sensors', 'DetectionStackFalcoOutputQueueDropping',
      `sum by (job, node) (increase(${sel(METRICS.falcoOutputsQueueDrops, { job: jobs(...falcoJobs) })}[5m])) > 0`, '0m', { component: 'falco' });
  }
  const tetragon = target('tetragon');
  if (tetragon) {
    for (const m of [METRICS.tetragonRingbufLost, METRICS.tetragonQueueLost, METRICS.tetragonExportRateLimitDrops]) {
      b.add('detection-stack.sensors', 'DetectionStackTetragonDroppingEvents',
        `sum by (node) (increase(${sel(m, { job: tetragon.job })}[10m])) > 0`, '0m', { component: 'tetragon', metric: m.name });
    }
  }
  const audit = target('falco-k8saudit');
  if (audit) {
    const d = { namespace: audit.namespace, deployment: audit.workload.name };
    b.add('detection-stack.sensors', 'DetectionStackK8sAuditSourceDown', `${sel(METRICS.deploymentAvailable, d)} < 1`, '10m', { component: audit.component });
    if (settings.noAlertsFor) {
      b.add('detection-stack.sensors', 'DetectionStackK8sAuditSourceStalled',
        `(sum(increase(${sel(METRICS.falcoRuleMatches, { job: audit.job, source: 'k8s_audit' })}[${settings.noAlertsFor}])) or vector(0)) < 1`
        + ` and on() ${sel(METRICS.deploymentAvailable, d)} >= 1`, '30m', { component: audit.component });
    }
  }

  // ---- routing
  const sidekick = target('falcosidekick');
  if (sidekick) {
    b.add('detection-stack.routing', 'DetectionStackSidekickOutputErrors',
      `sum by (destination) (increase(${sel(METRICS.sidekickOutputs, { job: sidekick.job, status: 'error' })}[10m])) > 0`, '5m', { component: 'falcosidekick' });
    b.add('detection-stack.routing', 'DetectionStackSidekickRejectingInput',
      `sum(increase(${sel(METRICS.sidekickInputs, { job: sidekick.job, status: 'rejected' })}[10m])) > 0`, '5m', { component: 'falcosidekick' });
  }
  const am = target('alertmanager');
  if (am) {
    b.add('detection-stack.routing', 'DetectionStackAlertmanagerNotificationsFailing',
      `sum by (integration) (increase(${sel(METRICS.alertmanagerNotificationsFailed, { job: am.job })}[10m])) > 0`, '5m', { component: 'alertmanager' });
  }
  if (settings.noAlertsFor) {
    const w = settings.noAlertsFor;
    // What the stack receives: Falcosidekick's accepted inputs when it runs, else the sensors' own matches.
    const received = sidekick ? `sum(increase(${sel(METRICS.sidekickInputs, { job: sidekick.job, status: 'accepted' })}[${w}]))`
      : falcoJobs.length > 0 ? `sum(increase(${sel(METRICS.falcoRuleMatches, { job: jobs(...falcoJobs) })}[${w}]))`
        : tetragon ? `sum(increase(${sel(METRICS.tetragonPolicyEvents, { job: tetragon.job })}[${w}]))` : undefined;
    if (received) b.add('detection-stack.routing', 'DetectionStackNoAlertsReceived', `(${received} or vector(0)) < 1`, '15m', { component: 'pipeline' });
  }

  // ---- the durable path
  const shipper = target('alert-shipper');
  if (shipper) {
    const j = { job: shipper.job };
    b.add('detection-stack.durable', 'DetectionStackShipperOutputErrors',
      `sum by (node) (increase(${sel(METRICS.shipperOutputErrors, j)}[10m])) > 0`, '10m', { component: 'alert-shipper' });
    b.add('detection-stack.durable', 'DetectionStackShipperRetrying',
      `sum by (node) (increase(${sel(METRICS.shipperOutputRetries, j)}[10m])) > 0`, '10m', { component: 'alert-shipper' });
    const budget = outageBudgetSeconds(stack);
    if (budget !== undefined) {
      b.add('detection-stack.durable', 'DetectionStackShipperOutageBudgetHalfSpent',
        `sum by (node) (increase(${sel(METRICS.shipperOutputErrors, j)}[10m])) > 0`, minutesDuration(budget / 2), { component: 'alert-shipper' },
        `${STACK_ALERTS.DetectionStackShipperOutageBudgetHalfSpent.meaning} The budget is ${minutesDuration(budget)}.`);
    }
    for (const m of [METRICS.shipperOutputDroppedRecords, METRICS.shipperOutputRetriesFailed]) {
      b.add('detection-stack.durable', 'DetectionStackShipperDroppingRecords',
        `sum by (node) (increase(${sel(m, j)}[5m])) > 0`, '0m', { component: 'alert-shipper', metric: m.name });
    }
    b.add('detection-stack.durable', 'DetectionStackShipperBufferFilling',
      `min by (node) (${sel(METRICS.shipperChunkCapacity, j)}) < 50`, '10m', { component: 'alert-shipper' });
  }

  // ---- noise: per owning team, then the rules no team owns here
  if (settings.noisyRuleMaxPerDay !== undefined && falcoJobs.length > 0) {
    const perDay = settings.noisyRuleMaxPerDay;
    const byTeam = new Map<string, string[]>();
    for (const r of stack.rules) {
      if (r.team === undefined) continue;
      byTeam.set(r.team, [...(byTeam.get(r.team) ?? []), r.name]);
    }
    const noisy = (ruleName: { re: string } | { notRe: string } | undefined) => {
      const m = sel(METRICS.falcoRuleMatches, { job: jobs(...falcoJobs), ...(ruleName ? { rule_name: ruleName } : {}) });
      return `sum by (rule_name) (rate(${m}[1h])) * 86400 > ${perDay}`;
    };
    for (const [team, names] of [...byTeam.entries()].sort(([a], [b2]) => a.localeCompare(b2))) {
      b.add('detection-stack.noise', 'DetectionStackNoisyRule', noisy({ re: anyOf([...new Set(names)].sort()) }), '1h', { component: 'rules', team });
    }
    const owned = [...new Set([...byTeam.values()].flat())].sort();
    b.add('detection-stack.noise', 'DetectionStackNoisyRule', noisy(owned.length > 0 ? { notRe: anyOf(owned) } : undefined), '1h', { component: 'rules' });
  }

  const groups = [...b.groups.entries()].map(([name, rules]) => ({ name, rules }));
  const runbooks = [...b.used].map((alert): AlertRunbook => ({
    alert,
    ...STACK_ALERTS[alert],
    file: `${RUNBOOK_DIR}/${alert}.md`,
    url: b.runbookUrl(alert),
  }));
  return { groups, runbooks };
}

/** The durable shipper's outage budget in seconds, where the stack states one. */
export function outageBudgetSeconds(stack: MonitoredStack): number | undefined {
  const hours = stack.outageBudgetHours;
  return hours !== undefined && Number.isFinite(hours) && hours > 0 ? hours * 3600 : undefined;
}
