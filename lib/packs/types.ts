import type { Priority } from '../falco/rules/model';

/** How sure a rule is that a match is malicious rather than unusual but legitimate. */
export type Confidence = 'high' | 'medium' | 'low';
export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

/**
 * The seed threat scenarios the coverage report is drawn against.
 * Every pack rule names the scenarios it detects.
 */
export type ThreatScenario =
  | 'shell-access'
  | 'file-system-changes'
  | 'unexpected-processes'
  | 'network-anomalies'
  | 'privilege-escalation'
  | 'kubernetes-activity'
  | 'cloud-identity-changes';

export const THREAT_SCENARIOS: readonly ThreatScenario[] = [
  'shell-access', 'file-system-changes', 'unexpected-processes', 'network-anomalies',
  'privilege-escalation', 'kubernetes-activity', 'cloud-identity-changes',
];

/** MITRE ATT&CK tactics as Falco rules tag them (`mitre_<tactic>`). */
export type MitreTactic =
  | 'mitre_initial_access' | 'mitre_execution' | 'mitre_persistence' | 'mitre_privilege_escalation'
  | 'mitre_defense_evasion' | 'mitre_credential_access' | 'mitre_discovery' | 'mitre_lateral_movement'
  | 'mitre_collection' | 'mitre_command_and_control' | 'mitre_exfiltration' | 'mitre_impact';

/** The ATT&CK mapping of a rule: tactics (`mitre_execution`) and technique IDs (`T1059`, `T1548.003`). */
export interface MitreMapping {
  readonly tactics: readonly MitreTactic[];
  readonly techniques: readonly string[];
}

/** The packs this project ships. */
export type PackName = 'runtime' | 'k8s-audit';

/** The Falco event source a pack rule is written for. */
export type PackSource = 'syscall' | 'k8s_audit';

/** What the runbook of a rule says beyond what every runbook says. */
export interface RunbookText {
  /** What a match means, in one or two sentences. */
  readonly meaning: string;
  /** Rule-specific first questions, asked before the generic ones. */
  readonly questions: readonly string[];
  /** Known legitimate causes, and how to tune them away. */
  readonly benignCauses: readonly string[];
}

/**
 * One detection of a pack, resolved for a stack: the rendered Falco rule plus the facts the
 * runbooks, the report and the guardrails need. Plain data.
 */
export interface PackRule {
  /** Stable ID, also the runbook ID: `ds-<kebab>`. */
  readonly id: string;
  /** The Falco rule name. */
  readonly name: string;
  readonly pack: PackName;
  readonly source: PackSource;
  readonly description: string;
  /** The condition text, built with the safe condition builder. */
  readonly condition: string;
  /** The output format, carrying the investigation fields and the runbook ID. */
  readonly output: string;
  readonly priority: Priority;
  readonly confidence: Confidence;
  readonly mitre: MitreMapping;
  readonly scenarios: readonly ThreatScenario[];
  /** The team that answers this rule's alerts. */
  readonly owner: string;
  /** Every tag written to the Falco rule (MITRE, confidence, owner, runbook, response hook). */
  readonly tags: readonly string[];
  /** Whether the rule is loaded enabled. */
  readonly enabled: boolean;
  /** The sensor-neutral pattern (`shell-in-container`, ...) Tetragon also detects. @default none */
  readonly pattern?: string;
  /** The response hook enabled for this rule, by action name. @default none */
  readonly responseHook?: string;
  readonly runbook: RunbookText;
}
