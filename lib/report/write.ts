import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { investigationSettingsOf } from './investigation-settings';
import { renderReportMarkdown } from './markdown';
import { writeAuditPolicyFile } from '../audit/policy-file';
import { RunbookOf, writeRunbooks } from '../investigation/runbook';
import { writeAlertRunbooks } from '../monitoring/report';
import type { PacksPlan } from '../stack/packs';
import type { StackPlan } from '../stack/plan';

export const REPORT_FILE = 'REPORT.md';

/** Several stacks in one app: one report, each stack's section after the other. */
export function renderReports(plans: readonly StackPlan[]): string {
  return plans.map((p) => renderReportMarkdown(p)).join('\n');
}

/**
 * The pack rules that get a runbook, each with the sensor that runs it (`packs.sensors`): every rule Falco's files
 * carry (disabled ones too), and every enabled one Tetragon runs in its Tetragon form instead.
 */
export function runbooksOf(packs: PacksPlan | undefined): RunbookOf[] {
  if (!packs) return [];
  const tetragonRules = new Map(packs.tetragonRules.map((r) => [r.id, r]));
  return [
    ...packs.rules.map((rule): RunbookOf => ({ rule, by: { sensor: 'falco' } })),
    ...packs.sensors.flatMap((p): RunbookOf[] => {
      const rule = tetragonRules.get(p.id);
      return p.sensor === 'tetragon' && rule && p.tetragonDetections !== undefined
        ? [{ rule, by: { sensor: 'tetragon', detection: p.tetragonDetections.join('`, `') } }] : [];
    }),
  ];
}

/**
 * Writes the REPORT.md of the stacks of one app and the runbook of every pack rule they carry
 * (`runbooks/<id>.md`, for the sensor that runs it) and stack-health alert into `outdir`, next to their manifests. Returns the files written.
 */
export function writeStackReports(outdir: string, plans: readonly StackPlan[]): string[] {
  mkdirSync(outdir, { recursive: true });
  const report = join(outdir, REPORT_FILE);
  writeFileSync(report, renderReports(plans));
  const written = [report];
  for (const plan of plans) {
    const runbooks = runbooksOf(plan.packs);
    if (runbooks.length > 0) written.push(...writeRunbooks(outdir, runbooks, investigationSettingsOf(plan)));
    // The stack-health alerts' runbooks (runbooks/stack-health/<AlertName>.md), which their runbook_url names.
    written.push(...writeAlertRunbooks(outdir, plan.monitoring));
  }
  // The audit.k8s.io Policy aligned with the detections, for self-managed control planes (managed ones accept none).
  const policy = plans.find((p) => p.audit)?.audit?.kubernetes.policy;
  if (policy) written.push(writeAuditPolicyFile(outdir, policy));
  return written;
}
