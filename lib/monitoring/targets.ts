// The monitoring layer's shared types: what is scraped, and what it observes.

/** The workloads of the stack whose metrics are scraped. */
export type ScrapeComponent = 'falco' | 'falco-k8saudit' | 'falcosidekick' | 'alertmanager' | 'alert-shipper' | 'tetragon' | 'tetragon-operator';

/** One workload's metrics endpoint, scraped through a PodMonitor. */
export interface ScrapeTargetPlan {
  readonly component: ScrapeComponent;
  /** The workload (DaemonSet or Deployment/StatefulSet) name, as kube-state-metrics labels it. */
  readonly workload: { readonly kind: 'DaemonSet' | 'Deployment' | 'StatefulSet'; readonly name: string };
  readonly namespace: string;
  /** The `job` label every series of this target carries (set by the PodMonitor): `<namespace>/<component>`. */
  readonly job: string;
  /** Labels selecting the workload's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
  /** The container port's name in the pod spec (PodMonitor `port`). */
  readonly portName: string;
  readonly path: string;
  /**
   * A NetworkPolicy admitting the Prometheus namespace to the port. `false` for host-network pods (Tetragon's
   * agent), which NetworkPolicies do not select: their port is a node port.
   */
  readonly networkPolicy: boolean;
}

/**
 * What the monitoring layer observes, as the stack plan hands it over (lib/stack/monitored.ts): the monitoring layer
 * reads no other layer's plan.
 */
export interface MonitoredStack {
  /** One scrape target per workload that exports metrics. */
  readonly targets: readonly ScrapeTargetPlan[];
  /** Falco's custom rules by name, with the team that owns each (none: unowned). */
  readonly rules: readonly { readonly name: string; readonly team?: string }[];
  /** The durable shipper's outage budget in hours, where the durable plan states one. */
  readonly outageBudgetHours?: number;
}

/** The resolved alert settings. */
export interface AlertSettings {
  readonly team?: string;
  readonly runbookBaseUrl?: string;
  readonly noAlertsFor?: string;
  readonly noisyRuleMaxPerDay?: number;
  readonly maxDropRatio: number;
  readonly sensorMissingFor: string;
}
