import { escapeCell } from './compliance';
import type { CoverageReport } from './coverage';
import { FALCO_DEFAULT_RULES_TAGS, K8SAUDIT_RULES_TAGS } from '../falco/rules/default-rules-names.generated';
import type { StackPlan } from '../stack/plan';

/**
 * The MITRE ATT&CK for Containers matrix (attack.mitre.org/matrices/enterprise/containers/, ATT&CK v18.1): its tactics and
 * every technique and sub-technique of the Containers platform under each, by identifier (a sub-technique's name is
 * `<technique>: <sub-technique>`). Facts from mitre/cti as data; `test/report/attack-matrix.test.ts` holds them to
 * mitre/cti's STIX objects (tag ATT&CK-v18.1).
 */
export const ATTACK_CONTAINERS_VERSION = 'ATT&CK v18.1';

export interface AttackTechnique {
  readonly id: string;
  readonly name: string;
}

export const ATTACK_CONTAINERS_MATRIX: readonly { readonly tactic: string; readonly techniques: readonly AttackTechnique[] }[] = [
  {
    tactic: 'Initial Access',
    techniques: [
      { id: 'T1078', name: 'Valid Accounts' },
      { id: 'T1078.001', name: 'Valid Accounts: Default Accounts' },
      { id: 'T1078.003', name: 'Valid Accounts: Local Accounts' },
      { id: 'T1133', name: 'External Remote Services' },
      { id: 'T1190', name: 'Exploit Public-Facing Application' },
    ],
  },
  {
    tactic: 'Execution',
    techniques: [
      { id: 'T1053', name: 'Scheduled Task/Job' },
      { id: 'T1053.007', name: 'Scheduled Task/Job: Container Orchestration Job' },
      { id: 'T1059.013', name: 'Command and Scripting Interpreter: Container CLI/API' },
      { id: 'T1204', name: 'User Execution' },
      { id: 'T1204.003', name: 'User Execution: Malicious Image' },
      { id: 'T1609', name: 'Container Administration Command' },
      { id: 'T1610', name: 'Deploy Container' },
    ],
  },
  {
    tactic: 'Persistence',
    techniques: [
      { id: 'T1053', name: 'Scheduled Task/Job' },
      { id: 'T1053.007', name: 'Scheduled Task/Job: Container Orchestration Job' },
      { id: 'T1078', name: 'Valid Accounts' },
      { id: 'T1078.001', name: 'Valid Accounts: Default Accounts' },
      { id: 'T1078.003', name: 'Valid Accounts: Local Accounts' },
      { id: 'T1098', name: 'Account Manipulation' },
      { id: 'T1098.006', name: 'Account Manipulation: Additional Container Cluster Roles' },
      { id: 'T1133', name: 'External Remote Services' },
      { id: 'T1136', name: 'Create Account' },
      { id: 'T1136.001', name: 'Create Account: Local Account' },
      { id: 'T1525', name: 'Implant Internal Image' },
      { id: 'T1543', name: 'Create or Modify System Process' },
      { id: 'T1543.005', name: 'Create or Modify System Process: Container Service' },
    ],
  },
  {
    tactic: 'Privilege Escalation',
    techniques: [
      { id: 'T1053', name: 'Scheduled Task/Job' },
      { id: 'T1053.007', name: 'Scheduled Task/Job: Container Orchestration Job' },
      { id: 'T1068', name: 'Exploitation for Privilege Escalation' },
      { id: 'T1078', name: 'Valid Accounts' },
      { id: 'T1078.001', name: 'Valid Accounts: Default Accounts' },
      { id: 'T1078.003', name: 'Valid Accounts: Local Accounts' },
      { id: 'T1098', name: 'Account Manipulation' },
      { id: 'T1098.006', name: 'Account Manipulation: Additional Container Cluster Roles' },
      { id: 'T1543', name: 'Create or Modify System Process' },
      { id: 'T1543.005', name: 'Create or Modify System Process: Container Service' },
      { id: 'T1611', name: 'Escape to Host' },
    ],
  },
  {
    tactic: 'Defense Evasion',
    techniques: [
      { id: 'T1036', name: 'Masquerading' },
      { id: 'T1036.005', name: 'Masquerading: Match Legitimate Resource Name or Location' },
      { id: 'T1036.010', name: 'Masquerading: Masquerade Account Name' },
      { id: 'T1070', name: 'Indicator Removal' },
      { id: 'T1078', name: 'Valid Accounts' },
      { id: 'T1078.001', name: 'Valid Accounts: Default Accounts' },
      { id: 'T1078.003', name: 'Valid Accounts: Local Accounts' },
      { id: 'T1550', name: 'Use Alternate Authentication Material' },
      { id: 'T1550.001', name: 'Use Alternate Authentication Material: Application Access Token' },
      { id: 'T1562', name: 'Impair Defenses' },
      { id: 'T1562.001', name: 'Impair Defenses: Disable or Modify Tools' },
      { id: 'T1610', name: 'Deploy Container' },
      { id: 'T1612', name: 'Build Image on Host' },
    ],
  },
  {
    tactic: 'Credential Access',
    techniques: [
      { id: 'T1110', name: 'Brute Force' },
      { id: 'T1110.001', name: 'Brute Force: Password Guessing' },
      { id: 'T1110.003', name: 'Brute Force: Password Spraying' },
      { id: 'T1110.004', name: 'Brute Force: Credential Stuffing' },
      { id: 'T1528', name: 'Steal Application Access Token' },
      { id: 'T1552', name: 'Unsecured Credentials' },
      { id: 'T1552.001', name: 'Unsecured Credentials: Credentials In Files' },
      { id: 'T1552.007', name: 'Unsecured Credentials: Container API' },
    ],
  },
  {
    tactic: 'Discovery',
    techniques: [
      { id: 'T1046', name: 'Network Service Discovery' },
      { id: 'T1069', name: 'Permission Groups Discovery' },
      { id: 'T1613', name: 'Container and Resource Discovery' },
    ],
  },
  {
    tactic: 'Lateral Movement',
    techniques: [
      { id: 'T1550', name: 'Use Alternate Authentication Material' },
      { id: 'T1550.001', name: 'Use Alternate Authentication Material: Application Access Token' },
    ],
  },
  {
    tactic: 'Impact',
    techniques: [
      { id: 'T1485', name: 'Data Destruction' },
      { id: 'T1490', name: 'Inhibit System Recovery' },
      { id: 'T1496', name: 'Resource Hijacking' },
      { id: 'T1496.001', name: 'Resource Hijacking: Compute Hijacking' },
      { id: 'T1496.002', name: 'Resource Hijacking: Bandwidth Hijacking' },
      { id: 'T1498', name: 'Network Denial of Service' },
      { id: 'T1499', name: 'Endpoint Denial of Service' },
    ],
  },
];

/** A technique tag: `T1611`, `T1552.007`. */
const TECHNIQUE_TAG = /^T\d{4}(\.\d{3})?$/;

/** One cell of the matrix as the stack's rules cover it. */
export interface AttackCoverage {
  readonly tactic: string;
  readonly technique: AttackTechnique;
  /** The running detections tagged with it (or with one of its sub-techniques). */
  readonly by: readonly string[];
}

/** A rule's technique tag covers an entry of the matrix when it is the entry or one of its sub-techniques. */
export function tagCovers(tag: string, entry: string): boolean {
  return tag === entry || tag.startsWith(`${entry}.`);
}

/** How a default rule is named in the matrix: `Terminal shell in container (Falco default)`. */
export const DEFAULT_RULE_SUFFIX = ' (Falco default)';

/**
 * The running detections with their tags: Falco's custom and pack rules (syscall and k8s_audit), Tetragon's detections,
 * and the default rules the sensors load (the pinned image's falco_rules.yaml unless loadDefaultRules is false; the
 * k8saudit ruleset the audit Falco installs), with their tags from the generated facts, less those a tuning disables.
 */
export function runningDetectionTags(plan: StackPlan, coverage: CoverageReport): { readonly name: string; readonly tags: readonly string[] }[] {
  const items = [...(plan.falco?.rules.items ?? []), ...(plan.falco?.auditRules.items ?? [])];
  const ruleTags = new Map(items.flatMap((i) => (i.kind === 'rule' && i.condition !== undefined && !i.override && !i.append ? [[i.name, i.tags ?? []] as const] : [])));
  const tetragonTags = new Map((plan.tetragon?.detections ?? []).map((d) => [`tetragon:${d.id}`, d.tags ?? []]));
  const own = coverage.detections.filter((d) => d.enabled && !d.inactiveBecause)
    .map((d) => ({ name: d.name, tags: [...(ruleTags.get(d.name) ?? tetragonTags.get(d.name) ?? [])] }));
  const disabled = new Set([...(plan.falco?.tuning ?? []), ...(plan.falco?.auditTuning ?? [])]
    .filter((t) => t.item.enabled === false).map((t) => t.rule));
  const defaults = (tags: Readonly<Record<string, readonly string[]>>) => Object.entries(tags)
    .filter(([name]) => !disabled.has(name)).map(([name, t]) => ({ name: `${name}${DEFAULT_RULE_SUFFIX}`, tags: [...t] }));
  return [
    ...own,
    ...(plan.falco?.defaultRulesLoaded === true ? defaults(FALCO_DEFAULT_RULES_TAGS) : []),
    ...(plan.k8sauditFalco !== undefined ? defaults(K8SAUDIT_RULES_TAGS) : []),
  ];
}

/**
 * The matrix against the technique tags of the detections that run (see {@link runningDetectionTags}), the default
 * rules included. Also returns the technique tags that name nothing of the Containers matrix (e.g. T1059, an Enterprise
 * technique).
 */
export function attackCoverage(plan: StackPlan, coverage: CoverageReport): {
  readonly cells: readonly AttackCoverage[];
  readonly outsideMatrix: readonly string[];
} {
  const running = runningDetectionTags(plan, coverage);
  const cells = ATTACK_CONTAINERS_MATRIX.flatMap(({ tactic, techniques }) => techniques.map((technique) => ({
    tactic,
    technique,
    by: running.filter((d) => d.tags.some((t) => tagCovers(t, technique.id))).map((d) => d.name),
  })));
  const entries = ATTACK_CONTAINERS_MATRIX.flatMap((t) => t.techniques.map((x) => x.id));
  const outside = (t: string) => TECHNIQUE_TAG.test(t) && !entries.some((e) => tagCovers(t, e));
  const outsideMatrix = [...new Set(running.flatMap((d) => d.tags.filter(outside)))].sort();
  return { cells, outsideMatrix };
}

/** The REPORT.md section: every technique of the matrix with the detections tagged with it. */
export function attackLines(plan: StackPlan, coverage: CoverageReport): string[] {
  const { cells, outsideMatrix } = attackCoverage(plan, coverage);
  const covered = new Set(cells.filter((c) => c.by.length > 0).map((c) => c.technique.id));
  const all = new Set(cells.map((c) => c.technique.id));
  return [
    `## MITRE ATT&CK for Containers (${ATTACK_CONTAINERS_VERSION})`,
    '',
    `${covered.size} of ${all.size} techniques and sub-techniques have a running detection tagged with them (or with a sub-technique).`
      + ' Falco\'s default rules the sensors load are counted, named `(Falco default)`, less those a tuning disables.',
    '',
    '| tactic | technique | detections |',
    '|---|---|---|',
    ...cells.map((c) => `| ${c.tactic} | ${c.technique.id} ${c.technique.name} | ${c.by.length > 0 ? escapeCell(c.by.join(', ')) : '-'} |`),
    '',
    ...(outsideMatrix.length > 0 ? [`Technique tags outside the Containers matrix: ${outsideMatrix.join(', ')}.`, ''] : []),
  ];
}
