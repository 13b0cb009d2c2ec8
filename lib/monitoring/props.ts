/** The Prometheus (prometheus-operator) that scrapes the stack. */
export interface PrometheusProps {
  /**
   * Namespace the Prometheus pods run in: the only namespace whose pods may connect to the metrics ports
   * (each workload gets a NetworkPolicy for exactly that). Never every pod.
   */
  readonly namespace: string;
  /** Labels of the Prometheus pods in that namespace, to narrow the NetworkPolicy further. @default every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Labels every PodMonitor and PrometheusRule carries, as the Prometheus resource's `podMonitorSelector` and
   * `ruleSelector` expect (kube-prometheus-stack: `release: <its release name>`). @default none
   */
  readonly resourceLabels?: Readonly<Record<string, string>>;
  /** Scrape interval of every target. @default '30s' */
  readonly scrapeInterval?: string;
}

/** A Falco rule that fires more often than this is reported as noise. */
export interface NoisyRuleProps {
  /** Matches per day, per rule, summed over every node. @default 1000 */
  readonly maxPerDay?: number;
}

/** The alerts on the stack's own health (a PrometheusRule). */
export interface StackAlertsProps {
  /** Team label on the stack's health alerts (who keeps the stack running). @default no team label */
  readonly team?: string;
  /**
   * Where the alerts' runbooks are published: `runbook_url` becomes `<base>/<AlertName>.md`. The runbooks are
   * written next to the manifests (`runbooks/stack-health/<AlertName>.md`). @default the relative path of that file
   */
  readonly runbookBaseUrl?: string;
  /**
   * Dead man's switch: alert when the stack received no alert at all for this long (Prometheus duration).
   * `false` turns it off. @default '24h'
   */
  readonly noAlertsFor?: string | false;
  /** A rule firing above a rate is noise: alert on it (with the rule owner as team). @default { maxPerDay: 1000 } */
  readonly noisyRule?: NoisyRuleProps | false;
  /** Fraction of kernel events Falco may drop over 10 minutes before it is an alert. @default 0.01 */
  readonly maxDropRatio?: number;
  /** How long a node may miss its sensor pod before it is an alert. @default '10m' */
  readonly sensorMissingFor?: string;
}

/** Grafana dashboards as ConfigMaps for Grafana's dashboard sidecar. */
export interface DashboardsProps {
  /** The label the sidecar watches (its `LABEL` and `LABEL_VALUE`). @default { grafana_dashboard: '1' } */
  readonly label?: Readonly<Record<string, string>>;
  /** Namespace of the ConfigMaps (where the sidecar looks). @default the stack namespace */
  readonly namespace?: string;
}

/**
 * Monitoring of the stack itself, an opt-in for prometheus-operator users: a PodMonitor per workload (scraped
 * through a NetworkPolicy that lets in only the named Prometheus namespace), a PrometheusRule with the stack's
 * health alerts, and Grafana dashboards. The metrics endpoints themselves are always on.
 */
export interface MonitoringProps {
  readonly prometheus: PrometheusProps;
  /** The health alerts. `false` renders the monitors only. @default enabled with the defaults above */
  readonly alerts?: StackAlertsProps | false;
  /** The dashboards. `false` renders none. @default enabled with the defaults above */
  readonly dashboards?: DashboardsProps | false;
}
