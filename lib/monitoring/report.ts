import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import type { MonitoringPlan } from './plan';
import type { AlertRunbook } from './rules';

const cell = (v: string) => v.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The runbook of one stack-health alert, as Markdown. Pure. */
export function renderAlertRunbook(r: AlertRunbook, cluster: string): string {
  return [
    `# ${r.alert}`,
    '',
    `Severity \`${r.severity}\`, cluster \`${cluster}\`: ${r.summary}.`,
    '',
    '## What it means',
    '',
    r.meaning,
    '',
    '## What to do',
    '',
    ...r.actions.map((a, i) => `${i + 1}. ${a}`),
    '',
  ].join('\n');
}

/** Writes the runbook of every alert of the plan under `outdir`; returns the files written. */
export function writeAlertRunbooks(outdir: string, plan: MonitoringPlan | undefined): string[] {
  const written: string[] = [];
  for (const r of plan?.alerts?.runbooks ?? []) {
    const file = join(outdir, r.file);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderAlertRunbook(r, plan!.cluster));
    written.push(file);
  }
  return written;
}

/** REPORT.md's "Monitoring" section: what is scraped, where, which alerts and dashboards exist. */
export function monitoringReportLines(plan: MonitoringPlan | undefined): string[] {
  if (!plan) {
    return ['## Monitoring', '', '- not enabled: the metrics endpoints are on, but no PodMonitor, alert or dashboard is rendered (set `monitoring`).', ''];
  }
  const lines = [
    '## Monitoring',
    '',
    `Scraped by the Prometheus of namespace \`${plan.prometheus.namespace}\` every ${plan.prometheus.scrapeInterval}` +
      ` (the only namespace each metrics NetworkPolicy admits${Object.keys(plan.prometheus.podLabels).length > 0 ? ', pods labelled ' +
        Object.entries(plan.prometheus.podLabels).map(([k, v]) => `\`${k}=${v}\``).join(', ') : ''}).`,
    '',
    '| workload | namespace | job | endpoint | NetworkPolicy |',
    '|---|---|---|---|---|',
    ...plan.targets.map((t) => `| ${t.workload.kind} ${t.workload.name} | ${t.namespace} | \`${t.job}\` | :${t.port}${t.path} (port \`${t.portName}\`) | ${t.networkPolicy ? `\`${t.component}-metrics-scrape\`` : 'none: host network, node port'} |`),
    '',
  ];
  if (plan.alerts) {
    lines.push(`Alerts (PrometheusRule \`${plan.namespace}/${plan.alerts.name}\`):`, '', '| alert | severity | group | what it means | runbook |', '|---|---|---|---|---|');
    for (const g of plan.alerts.groups) {
      for (const name of [...new Set(g.rules.map((r) => r.alert))]) {
        const rb = plan.alerts.runbooks.find((r) => r.alert === name)!;
        lines.push(`| ${name} | ${rb.severity} | ${g.name} | ${cell(rb.summary)} | [${rb.file}](${rb.url}) |`);
      }
    }
    lines.push('');
  } else {
    lines.push('- alerts: off (`monitoring.alerts: false`)', '');
  }
  if (plan.dashboards) {
    const label = Object.entries(plan.dashboards.label).map(([k, v]) => `${k}=${v}`).join(', ');
    lines.push(`Dashboards (ConfigMaps in \`${plan.dashboards.namespace}\` labelled \`${label}\`):`, '');
    for (const d of plan.dashboards.items) {
      lines.push(`- ${d.title} (\`${d.uid}\`): ${d.rows.map((r) => `${r.title} (${r.panels.map((p) => p.title).join('; ')})`).join(', ')}`);
    }
    lines.push('');
  }
  return lines;
}
