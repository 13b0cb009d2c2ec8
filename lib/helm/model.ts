/** An official chart at the version this library writes values for. */
export interface HelmChartPin {
  /** Chart name in its repository. */
  readonly name: string;
  readonly version: string;
  /** The Helm repository URL (`helm repo add`). */
  readonly repository: string;
  /** What the chart deploys at this version, and where that comes from. */
  readonly source: string;
}

/** Something the stack plan contains that the chart's values cannot say: listed, never dropped silently. */
export interface NotExpressed {
  /** The planned object or setting, e.g. `Falco ServiceAccount automountServiceAccountToken: false`. */
  readonly what: string;
  /** What the chart does instead, and why no value changes it. */
  readonly chart: string;
  /** What the user does to keep the stack's behaviour. */
  readonly instead: string;
}

/** One `helm upgrade -i` of an official chart, rendered from the stack plan. */
export interface HelmReleasePlan {
  readonly releaseName: string;
  readonly namespace: string;
  readonly chart: HelmChartPin;
  /** The values file: only keys that exist in the chart's values.yaml at `chart.version`. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly notExpressed: readonly NotExpressed[];
}
