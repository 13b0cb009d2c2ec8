import { inList } from './language/build';
import { editDistance } from './language/fields';
import { ConditionSyntaxError, parseCondition } from './language/parser';
import { printCondition } from './language/printer';
import { FALCO_DEFAULT_RULES_NAMES, K8SAUDIT_RULES_NAMES } from './rules/default-rules-names.generated';
import { formatPriority, Priority, RuleException, RuleItem, RuleOverridableKey, OverrideMode } from './rules/model';
import { DetectionStackError } from '../core/errors';

/**
 * A change to one rule of Falco's default rules (the image's `/etc/falco/falco_rules.yaml`), made without
 * forking the file: rendered as a Falco `override` item loaded after it. Each change names the team that
 * made it and why, and REPORT.md lists them.
 */
export interface FalcoRuleTuning {
  /** The default rule, by its exact name (e.g. `'Terminal shell in container'`). */
  readonly rule: string;
  /** The team that made the change and answers for it (lowercase letters, digits and '-'). */
  readonly owner: string;
  /** Why, in at least 10 characters: a reviewer reads it in REPORT.md. */
  readonly reason: string;
  /** Turn the rule off. Nothing else may be changed with it. @default false */
  readonly disable?: boolean;
  /** The rule's new priority. @default unchanged */
  readonly priority?: Priority;
  /**
   * Exceptions added to the rule's own (Falco `exceptions`, appended): Falco quotes their values, so
   * they cannot change the rule's condition. Give each a name of its own.
   * @default none
   */
  readonly exceptions?: readonly RuleException[];
  /**
   * A condition the event must also meet: it is parsed and appended as `and (<condition>)`, so it can only
   * narrow the rule (every rule of the pinned default rules file is an `and` at its top). Build it with the
   * condition builder when it carries values.
   * @default none
   */
  readonly appendCondition?: string;
  /**
   * Alert only for these namespaces (appended as `and k8s.ns.name in (...)`, values quoted; for the k8saudit rules
   * `ka.target.namespace`, the namespace of the audited object). @default every namespace
   */
  readonly onlyNamespaces?: readonly string[];
  /** Never alert for these namespaces (an exception on `k8s.ns.name`, or `ka.target.namespace` for the k8saudit rules). @default none */
  readonly exceptNamespaces?: readonly string[];
}

/** One tuning as planned: who, why, what changes (in words, for the report) and the override item. */
export interface FalcoTuningPlan {
  readonly rule: string;
  readonly owner: string;
  readonly reason: string;
  /** The changes in words: `disabled`, `priority WARNING`, `exception 'x' on proc.name`, ... */
  readonly changes: readonly string[];
  /** The `override` item written after the default rules. */
  readonly item: RuleItem;
}

const TEAM_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MIN_REASON = 10;

/** The rules files a tuning can change: Falco's default rules on the nodes, the k8saudit ruleset of the audit Falco. */
export type TunedRuleset = 'falco_rules' | 'k8s_audit_rules';

const RULESETS: Readonly<Record<TunedRuleset, { readonly names: readonly string[]; readonly file: string; readonly namespaceField: string }>> = {
  falco_rules: { names: FALCO_DEFAULT_RULES_NAMES.rules, file: 'Falco\'s default rules (falco_rules.yaml of the pinned image)', namespaceField: 'k8s.ns.name' },
  // The k8saudit plugin's field for the namespace of the object a request acts on (falcosecurity/plugins k8saudit).
  k8s_audit_rules: { names: K8SAUDIT_RULES_NAMES.rules, file: 'the k8saudit ruleset (k8s_audit_rules.yaml)', namespaceField: 'ka.target.namespace' },
};

/**
 * Validates the tunings of the default rules and renders each as an `override` item. Rule names are checked
 * against the names of the pinned image's default rules (or of the k8saudit ruleset); when the default rules file
 * itself is given, the custom-rules load check (DS-FALCO-102) loads the items after it with full semantics.
 * @param where `<stack path>/sensors.falco.tuning` (or `.k8sauditTuning`)
 */
export function planTuning(tunings: readonly FalcoRuleTuning[] | undefined, where: string, defaultRulesLoaded: boolean,
  ruleset: TunedRuleset = 'falco_rules'): FalcoTuningPlan[] {
  if (!tunings || tunings.length === 0) return [];
  if (!defaultRulesLoaded) {
    throw new DetectionStackError('DS-FALCO-031', where, 'tuning changes Falco\'s default rules, but loadDefaultRules is false: there is nothing to tune',
      'remove tuning, or remove loadDefaultRules: false');
  }
  const { names: known, file, namespaceField } = RULESETS[ruleset];
  return tunings.map((t, i) => {
    const at = `${where}[${i}]`;
    if (!known.includes(t.rule)) {
      const hint = closest(t.rule, known);
      throw new DetectionStackError('DS-FALCO-016', `${at}.rule`, `'${t.rule}' is not a rule of ${file}`,
        hint ? `did you mean '${hint}'? Names are exact, with their case` : 'give the exact name of a default rule (`falco -L` lists them); to change a custom rule, change it in customRules');
    }
    return planOne(t, at, i, namespaceField);
  });
}

function planOne(t: FalcoRuleTuning, at: string, index: number, namespaceField: string): FalcoTuningPlan {
  if (!TEAM_NAME.test(t.owner)) {
    throw new DetectionStackError('DS-FALCO-017', `${at}.owner`, `owner '${t.owner}' of the tuning of '${t.rule}' is not a team name`,
      'use the team\'s name in lowercase letters, digits and \'-\' (e.g. \'payments\')');
  }
  if (t.reason.trim().length < MIN_REASON) {
    throw new DetectionStackError('DS-FALCO-023', `${at}.reason`, `the reason for tuning '${t.rule}' has ${t.reason.trim().length} characters, too short to tell a reviewer why`,
      `say in at least ${MIN_REASON} characters why the rule is changed`);
  }
  const changesSomething = t.priority !== undefined || (t.exceptions?.length ?? 0) > 0 || t.appendCondition !== undefined
    || (t.onlyNamespaces?.length ?? 0) > 0 || (t.exceptNamespaces?.length ?? 0) > 0;
  if (t.disable === true && changesSomething) {
    throw new DetectionStackError('DS-FALCO-024', `${at}.disable`, `the tuning of '${t.rule}' disables the rule and also changes it: the changes would never apply`,
      'either disable the rule, or change it (priority, exceptions, appendCondition, namespaces)');
  }
  if (t.disable !== true && !changesSomething) {
    throw new DetectionStackError('DS-FALCO-025', at, `the tuning of '${t.rule}' changes nothing`,
      'set disable, priority, exceptions, appendCondition, onlyNamespaces or exceptNamespaces');
  }
  for (const key of ['onlyNamespaces', 'exceptNamespaces'] as const) {
    (t[key] ?? []).forEach((ns, j) => {
      if (!NAMESPACE.test(ns)) {
        throw new DetectionStackError('DS-FALCO-026', `${at}.${key}[${j}]`, `'${ns}' is not a namespace name`,
          'give a Kubernetes namespace name (lowercase letters, digits and \'-\', at most 63 characters)');
      }
    });
  }

  const override: { [K in RuleOverridableKey]?: OverrideMode } = {};
  const changes: string[] = [];
  const conditions: string[] = [];
  if (t.appendCondition !== undefined) {
    conditions.push(`(${parsedCondition(t.appendCondition, `${at}.appendCondition`, t.rule)})`);
    changes.push(`condition: and (${t.appendCondition.trim()})`);
  }
  if (t.onlyNamespaces && t.onlyNamespaces.length > 0) {
    conditions.push(printCondition(inList(namespaceField, t.onlyNamespaces)));
    changes.push(`only namespaces ${t.onlyNamespaces.join(', ')}`);
  }
  const exceptions: RuleException[] = [...(t.exceptions ?? [])];
  (t.exceptions ?? []).forEach((e) => changes.push(`exception '${e.name}'`));
  if (t.exceptNamespaces && t.exceptNamespaces.length > 0) {
    exceptions.push({ name: `${EXCEPTION_PREFIX}${index}_namespaces`, fields: namespaceField, comps: 'in', values: [...t.exceptNamespaces] });
    changes.push(`except namespaces ${t.exceptNamespaces.join(', ')}`);
  }
  if (conditions.length > 0) override.condition = 'append';
  if (exceptions.length > 0) override.exceptions = 'append';
  if (t.priority !== undefined) {
    override.priority = 'replace';
    changes.push(`priority ${formatPriority(t.priority)}`);
  }
  if (t.disable === true) {
    override.enabled = 'replace';
    changes.push('disabled');
  }
  // The owner of the change is tagged on the rule too, so an alert of a tuned rule names who changed it.
  override.tags = 'append';
  const item: RuleItem = {
    kind: 'rule',
    name: t.rule,
    ...(conditions.length > 0 ? { condition: `and ${conditions.join(' and ')}` } : {}),
    ...(t.priority !== undefined ? { priority: t.priority } : {}),
    ...(exceptions.length > 0 ? { exceptions } : {}),
    ...(t.disable === true ? { enabled: false } : {}),
    tags: [`${TUNED_BY_TAG}${t.owner}`],
    override,
  };
  return { rule: t.rule, owner: t.owner, reason: t.reason.trim(), changes, item };
}

/** The tag a tuned default rule carries: `tuned-by:<team>`. */
export const TUNED_BY_TAG = 'tuned-by:';
/** Name prefix of the namespace exception a tuning adds. */
const EXCEPTION_PREFIX = 'detection_stack_tuning_';

/** Parses a user's condition and prints it back, so only a whole expression is appended (never a fragment that changes the rule's structure). */
function parsedCondition(text: string, where: string, rule: string): string {
  try {
    return printCondition(parseCondition(text));
  } catch (e) {
    if (!(e instanceof ConditionSyntaxError)) throw e;
    throw new DetectionStackError('DS-FALCO-027', where, `the condition appended to '${rule}' does not parse at column ${e.pos.col}: ${e.message}`,
      'give a complete condition (e.g. \'not proc.name in (my_tool)\'); build it with the condition builder when it carries values');
  }
}

/** The known name nearest to `name` (case-insensitive edit distance at most a third of its length), for did-you-mean. */
function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (!best || d < best.d) best = { name: k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}
