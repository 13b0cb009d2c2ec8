import { compileConditionFast } from './codegen';
import { CompiledCondition, FieldTypeLookup } from './compile';
import { K8S_AUDIT_SOURCE, isK8sAuditEvent } from './k8s-audit';
import { CompiledOutput, compileOutput } from './output';
import { EvaluatorError } from './values';
import { Expr } from '../language/ast';
import { lookupField } from '../language/fields';
import { EventTypeSet, eventTypeMatches, eventTypesOf } from '../rules/event-types';

export { EvaluatorError } from './values';
export type { FieldTypeInfo, FieldTypeLookup } from './compile';

/** The event source of system-call events. */
export const SYSCALL_SOURCE = 'syscall';

/** `rule_matching` of falco.yaml: stop at the first matching rule, or report every one. */
export type RuleMatching = 'first' | 'all';

/** A rule as the evaluator runs it: its condition resolved (macros expanded, lists inlined). */
export interface EvaluatorRule {
  readonly name: string;
  /** The resolved condition. */
  readonly condition: Expr;
  /** The output format (`... %proc.name ...`). */
  readonly output: string;
  /** Falco's priority, any case (`WARNING`, `Warning`, `warning`, `INFO`). */
  readonly priority: string;
  /**
   * The event source.
   * @default 'syscall'
   */
  readonly source?: string;
  /**
   * A disabled rule is never evaluated.
   * @default true
   */
  readonly enabled?: boolean;
}

/** One rule that fired on one event. */
export interface Detection {
  readonly rule: string;
  /** As Falco prints it: `Warning`, `Critical`, `Informational`, ... */
  readonly priority: string;
  readonly source: string;
  /** The rule's output with the event's fields filled in (`<NA>` for missing ones). */
  readonly output: string;
}

export interface RuleEvaluatorOptions {
  /**
   * `first` stops at the first matching rule in load order (Falco's default), `all` reports every match.
   * @default 'first'
   */
  readonly ruleMatching?: RuleMatching;
  /**
   * The types of the fields, per source (for typed comparisons: numbers, IP addresses, booleans, lists).
   * @default - the field catalogue of this module ({@link catalogueFieldTypes})
   */
  readonly fieldTypes?: FieldTypeLookup;
}

const ALL_TYPES: EventTypeSet = { kind: 'any' };

function restricts(set: EventTypeSet): boolean {
  return set.kind !== 'any';
}

const PRIORITY_DISPLAY: Readonly<Record<string, string>> = {
  EMERGENCY: 'Emergency',
  ALERT: 'Alert',
  CRITICAL: 'Critical',
  ERROR: 'Error',
  WARNING: 'Warning',
  NOTICE: 'Notice',
  INFORMATIONAL: 'Informational',
  INFO: 'Informational',
  DEBUG: 'Debug',
};

/** A priority as Falco prints it in alerts (`Warning`); unknown names are kept as written. */
export function displayPriority(priority: string): string {
  return PRIORITY_DISPLAY[priority.toUpperCase()] ?? priority;
}

interface CompiledRule {
  readonly name: string;
  readonly priority: string;
  readonly source: string;
  readonly types: EventTypeSet;
  readonly matches: CompiledCondition;
  readonly render: CompiledOutput;
}

const NO_DETECTIONS: readonly Detection[] = Object.freeze([]);

/** The source of an event: `k8s_audit` for an audit.k8s.io Event, else its `evt.source`, else `syscall`. */
export function eventSource(event: unknown): string {
  if (isK8sAuditEvent(event)) return K8S_AUDIT_SOURCE;
  const declared = (event as Record<string, unknown> | null)?.['evt.source'];
  return typeof declared === 'string' ? declared : SYSCALL_SOURCE;
}

/** An audit EventList is several events: evaluating it as one would silently match nothing. */
function rejectEventList(event: unknown): void {
  if ((event as Record<string, unknown> | null)?.kind === 'EventList') {
    throw new EvaluatorError('EVAL_EVENT_LIST', 'an audit EventList holds several events: evaluate each of its items (see splitK8sAuditEvents)');
  }
}

/** Field types from the catalogue (syscall with the container and k8smeta fields, k8s_audit, aws_cloudtrail). */
export const catalogueFieldTypes: FieldTypeLookup = (source, name) => {
  const found = lookupField(source, name);
  return found && { type: found.field.type, isList: found.field.isList };
};

/**
 * Runs a resolved rule set over events with Falco's semantics: enabled rules only, in load
 * order; syscall rules indexed by the event types their condition allows; `first` or `all` matching.
 * Conditions and outputs are compiled once, here.
 */
export class RuleEvaluator {
  public readonly ruleMatching: RuleMatching;
  private readonly rulesBySource = new Map<string, CompiledRule[]>();
  private readonly syscallByType = new Map<string, readonly CompiledRule[]>();
  private readonly syscallUntyped: readonly CompiledRule[];

  constructor(rules: readonly EvaluatorRule[], options: RuleEvaluatorOptions = {}) {
    this.ruleMatching = options.ruleMatching ?? 'first';
    const lookup = options.fieldTypes ?? catalogueFieldTypes;
    for (const rule of rules) {
      if (rule.enabled === false) continue;
      const source = rule.source ?? SYSCALL_SOURCE;
      let compiled: CompiledRule;
      try {
        compiled = {
          name: rule.name,
          priority: displayPriority(rule.priority),
          source,
          types: source === SYSCALL_SOURCE ? eventTypesOf(rule.condition) : ALL_TYPES,
          matches: compileConditionFast(rule.condition, source, lookup),
          render: compileOutput(rule.output, source, lookup),
        };
      } catch (e) {
        if (e instanceof EvaluatorError) {
          throw new EvaluatorError(e.code, `rule '${rule.name}': ${e.message.slice(e.code.length + 1)}`);
        }
        throw e;
      }
      const list = this.rulesBySource.get(source) ?? [];
      list.push(compiled);
      this.rulesBySource.set(source, list);
    }
    this.syscallUntyped = (this.rulesBySource.get(SYSCALL_SOURCE) ?? []).filter((r) => !restricts(r.types));
  }

  /** The names of the enabled rules of a source, in load order. */
  public ruleNames(source = SYSCALL_SOURCE): string[] {
    return (this.rulesBySource.get(source) ?? []).map((r) => r.name);
  }

  /**
   * The rules that fire on one event. The source is taken from the event when not given
   * (see {@link eventSource}). A syscall event without `evt.type` is checked only against rules
   * with no event-type restriction.
   */
  public evaluate(event: unknown, source: string = eventSource(event)): readonly Detection[] {
    if (source === K8S_AUDIT_SOURCE) rejectEventList(event);
    const candidates = source === SYSCALL_SOURCE ? this.syscallCandidates(event) : this.rulesBySource.get(source);
    if (!candidates) return NO_DETECTIONS;
    let out: Detection[] | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const rule = candidates[i];
      if (!rule.matches(event)) continue;
      const detection: Detection = { rule: rule.name, priority: rule.priority, source: rule.source, output: rule.render(event) };
      if (this.ruleMatching === 'first') return [detection];
      (out ??= []).push(detection);
    }
    return out ?? NO_DETECTIONS;
  }

  /** The names of the rules an event is checked against (its source, and for syscalls its event type), in order. */
  public rulesFor(event: unknown, source: string = eventSource(event)): string[] {
    const candidates = source === SYSCALL_SOURCE ? this.syscallCandidates(event) : this.rulesBySource.get(source) ?? [];
    return candidates.map((r) => r.name);
  }

  /** Whether any rule fires on the event, without rendering outputs (the fast path for streams). */
  public matchesAny(event: unknown, source: string = eventSource(event)): boolean {
    const candidates = source === SYSCALL_SOURCE ? this.syscallCandidates(event) : this.rulesBySource.get(source);
    if (!candidates) return false;
    for (let i = 0; i < candidates.length; i++) if (candidates[i].matches(event)) return true;
    return false;
  }

  private syscallCandidates(event: unknown): readonly CompiledRule[] {
    const type = (event as Record<string, unknown> | null)?.['evt.type'];
    if (typeof type !== 'string') return this.syscallUntyped;
    let rules = this.syscallByType.get(type);
    if (!rules) {
      rules = (this.rulesBySource.get(SYSCALL_SOURCE) ?? []).filter((r) => eventTypeMatches(r.types, type));
      this.syscallByType.set(type, rules);
    }
    return rules;
  }
}
