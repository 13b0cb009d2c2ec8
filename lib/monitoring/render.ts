import { ApiObject, ApiObjectProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { renderDashboardJson } from './dashboards';
import type { MonitoringPlan, ScrapeTargetPlan } from './plan';

export interface MonitoringConstructProps {
  /** The resolved plan (`DetectionStack.plan.monitoring`). */
  readonly plan: MonitoringPlan;
}

/** The PodMonitor of one scrape target: the `job` label is fixed (the alerts select on it) and `node` is added. */
export function podMonitorManifest(plan: MonitoringPlan, t: ScrapeTargetPlan): ApiObjectProps {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: `${t.component}-metrics`, namespace: t.namespace, labels: { ...plan.labels, ...plan.prometheus.resourceLabels } },
    spec: {
      selector: { matchLabels: { ...t.podLabels } },
      namespaceSelector: { matchNames: [t.namespace] },
      podMetricsEndpoints: [{
        port: t.portName,
        path: t.path,
        scheme: 'http',
        interval: plan.prometheus.scrapeInterval,
        relabelings: [
          { action: 'replace', targetLabel: 'job', replacement: t.job },
          { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
        ],
      }],
    },
  };
}

/** The PrometheusRule holding the stack's health alerts. */
export function prometheusRuleManifest(plan: MonitoringPlan): ApiObjectProps | undefined {
  if (!plan.alerts) return undefined;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: plan.alerts.name, namespace: plan.namespace, labels: { ...plan.labels, ...plan.prometheus.resourceLabels } },
    spec: {
      groups: plan.alerts.groups.map((g) => ({
        name: g.name,
        rules: g.rules.map((r) => ({ alert: r.alert, expr: r.expr, for: r.for, labels: { ...r.labels }, annotations: { ...r.annotations } })),
      })),
    },
  };
}

/**
 * The monitoring layer rendered from its plan: a PodMonitor per workload, a NetworkPolicy per workload that lets
 * only the Prometheus namespace (and its pods, when named) reach the metrics port, the PrometheusRule, and the
 * dashboards as ConfigMaps for Grafana's sidecar.
 */
export class Monitoring extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringConstructProps) {
    super(scope, id);
    const plan = props.plan;
    const prometheusPeer: k8s.NetworkPolicyPeer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': plan.prometheus.namespace } },
      ...(Object.keys(plan.prometheus.podLabels).length > 0 ? { podSelector: { matchLabels: { ...plan.prometheus.podLabels } } } : {}),
    };
    for (const t of plan.targets) {
      new ApiObject(this, `${t.component}-PodMonitor`, podMonitorManifest(plan, t));
      if (!t.networkPolicy) continue;
      // Policies add up: this one only opens the metrics port to Prometheus, next to the workload's own policy.
      new k8s.KubeNetworkPolicy(this, `${t.component}-ScrapeNetworkPolicy`, {
        metadata: { name: `${t.component}-metrics-scrape`, namespace: t.namespace, labels: { ...plan.labels } },
        spec: {
          podSelector: { matchLabels: { ...t.podLabels } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [prometheusPeer], ports: [{ port: k8s.IntOrString.fromNumber(t.port), protocol: 'TCP' }] }],
        },
      });
    }
    const rule = prometheusRuleManifest(plan);
    if (rule) new ApiObject(this, 'PrometheusRule', rule);
    for (const d of plan.dashboards?.items ?? []) {
      new k8s.KubeConfigMap(this, `Dashboard-${d.uid}`, {
        metadata: {
          name: d.fileName.replace(/\.json$/, ''),
          namespace: plan.dashboards!.namespace,
          labels: { ...plan.labels, ...plan.dashboards!.label },
        },
        data: { [d.fileName]: `${JSON.stringify(renderDashboardJson(d), null, 2)}\n` },
      });
    }
  }
}
