// What the monitoring layer observes, gathered from the other layers' plans: the stack plan alone combines layers.
import { K8SAUDIT_FALCO_NAME, K8SAUDIT_FALCO_SELECTOR } from '../audit/k8saudit-plugin';
import type { AuditPlan } from '../audit/plan';
import type { DurablePlan } from '../durable/plan';
import { FALCO_WEBSERVER_PORT } from '../falco/sensor/defaults';
import type { FalcoPlan } from '../falco/sensor/plan';
import type { MonitoredStack, ScrapeComponent, ScrapeTargetPlan } from '../monitoring/targets';
import type { RoutingPlan } from '../routing/plan';
import { OPERATOR_METRICS_PORT, TETRAGON_METRICS_PORT, TetragonPlan } from '../tetragon/plan';

/** The layers of the stack as planned, which the monitoring layer observes. */
export interface MonitoredLayers {
  readonly falco?: FalcoPlan;
  readonly tetragon?: TetragonPlan;
  readonly routing?: RoutingPlan;
  readonly durable?: DurablePlan;
  readonly audit?: AuditPlan;
}

/** The scrape targets of every workload the stack runs. */
export function scrapeTargets(layers: MonitoredLayers, namespace: string): ScrapeTargetPlan[] {
  const targets: ScrapeTargetPlan[] = [];
  const add = (component: ScrapeComponent, workload: ScrapeTargetPlan['workload'], ns: string, podLabels: Readonly<Record<string, string>>,
    port: number, portName: string, path: string, networkPolicy = true) => {
    targets.push({ component, workload, namespace: ns, job: `${ns}/${component}`, podLabels: { ...podLabels }, port, portName, path, networkPolicy });
  };
  const { falco, tetragon, routing, durable, audit } = layers;
  if (falco) add('falco', { kind: 'DaemonSet', name: falco.name }, falco.namespace, falco.selectorLabels, falco.webserver.port, 'web', '/metrics');
  if (audit?.kubernetes.falcoPlugin) {
    add('falco-k8saudit', { kind: 'Deployment', name: K8SAUDIT_FALCO_NAME }, namespace, K8SAUDIT_FALCO_SELECTOR, FALCO_WEBSERVER_PORT, 'web', '/metrics');
  }
  if (routing) {
    const s = routing.sidekick;
    add('falcosidekick', { kind: 'Deployment', name: s.workload.name }, s.workload.namespace, s.workload.selectorLabels, s.port, 'http', '/metrics');
    const am = routing.alertmanager;
    // In operator mode the Alertmanager is the user's own, already monitored where it runs.
    if (am?.workload) add('alertmanager', { kind: 'StatefulSet', name: am.workload.name }, am.workload.namespace, am.workload.selectorLabels, am.port, 'http', '/metrics');
  }
  const shipper = durable?.shipper;
  if (shipper) {
    add('alert-shipper', { kind: 'DaemonSet', name: shipper.workload.name }, shipper.workload.namespace, shipper.workload.selectorLabels, shipper.httpPort, 'http', '/api/v2/metrics/prometheus');
  }
  if (tetragon) {
    add('tetragon', { kind: 'DaemonSet', name: 'tetragon' }, tetragon.namespace,
      { 'app.kubernetes.io/name': 'tetragon', 'app.kubernetes.io/component': 'sensor' }, TETRAGON_METRICS_PORT, 'metrics', '/metrics', false);
    add('tetragon-operator', { kind: 'Deployment', name: 'tetragon-operator' }, tetragon.namespace,
      { 'app.kubernetes.io/name': 'tetragon-operator', 'app.kubernetes.io/component': 'operator' }, OPERATOR_METRICS_PORT, 'metrics', '/metrics');
  }
  return targets;
}

/** What the monitoring layer plans from: the scrape targets, Falco's custom rules and their teams, the outage budget. */
export function monitoredStack(layers: MonitoredLayers, namespace: string): MonitoredStack {
  const hours = layers.durable?.shipper?.outageBudget?.hours;
  return {
    targets: scrapeTargets(layers, namespace),
    rules: (layers.falco?.customRules ?? []).map((r) => ({ name: r.name, ...(typeof r.owner === 'string' ? { team: r.owner } : {}) })),
    ...(hours !== undefined ? { outageBudgetHours: hours } : {}),
  };
}
