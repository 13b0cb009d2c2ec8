import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  InvestigationQuery, InvestigationQuestion, InvestigationSettings, investigationQueries, QUESTION_TEXT, ALERT_PLACEHOLDERS,
} from './queries';
import { PROVIDER_PROFILES } from '../core/providers';
import type { PackRule } from '../packs/types';

/** The order the first questions are asked in, by what the alert is about. */
const QUESTION_ORDER: Readonly<Record<PackRule['source'], readonly InvestigationQuestion[]>> = {
  syscall: ['redeployed', 'image-changed', 'privileged-change', 'secret-or-binding-change', 'cloud-identity-change'],
  k8s_audit: ['identity-activity', 'privileged-change', 'secret-or-binding-change', 'redeployed', 'cloud-identity-change'],
};

const FENCE: Readonly<Record<InvestigationQuery['language'], string>> = {
  'CloudWatch Logs Insights': 'text',
  'Athena SQL': 'sql',
  'OCI Logging search': 'text',
  'KQL': 'kql',
};

/** The path of a rule's runbook, relative to the folder the manifests are written to. */
export function runbookPath(ruleId: string): string {
  return `runbooks/${ruleId}.md`;
}

function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * Which sensor runs a pack rule (the stack plan's `packs.sensors`): Falco loads the rule, or Tetragon runs the
 * rule's Tetragon form as one of its detections and the Falco rule is not loaded.
 */
export type RunbookSensor = { readonly sensor: 'falco' } | { readonly sensor: 'tetragon'; readonly detection: string };

const FALCO: RunbookSensor = { sensor: 'falco' };

function sourceText(rule: PackRule, by: RunbookSensor): string {
  if (by.sensor === 'tetragon') return `Tetragon detection \`${by.detection}\` (TracingPolicies; this Falco rule is not loaded)`;
  return rule.source === 'syscall' ? 'syscall (Falco runtime sensor)' : 'k8s_audit (Falco k8saudit plugin)';
}

function silenceText(rule: PackRule, by: RunbookSensor): string {
  if (by.sensor === 'tetragon') {
    return '- Tetragon runs this detection, so Falco exceptions and `allowedImages` / `allowedBinaries` do not reach it: scope it by namespace '
      + '(`packs.namespaces`), or give the pattern back to Falco (`sensors.ownership`, `sensor: \'falco\'`) to tune it with exceptions.';
  }
  return `- To silence a known cause, add a Falco exception for \`${rule.id}\` (\`exceptions\`), or widen \`allowedImages\` / \`allowedBinaries\` / \`trustedIdentities\`.`;
}

/** A rule's runbook for one stack, as Markdown, for the sensor that runs it (Falco unless `by` says Tetragon). Pure. */
export function renderRunbook(rule: PackRule, settings: InvestigationSettings, by: RunbookSensor = FALCO): string {
  const profile = PROVIDER_PROFILES[settings.provider];
  const queries = investigationQueries(settings);
  const order = QUESTION_ORDER[rule.source];
  const lines: string[] = [
    `# ${rule.name}`,
    '',
    by.sensor === 'tetragon'
      ? `Runbook \`${rule.id}\`: Tetragon runs this rule as its detection \`${by.detection}\`; every alert of it carries the tags \`runbook:${rule.id}\` and \`detection:${by.detection}\`.`
      : `Runbook \`${rule.id}\`: every alert of this rule ends with \`runbook=${rule.id}\` and carries the tag \`runbook:${rule.id}\`.`,
    '',
    '| | |',
    '|---|---|',
    `| Priority | ${rule.priority} |`,
    `| Confidence | ${rule.confidence} |`,
    `| Owner | ${tableCell(rule.owner)} |`,
    `| Source | ${sourceText(rule, by)} |`,
    `| MITRE ATT&CK | ${[...rule.mitre.tactics, ...rule.mitre.techniques].join(', ')} |`,
    `| Cluster | ${tableCell(settings.cluster)} (${profile.displayName}) |`,
    `| Product namespaces | ${settings.namespaces.join(', ')} |`,
    `| Enabled | ${rule.enabled ? 'yes' : 'no (disabledRules)'} |`,
    '',
    '## What the alert means',
    '',
    rule.description,
    '',
    rule.runbook.meaning,
    '',
    '## First questions',
    '',
    ...[...rule.runbook.questions, ...order.map((q) => QUESTION_TEXT[q])].map((q, i) => `${i + 1}. ${q}`),
    '',
    `## Queries on ${profile.displayName}`,
    '',
    `Filled with this stack's names. Replace \`${ALERT_PLACEHOLDERS.user}\` with the user of the alert and narrow to the alert's namespace and pod.`,
    ...(settings.provider === 'oke'
      ? ['', 'OKE: written to the OCI Logging query language; check the `_Audit` field names of Kubernetes API-server events in your tenancy '
        + `(they were not verified against a live one)${settings.ociCompartmentId ? '' : ', and set the compartment OCID (audit.cloud.ociCompartmentId)'}.`]
      : []),
    '',
  ];
  for (const question of order) {
    for (const q of queries.filter((x) => x.question === question)) {
      lines.push(`### ${QUESTION_TEXT[question]}`, '', `${q.language}, on ${q.target}:`, '', `\`\`\`${FENCE[q.language]}`, q.text, '```', '');
    }
  }
  lines.push(
    '## Known benign causes and tuning',
    '',
    ...rule.runbook.benignCauses.map((c) => `- ${c}`),
    silenceText(rule, by),
    `- To turn the rule off: \`disabledRules: ['${rule.id}']\`. To change who answers it: \`owners: { '${rule.id}': '<team>' }\`.`,
    '',
    '## Response',
    '',
    rule.responseHook
      ? `Automated response \`${rule.responseHook}\` is enabled for this rule by name (tag \`response:${rule.responseHook}\`).`
      : 'No automated response: a person decides. Response hooks are only allowed on high-confidence rules at CRITICAL or above, enabled by name.',
    '',
  );
  return lines.join('\n');
}

/** A pack rule with the sensor that runs it, for `writeRunbooks`. */
export interface RunbookOf {
  readonly rule: PackRule;
  readonly by: RunbookSensor;
}

/**
 * Writes one runbook per rule under `<outdir>/runbooks/` and returns the paths written. A bare rule is Falco's; give
 * `{ rule, by }` for one Tetragon runs.
 */
export function writeRunbooks(outdir: string, rules: readonly (PackRule | RunbookOf)[], settings: InvestigationSettings): string[] {
  const dir = join(outdir, 'runbooks');
  mkdirSync(dir, { recursive: true });
  return rules.map((r) => {
    const { rule, by } = 'by' in r ? r : { rule: r, by: FALCO };
    const file = join(outdir, runbookPath(rule.id));
    writeFileSync(file, renderRunbook(rule, settings, by));
    return file;
  });
}
