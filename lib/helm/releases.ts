import { Document } from 'yaml';
import { falcoChartRelease, sidekickChartRelease } from './falco-values';
import type { HelmReleasePlan, NotExpressed } from './model';
import { tetragonChartRelease } from './tetragon-values';
import type { StackPlan } from '../stack/plan';

/** A file of the Helm delivery: its name inside the output folder and its text. */
export interface HelmFile {
  readonly name: string;
  readonly text: string;
}

/** The stack delivered through the official charts: the releases, and what lies outside every chart. */
export interface HelmDelivery {
  /** The official-chart releases that deploy the stack's sensors and Falcosidekick (Falco, Falcosidekick, Tetragon), in install order. */
  readonly releases: readonly HelmReleasePlan[];
  /** Parts of the stack no chart deploys, each with what to do instead. */
  readonly outsideCharts: readonly NotExpressed[];
}

/** Renders the stack plan as official-chart releases. Pure: the same plan gives the same delivery. */
export function helmDelivery(plan: StackPlan): HelmDelivery {
  return {
    releases: [falcoChartRelease(plan), sidekickChartRelease(plan), tetragonChartRelease(plan)].filter((r): r is HelmReleasePlan => r !== undefined),
    outsideCharts: outsideCharts(plan),
  };
}

function outsideCharts(plan: StackPlan): NotExpressed[] {
  const parts: NotExpressed[] = [];
  const manifests = 'apply these objects from the synthesized manifests (npm run synth) in the same namespace';
  for (const ns of plan.namespaceObjects) {
    parts.push({
      what: `Namespace ${ns.name} with Pod Security labels`,
      chart: 'no chart creates it (helm --create-namespace adds no labels)',
      instead: `create it first with the labels ${Object.entries(ns.labels).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    });
  }
  if (plan.routing?.alertmanager) {
    parts.push({ what: 'the bundled Alertmanager and its team routes', chart: 'neither chart deploys Alertmanager; Falcosidekick is configured to post to it', instead: manifests });
  }
  if (plan.durable?.shipper) {
    parts.push({ what: 'the durable shipper (Fluent Bit DaemonSet writing every alert to the bucket)', chart: 'not part of either chart', instead: manifests });
  }
  if (plan.k8sauditFalco) {
    parts.push({ what: `the k8saudit Falco (${plan.k8sauditFalco.plugin.name} plugin)`, chart: 'the falco release here is the node sensor only', instead: manifests });
  }
  if (plan.monitoring) {
    parts.push({
      what: 'the PodMonitors, PrometheusRule and dashboards of the stack',
      chart: 'the charts offer ServiceMonitors for metrics Services, not the stack\'s PodMonitors and alerts',
      instead: manifests,
    });
  }
  return parts;
}

/** The command that installs a release with its values file. */
export function helmInstallCommand(release: HelmReleasePlan): string {
  return `helm upgrade --install ${release.releaseName} ${release.chart.name} --repo ${release.chart.repository} `
    + `--version ${release.chart.version} --namespace ${release.namespace} --values ${valuesFileName(release)}`;
}

export function valuesFileName(release: HelmReleasePlan): string {
  return `${release.releaseName}-values.yaml`;
}

/**
 * `<release>-values.yaml` per release, and `HELM.md`: how to install them and, per release, what the chart cannot
 * express (the stack's behaviour it loses, and what to do instead). Deterministic: the same plan gives the same bytes.
 */
export function renderHelmFiles(delivery: HelmDelivery): HelmFile[] {
  const releases = delivery.releases;
  const files = releases.map((release) => {
    const doc = new Document(release.values);
    doc.commentBefore = ` Values for the ${release.chart.name} chart ${release.chart.version} (${release.chart.repository}), `
      + `written by detection-stack.\n ${helmInstallCommand(release)}\n`
      + ` ${release.notExpressed.length} planned setting(s) the chart cannot express: see HELM.md.`;
    return { name: valuesFileName(release), text: doc.toString({ lineWidth: 0 }) };
  });
  const lines = ['# Helm delivery', '', 'Install in this order (each command from this folder):', '', '```sh',
    ...releases.map(helmInstallCommand), '```', ''];
  if (delivery.outsideCharts.length > 0) {
    lines.push('## Outside the charts', '', ...table(delivery.outsideCharts, 'what the charts do'), '');
  }
  for (const release of releases) {
    lines.push(`## ${release.releaseName}: ${release.chart.name} ${release.chart.version}`, '');
    if (release.notExpressed.length === 0) {
      lines.push('The chart expresses everything the stack plans for this release.', '');
      continue;
    }
    lines.push('What the stack plans and the chart cannot express:', '', ...table(release.notExpressed, 'what the chart does'), '');
  }
  return [...files, { name: 'HELM.md', text: `${lines.join('\n')}` }];
}

function table(rows: readonly NotExpressed[], chartColumn: string): string[] {
  return [`| planned | ${chartColumn} | what to do |`, '|---|---|---|', ...rows.map((n) => `| ${cell(n.what)} | ${cell(n.chart)} | ${cell(n.instead)} |`)];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
