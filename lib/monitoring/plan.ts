import { DashboardPlan, planDashboards } from './dashboards';
import type { DashboardsProps, MonitoringProps, StackAlertsProps } from './props';
import { AlertRunbook, planAlertRules, RuleGroupPlan } from './rules';
import type { AlertSettings, MonitoredStack, ScrapeTargetPlan } from './targets';

export type { AlertSettings, MonitoredStack, ScrapeComponent, ScrapeTargetPlan } from './targets';
import { DetectionStackError, PlanContext, requireDnsLabel, StackCode } from '../core';

export interface MonitoringPlan {
  /** Where errors point: `<stack path>/monitoring`. */
  readonly path: string;
  readonly namespace: string;
  readonly cluster: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly prometheus: {
    readonly namespace: string;
    readonly podLabels: Readonly<Record<string, string>>;
    readonly resourceLabels: Readonly<Record<string, string>>;
    readonly scrapeInterval: string;
  };
  readonly targets: readonly ScrapeTargetPlan[];
  /** The PrometheusRule's groups and each alert's runbook; absent with `alerts: false`. */
  readonly alerts?: { readonly name: string; readonly groups: readonly RuleGroupPlan[]; readonly runbooks: readonly AlertRunbook[] };
  readonly dashboards?: {
    readonly namespace: string;
    readonly label: Readonly<Record<string, string>>;
    readonly items: readonly DashboardPlan[];
  };
}

const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~/-]*)?$/;

function fail(code: StackCode, where: string, problem: string, fix: string): never {
  throw new DetectionStackError(code, where, problem, fix);
}

function requireDuration(where: string, value: unknown): string {
  if (typeof value !== 'string' || !DURATION.test(value)) {
    fail('DS-MON-002', where, `'${String(value)}' is not a Prometheus duration`, "use a duration such as '30s', '10m' or '24h'");
  }
  return value;
}

/** Label syntax is checked at the door (the props schema); the planner keeps a copy. */
function requireLabels(labels: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  return { ...(labels ?? {}) };
}

function resolveAlerts(where: string, props: StackAlertsProps | false | undefined): AlertSettings | undefined {
  if (props === false) return undefined;
  const p = props ?? {};
  if (p.team !== undefined) requireDnsLabel(`${where}.team`, p.team, 'team');
  if (p.runbookBaseUrl !== undefined && !HTTPS_URL.test(p.runbookBaseUrl)) {
    fail('DS-MON-004', `${where}.runbookBaseUrl`, `'${p.runbookBaseUrl}' is not a usable runbook URL`,
      'give an https URL without query or fragment, e.g. https://git.example.com/platform/detection/-/tree/main/runbooks');
  }
  const noisy = p.noisyRule === false ? undefined : (p.noisyRule?.maxPerDay ?? 1000);
  if (noisy !== undefined && (!Number.isInteger(noisy) || noisy < 1)) {
    fail('DS-MON-005', `${where}.noisyRule.maxPerDay`, `${String(noisy)} is not a number of matches per day`, 'use a positive whole number, e.g. 1000');
  }
  const ratio = p.maxDropRatio ?? 0.01;
  if (typeof ratio !== 'number' || !(ratio > 0 && ratio < 1)) {
    fail('DS-MON-005', `${where}.maxDropRatio`, `${String(ratio)} is not a fraction of events`, 'use a number between 0 and 1, e.g. 0.01 (1 %)');
  }
  return {
    team: p.team,
    runbookBaseUrl: p.runbookBaseUrl?.replace(/\/$/, ''),
    noAlertsFor: p.noAlertsFor === false ? undefined : requireDuration(`${where}.noAlertsFor`, p.noAlertsFor ?? '24h'),
    noisyRuleMaxPerDay: noisy,
    maxDropRatio: ratio,
    sensorMissingFor: requireDuration(`${where}.sensorMissingFor`, p.sensorMissingFor ?? '10m'),
  };
}

type DashboardSettings = { readonly namespace: string; readonly label: Readonly<Record<string, string>> };

function resolveDashboards(where: string, props: DashboardsProps | false | undefined, ctx: PlanContext): DashboardSettings | undefined {
  if (props === false) return undefined;
  const namespace = props?.namespace ?? ctx.namespace;
  requireDnsLabel(`${where}.namespace`, namespace, 'namespace');
  const label = requireLabels(props?.label ?? { grafana_dashboard: '1' });
  if (Object.keys(label).length === 0) {
    fail('DS-MON-003', `${where}.label`, 'the sidecar label is empty', "give the label Grafana's dashboard sidecar watches, e.g. { grafana_dashboard: '1' }");
  }
  return { namespace, label };
}

/**
 * Plans the monitoring of the stack itself from what the stack plan says it runs (`stack`). Pure. With no `monitoring` props
 * nothing is planned: the metrics endpoints stay on (each layer's own), with no monitors, rules or dashboards.
 */
export function planMonitoring(props: MonitoringProps | undefined, ctx: PlanContext, stack: MonitoredStack): MonitoringPlan | undefined {
  if (props === undefined) return undefined;
  const where = `${ctx.path}/monitoring`;
  if (!props.prometheus || typeof props.prometheus !== 'object') {
    fail('DS-MON-001', `${where}.prometheus`, 'the Prometheus that scrapes the stack is not named',
      "set monitoring.prometheus.namespace to the namespace your Prometheus runs in, e.g. 'monitoring'");
  }
  const p = props.prometheus;
  requireDnsLabel(`${where}.prometheus.namespace`, p.namespace, 'namespace');
  const podLabels = requireLabels(p.podLabels);
  const resourceLabels = requireLabels(p.resourceLabels);
  const scrapeInterval = requireDuration(`${where}.prometheus.scrapeInterval`, p.scrapeInterval ?? '30s');
  const alerts = resolveAlerts(`${where}.alerts`, props.alerts);
  const dashboards = resolveDashboards(`${where}.dashboards`, props.dashboards, ctx);
  const targets = stack.targets;
  const name = `detection-stack-${ctx.cluster.name.toLowerCase().replace(/_/g, '-')}`.slice(0, 63).replace(/-+$/, '');
  const rules = alerts ? planAlertRules(stack, alerts, ctx.cluster.name) : undefined;
  return {
    path: where,
    namespace: ctx.namespace,
    cluster: ctx.cluster.name,
    labels: { ...ctx.labels, 'app.kubernetes.io/component': 'monitoring' },
    prometheus: { namespace: p.namespace, podLabels, resourceLabels, scrapeInterval },
    targets: [...targets],
    alerts: rules ? { name, ...rules } : undefined,
    dashboards: dashboards ? { ...dashboards, items: planDashboards(stack, ctx.cluster.name) } : undefined,
  };
}

