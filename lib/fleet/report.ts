// The fleet's REPORT.md: one table of the clusters, the coverage matrix per cluster, and where clusters differ
// from each other (overrides, teams and rules left out, detections that cannot run on a provider, findings).
import type { FleetClusterPlan, FleetPlan } from './plan';
import { STACK_CHECKS } from '../checks';
import type { Finding } from '../checks/finding';
import { runChecks } from '../checks/run';
import { THREAT_SCENARIOS } from '../packs/types';
import { COVERAGE_LAYERS, coverageReport, CoverageReport, LAYER_TITLES, SCENARIO_TITLES } from '../report/coverage';

/** One cluster as the fleet report sees it. */
export interface FleetClusterReport {
  readonly cluster: FleetClusterPlan;
  readonly coverage: CoverageReport;
  /** Guardrail findings (errors, warnings, info) after suppressions. */
  readonly findings: readonly Finding[];
}

export function fleetClusterReports(fleet: FleetPlan): FleetClusterReport[] {
  return fleet.clusters.map((cluster) => ({
    cluster,
    coverage: coverageReport(cluster.plan),
    findings: runChecks(STACK_CHECKS, cluster.plan, cluster.plan.suppressions, cluster.plan.path).findings,
  }));
}

const LAYER_SHORT: Readonly<Record<(typeof COVERAGE_LAYERS)[number], string>> = {
  'runtime-falco': 'Falco',
  'runtime-tetragon': 'Tetragon',
  'k8s-audit': 'k8s audit',
  'cloud-audit': 'cloud audit',
};

/** The fleet report in Markdown. Deterministic: the same fleet gives the same bytes. */
export function renderFleetReport(fleet: FleetPlan, reports: readonly FleetClusterReport[] = fleetClusterReports(fleet)): string {
  const lines: string[] = [];
  lines.push(`# Detection fleet ${fleet.name}`, '');
  lines.push(`${reports.length} cluster(s). Each cluster's manifests, REPORT.md and runbooks are in \`<cluster>/\`.`, '');

  lines.push('## Clusters', '');
  lines.push('| cluster | provider | region | labels | sensors | Kubernetes audit | teams | durable | rules running | findings |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of reports) {
    const c = r.cluster;
    const running = r.coverage.detections.filter((d) => d.enabled && !d.inactiveBecause).length;
    const levels = (level: Finding['level']) => r.findings.filter((f) => f.level === level).length;
    lines.push(`| ${cell(c.name)} | ${c.provider} | ${cell(c.region ?? '-')} | ${cell(labelText(c.labels))} | ${cell(sensorsOf(c))} `
      + `| ${cell(k8sAuditOf(r))} | ${cell(c.teams.join(', ') || '-')} | ${cell(durableOf(c))} | ${running} of ${r.coverage.detections.length} `
      + `| ${levels('error')} errors, ${levels('warning')} warnings |`);
  }
  lines.push('');

  lines.push('## Coverage per cluster', '');
  lines.push('The layers that alert on each scenario in each cluster (`recorded` where only an audit trail keeps the evidence).', '');
  lines.push(`| scenario | ${reports.map((r) => cell(r.cluster.name)).join(' | ')} |`);
  lines.push(`|---|${reports.map(() => '---').join('|')}|`);
  for (const scenario of THREAT_SCENARIOS) {
    const cells = reports.map((r) => {
      const row = r.coverage.matrix.find((m) => m.scenario === scenario)!;
      const detects = COVERAGE_LAYERS.filter((l) => row.cells[l].level === 'detects').map((l) => LAYER_SHORT[l]);
      const records = COVERAGE_LAYERS.filter((l) => row.cells[l].level === 'records').map((l) => LAYER_SHORT[l]);
      if (detects.length > 0) return detects.join(', ');
      return records.length > 0 ? `recorded (${records.join(', ')})` : '**none**';
    });
    lines.push(`| ${SCENARIO_TITLES[scenario]} | ${cells.join(' | ')} |`);
  }
  lines.push('');

  lines.push('## Where clusters differ', '');
  const differences = reports.flatMap((r) => clusterDifferences(r, reports));
  if (differences.length === 0) lines.push('Every cluster runs the shared definition as it is.');
  else lines.push(...differences);
  lines.push('');

  lines.push('## Findings per cluster', '');
  const findings = reports.flatMap((r) => r.findings.filter((f) => f.level !== 'info').map((f) => `- ${cell(r.cluster.name)}: ${f.level} ${f.id} at \`${f.path}\`: ${f.message}. Fix: ${f.fix}`));
  lines.push(...(findings.length > 0 ? findings : ['No error or warning finding.']), '');
  return `${lines.join('\n')}`;
}

/** What sets this cluster apart: its overrides, what of the shared definition it leaves out, what cannot run on it. */
function clusterDifferences(r: FleetClusterReport, all: readonly FleetClusterReport[]): string[] {
  const c = r.cluster;
  const items: string[] = [];
  if (c.overridden.length > 0) items.push(`overrides ${c.overridden.map((p) => `\`${p}\``).join(', ')}`);
  if (c.leftOut.teams.length > 0) items.push(`teams not routed here (they own none of its namespaces): ${c.leftOut.teams.join(', ')}`);
  if (c.leftOut.rules.length > 0) items.push(`rules left out with their teams: ${c.leftOut.rules.join(', ')}`);
  const inactive = new Map<string, string[]>();
  for (const d of r.coverage.detections) {
    if (d.inactiveBecause) inactive.set(d.inactiveBecause, [...(inactive.get(d.inactiveBecause) ?? []), d.name]);
  }
  for (const [reason, names] of inactive) items.push(`${names.length} rule(s) do not run (${names.join(', ')}): ${reason}`);
  const layersHere = new Set(r.coverage.layers.filter((l) => l.present).map((l) => l.layer));
  for (const layer of COVERAGE_LAYERS) {
    const elsewhere = all.filter((o) => o !== r && o.coverage.layers.some((l) => l.layer === layer && l.present));
    if (!layersHere.has(layer) && elsewhere.length > 0) {
      const summary = r.coverage.layers.find((l) => l.layer === layer)?.summary;
      items.push(`no ${LAYER_TITLES[layer]} layer${summary ? ` (${summary})` : ''}, which ${elsewhere.length} other cluster(s) have`);
    }
  }
  if (items.length === 0) return [];
  return [`- **${cell(c.name)}** (${c.provider}, \`${c.path}\`):`, ...items.map((i) => `  - ${cell(i)}`)];
}

function sensorsOf(c: FleetClusterPlan): string {
  return [c.plan.falco ? 'Falco' : undefined, c.plan.tetragon ? 'Tetragon' : undefined].filter((s) => s).join(' + ');
}

function k8sAuditOf(r: FleetClusterReport): string {
  return r.coverage.layers.find((l) => l.layer === 'k8s-audit')?.summary ?? '-';
}

function durableOf(c: FleetClusterPlan): string {
  const d = c.plan.durable;
  if (!d) return '-';
  const destination = d.shipper?.destination;
  if (destination) return destination.kind === 's3' ? `${destination.service} ${destination.bucket}` : `${destination.service} ${destination.storageAccount}/${destination.container}`;
  return 'waived';
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : '-';
}

/** Text for a table cell: no pipe or newline breaks the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
