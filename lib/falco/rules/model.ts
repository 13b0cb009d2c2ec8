/**
 * The typed model of a Falco rules file (Falco 0.44): a file is an ordered list of items.
 * Field names follow the YAML keys in camelCase; the loader and the emitter map them.
 */

/** Falco's priorities, most severe first, in their canonical (upper-case) form. */
export const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'] as const;
export type Priority = typeof PRIORITIES[number];

/**
 * Parses a priority as Falco does: case-insensitive, `info` accepted for `INFORMATIONAL`.
 * @returns the canonical priority, or `undefined` when the text names none.
 */
export function parsePriority(text: string): Priority | undefined {
  const upper = text.toUpperCase();
  if (upper === 'INFO') return 'INFORMATIONAL';
  return (PRIORITIES as readonly string[]).includes(upper) ? (upper as Priority) : undefined;
}

/** The spelling written to rules files: upper case, `INFO` for `INFORMATIONAL` (as the upstream rules do). */
export function formatPriority(priority: Priority): string {
  return priority === 'INFORMATIONAL' ? 'INFO' : priority;
}

/** 0 for EMERGENCY ... 7 for DEBUG: a smaller number is more severe. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/** How an `override` entry changes the earlier definition of a key. */
export type OverrideMode = 'append' | 'replace';

/** `- required_engine_version: 0.50.0` (a semver string, or a legacy integer). */
export interface RequiredEngineVersion {
  readonly kind: 'required_engine_version';
  /** As written: `0.50.0`, or a legacy integer such as `26`. */
  readonly version: string;
}

/** One plugin a rules file needs, with accepted alternatives. */
export interface PluginRequirement {
  /** Plugin name, e.g. `k8saudit`. */
  readonly name: string;
  /** Minimum version (semver), e.g. `0.7.0`. */
  readonly version: string;
  /**
   * Other plugins that satisfy the requirement.
   * @default - none
   */
  readonly alternatives?: readonly { readonly name: string; readonly version: string }[];
}

/** `- required_plugin_versions: [...]`. */
export interface RequiredPluginVersions {
  readonly kind: 'required_plugin_versions';
  readonly plugins: readonly PluginRequirement[];
}

/** `- list: name`. */
export interface ListItem {
  readonly kind: 'list';
  readonly name: string;
  /** The items, as strings; an item naming a list defined earlier is replaced by that list's items. */
  readonly items: readonly string[];
  /**
   * Legacy `append: true`: add the items to an earlier list of the same name.
   * @default false
   */
  readonly append?: boolean;
  /**
   * `override: { items: append | replace }`.
   * @default - a new definition (replaces any earlier list of the same name)
   */
  readonly override?: { readonly items?: OverrideMode };
}

/** `- macro: name`. */
export interface MacroItem {
  readonly kind: 'macro';
  readonly name: string;
  /** The condition text. Build it safely with the condition builder and `print()`. */
  readonly condition: string;
  /**
   * Legacy `append: true`: `condition` is appended to the earlier macro's condition.
   * @default false
   */
  readonly append?: boolean;
  /**
   * `override: { condition: append | replace }`.
   * @default - a new definition
   */
  readonly override?: { readonly condition?: OverrideMode };
}

/**
 * One exception of a rule. With `fields` a single field, `comps` is one operator (default `in`)
 * and `values` a list of strings; with `fields` a list, `comps` is a list of the same length
 * (default all `=`) and each value is a list with one entry per field (an entry may itself be
 * a list, for list operators).
 */
export interface RuleException {
  readonly name: string;
  /** @default - none (allowed only when appending to an exception defined earlier) */
  readonly fields?: string | readonly string[];
  /** @default `in` for a single field, `=` for each of several fields */
  readonly comps?: string | readonly string[];
  /** @default - none */
  readonly values?: readonly ExceptionValue[];
}

/** A value of an exception: a string (single field) or one entry per field. */
export type ExceptionValue = string | readonly (string | readonly string[])[];

/** Keys of a rule that an `override` may name. */
export type RuleOverridableKey =
  | 'desc' | 'condition' | 'output' | 'priority' | 'tags' | 'exceptions' | 'enabled'
  | 'warn_evttypes' | 'skip-if-unknown-filter' | 'capture' | 'capture_duration';

/** Keys a rule `override` may `append` to; all keys may be replaced. */
export const RULE_APPENDABLE_KEYS: readonly RuleOverridableKey[] = ['condition', 'output', 'desc', 'tags', 'exceptions'];
export const RULE_REPLACEABLE_KEYS: readonly RuleOverridableKey[] = [
  'condition', 'output', 'desc', 'priority', 'capture', 'capture_duration', 'tags', 'exceptions',
  'enabled', 'warn_evttypes', 'skip-if-unknown-filter',
];

/**
 * `- rule: name`. A new definition needs `desc`, `condition`, `output` and `priority`;
 * an item with `override` (or legacy `append`) changes an earlier rule; an item with only
 * `enabled` enables or disables an earlier rule (deprecated by Falco in favour of
 * `override: { enabled: replace }`).
 */
export interface RuleItem {
  readonly kind: 'rule';
  readonly name: string;
  /** @default - none (required for a new rule) */
  readonly desc?: string;
  /** @default - none (required for a new rule) */
  readonly condition?: string;
  /** @default - none (required for a new rule) */
  readonly output?: string;
  /** @default - none (required for a new rule) */
  readonly priority?: Priority;
  /**
   * The event source: `syscall`, `k8s_audit`, `aws_cloudtrail`, ...
   * @default 'syscall'
   */
  readonly source?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** @default - no tags */
  readonly tags?: readonly string[];
  /** @default - no exceptions */
  readonly exceptions?: readonly RuleException[];
  /**
   * Warn when the condition has no `evt.type` restriction.
   * @default true
   */
  readonly warnEvttypes?: boolean;
  /**
   * Skip (with a warning) instead of failing when the condition uses a field the engine does not know.
   * @default false
   */
  readonly skipIfUnknownFilter?: boolean;
  /** @default false */
  readonly capture?: boolean;
  /** Milliseconds. @default - Falco's configured default */
  readonly captureDuration?: number;
  /**
   * Legacy `append: true`: append `condition` and `exceptions` to an earlier rule.
   * @default false
   */
  readonly append?: boolean;
  /**
   * `override: { <key>: append | replace }`.
   * @default - a new definition
   */
  readonly override?: { readonly [K in RuleOverridableKey]?: OverrideMode };
}

/** One item of a rules file, in file order. */
export type RulesFileItem = RequiredEngineVersion | RequiredPluginVersions | ListItem | MacroItem | RuleItem;
