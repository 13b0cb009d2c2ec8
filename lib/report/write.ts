import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { investigationSettingsOf } from './investigation-settings';
import { renderReportMarkdown } from './markdown';
import { writeAuditPolicyFile } from '../audit/policy-file';
import { writeRunbooks } from '../investigation/runbook';
import { writeAlertRunbooks } from '../monitoring/report';
import type { StackPlan } from '../stack/plan';

export const REPORT_FILE = 'REPORT.md';

/** Several stacks in one app: one report, each stack's section after the other. */
export function renderReports(plans: readonly StackPlan[]): string {
  return plans.map((p) => renderReportMarkdown(p)).join('\n');
}

/**
 * Writes the REPORT.md of the stacks of one app and the runbook of every pack rule they carry
 * (`runbooks/<id>.md`) and stack-health alert into `outdir`, next to their manifests. Returns the files written.
 */
export function writeStackReports(outdir: string, plans: readonly StackPlan[]): string[] {
  mkdirSync(outdir, { recursive: true });
  const report = join(outdir, REPORT_FILE);
  writeFileSync(report, renderReports(plans));
  const written = [report];
  for (const plan of plans) {
    const rules = plan.packs?.rules ?? [];
    if (rules.length > 0) written.push(...writeRunbooks(outdir, rules, investigationSettingsOf(plan)));
    // The stack-health alerts' runbooks (runbooks/stack-health/<AlertName>.md), which their runbook_url names.
    written.push(...writeAlertRunbooks(outdir, plan.monitoring));
  }
  // The audit.k8s.io Policy aligned with the detections, for self-managed control planes (managed ones accept none).
  const policy = plans.find((p) => p.audit)?.audit?.kubernetes.policy;
  if (policy) written.push(writeAuditPolicyFile(outdir, policy));
  return written;
}
