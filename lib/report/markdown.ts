import { complianceLines, escapeCell as escape } from './compliance';
import {
  COVERAGE_LAYERS, CoverageCell, coverageReport, CoverageReport, LAYER_SOURCE_TITLES, LAYER_TITLES, SCENARIO_TITLES,
} from './coverage';
import { renderMermaid } from './mermaid';
import { attackLines } from './mitre';
import { pinAndPrivilegeLines } from './privileges';
import { STACK_CHECKS } from '../checks';
import { runChecks } from '../checks/run';
import { runbookPath } from '../investigation/runbook';
import { monitoringReportLines } from '../monitoring/report';
import type { StackPlan } from '../stack/plan';

function cell(c: CoverageCell): string {
  switch (c.level) {
    case 'detects': return `detects (${c.by.length}): ${c.by.map((b) => b.replace(/\|/g, '\\|')).join(', ')}`;
    case 'records': return `records only: ${c.by.join(', ').replace(/\|/g, '\\|')}`;
    case 'none': return '-';
  }
}

/** The coverage report of a stack as Markdown: layers, Mermaid diagram, matrix, gaps, detections. */
export function renderReportMarkdown(plan: StackPlan, report: CoverageReport = coverageReport(plan)): string {
  const s = report.stack;
  const lines: string[] = [
    `# Detection coverage: ${s.path}`,
    '',
    `Cluster \`${s.cluster}\` on ${s.providerName} (\`${s.provider}\`), stack namespace \`${s.namespace}\`.`,
    'Generated from the stack plan by detection-stack; do not edit by hand.',
    '',
    '## Layers',
    '',
    '| layer | put in place by | what |',
    '|---|---|---|',
    ...report.layers.map((l) => `| ${LAYER_TITLES[l.layer]} | ${l.from.map((f) => LAYER_SOURCE_TITLES[f]).join(' + ')} | ${l.summary.replace(/\|/g, '\\|')} |`),
    '',
    '## Diagram',
    '',
    '```mermaid',
    renderMermaid(plan, report),
    '```',
    '',
    '## Coverage matrix',
    '',
    `| scenario | ${COVERAGE_LAYERS.map((l) => LAYER_TITLES[l]).join(' | ')} |`,
    `|---|${COVERAGE_LAYERS.map(() => '---').join('|')}|`,
    ...report.matrix.map((row) => `| ${SCENARIO_TITLES[row.scenario]} | ${COVERAGE_LAYERS.map((l) => cell(row.cells[l])).join(' | ')} |`),
    '',
    '## Gaps',
    '',
    ...(report.gaps.length > 0 ? report.gaps.map((g) => `- ${g}`) : ['- none: every seed scenario is detected by at least one layer.']),
    '',
    '## Detections',
    '',
    '| detection | layer | owner | priority | confidence | runbook | state |',
    '|---|---|---|---|---|---|---|',
    ...report.detections.map((d) => [
      d.name, LAYER_TITLES[d.layer], d.owner, d.priority ?? '-', d.confidence ?? '-',
      d.runbook ? `[${d.runbook}](${runbookPath(d.runbook)})` : '-',
      !d.enabled ? 'disabled' : d.inactiveBecause ? 'not running' : 'running',
    ].map((v) => v.replace(/\|/g, '\\|')).join(' | ')).map((row) => `| ${row} |`),
    '',
    ...packSensorLines(plan),
    ...tetragonAnalyticsLines(plan),
    ...tuningLines(plan),
    ...complianceLines(plan, report),
    ...attackLines(plan, report),
    ...monitoringReportLines(plan.monitoring),
    ...durableBudgetLines(plan),
    ...pinAndPrivilegeLines(plan),
    ...guardrailLines(plan),
  ];
  return lines.join('\n');
}

/** Which sensor runs each pack detection, when Tetragon runs (the rule: README "Which sensor runs a pack detection"). */
function packSensorLines(plan: StackPlan): string[] {
  if (!plan.tetragon || !plan.packs) return [];
  return [
    '## Pack detections by sensor',
    '',
    'Each enabled pack detection runs in one sensor: Falco, unless Tetragon runs alone or `sensors.ownership` gives its pattern to Tetragon.',
    '',
    '| pack detection | Falco rule | sensor | Tetragon detection |',
    '|---|---|---|---|',
    // Each links its runbook, written for the sensor that runs it (lib/report/write.ts runbooksOf).
    ...plan.packs.sensors.map((p) => `| [${p.id}](${runbookPath(p.id)}) | ${p.rule} | ${p.sensor === 'tetragon' ? 'Tetragon' : 'Falco'} | ${p.tetragonDetections?.join(', ') ?? '-'} |`),
    '',
  ];
}

/** Where Tetragon's alerts go among the analytics destinations, when Tetragon runs and analytics are set. */
function tetragonAnalyticsLines(plan: StackPlan): string[] {
  const destinations = plan.durable?.shipper?.analytics?.destinations ?? [];
  if (!plan.tetragon || destinations.length === 0) return [];
  const takes = destinations.filter((d) => d.kind !== 'oci-log-analytics').map((d) => d.kind);
  return [
    '## Tetragon alerts in the analytics',
    '',
    ...(takes.length > 0 ? [`- Tetragon's alerts, with their owner and investigation fields, reach: ${takes.join(', ')}.`] : []),
    ...(takes.length < destinations.length
      ? ['- oci-log-analytics does not receive Tetragon\'s alerts: Fluent Bit 5.1.1\'s oracle_log_analytics output sends only a record\'s `log` string, '
        + 'and Tetragon\'s alerts are built from fields. Read them from OCI Streaming (durable.analytics.ociStreaming) or the durable bucket.']
      : []),
    '',
  ];
}

/** What the stack changes in Falco's default rules, who changed it and why (sensors.falco.tuning and k8sauditTuning). */
function tuningLines(plan: StackPlan): string[] {
  const rows = [
    ...(plan.falco?.tuning ?? []).map((t) => ({ t, file: 'falco_rules.yaml' })),
    ...(plan.falco?.auditTuning ?? []).map((t) => ({ t, file: 'k8s_audit_rules.yaml' })),
  ];
  if (rows.length === 0) return [];
  return [
    '## Tuned default rules',
    '',
    'Changes to Falco\'s default rules (`/etc/falco/falco_rules.yaml` of the image on the nodes, the k8saudit ruleset\'s'
      + ' `k8s_audit_rules.yaml` in the audit Falco), loaded after them as `override` items.',
    '',
    '| default rule | file | change | by | why |',
    '|---|---|---|---|---|',
    ...rows.map(({ t, file }) => `| ${escape(t.rule)} | ${file} | ${escape(t.changes.join('; '))} | ${t.owner} | ${escape(t.reason)} |`),
    '',
  ];
}

/** How long a bucket outage the durable path carries on each node, from `durable.buffer`. */
function durableBudgetLines(plan: StackPlan): string[] {
  const shipper = plan.durable?.shipper;
  if (!shipper) return [];
  const b = shipper.outageBudget;
  return [
    '## Durable outage budget',
    '',
    '| buffer on each node | alerts per second per node | bytes per alert in the buffer | outage tolerated |',
    '|---|---|---|---|',
    `| ${shipper.bufferLimit} (${b.bufferBytes} bytes) | ${b.alertsPerSecond} | ${b.bytesPerAlert} | ${b.hours.toFixed(1)} hours |`,
    '',
    `Within ${b.hours.toFixed(1)} hours of bucket outage no alert is lost. Past it, the node's buffer is full and new alerts are dropped,`,
    'counted in the shipper\'s `fluentbit_output_dropped_records_total` (see the README, "Durable storage").',
    '',
  ];
}

/** The guardrail findings of the stack (errors never get here: they fail synth) and every suppression with its reason. */
function guardrailLines(plan: StackPlan): string[] {
  const checks = runChecks(STACK_CHECKS, plan, plan.suppressions, plan.path);
  return [
    '## Guardrail findings',
    '',
    ...(checks.findings.length === 0 ? ['- none'] : [
      '| check | level | where | finding | fix |',
      '|---|---|---|---|---|',
      ...checks.findings.map((f) => `| ${f.id} | ${f.level} | ${escape(f.path)} | ${escape(f.message)} | ${escape(f.fix)} |`),
    ]),
    '',
    ...(checks.suppressed.length === 0 ? [] : [
      '### Suppressed, with the reason given',
      '',
      ...checks.suppressed.map((s) => `- ${s.finding.id} at ${s.finding.path}: ${s.reason}`),
      '',
    ]),
  ];
}
