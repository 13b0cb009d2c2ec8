import { Diagnostic, DiagnosticCode } from './diagnostics';
import { eventTypesOf, EventTypeSet } from './event-types';
import { ExceptionValue, OverrideMode, PluginRequirement, Priority, RuleException, RuleItem, RulesFileItem } from './model';
import { outputFieldProblems } from './output';
import { ReadItem, readRulesFile, refDiag } from './reader';
import { joinTexts, MappedText, SourceRef, textAt } from './source-text';
import {
  Expr, FieldRef, ListLiteral, NO_POSITION, Node, Operand, StringLiteral,
} from '../language/ast';
import { checkCondition, checkField, CheckIssue } from '../language/checker';
import { isKnownSource, lookupField } from '../language/fields';
import { ConditionSyntaxError, parseCondition } from '../language/parser';

/**
 * Loads Falco rules files in order (like `falco -r a.yaml -r b.yaml`) with the semantics of
 * Falco 0.44's rule loader (userspace/engine/rule_loader_collector.cpp and
 * rule_loader_compiler.cpp): definitions, appends and overrides in file order; lists expanded
 * (a list item may name a list defined before it); macros resolved (a macro may only use macros
 * defined before it, a rule may use any); exceptions compiled into the condition; every
 * condition and output checked against the field catalogue of the rule's source.
 */

/** The rule engine version this tool checks against: Falco 0.44's. */
export const SUPPORTED_ENGINE_VERSION = '0.62.0';

export interface RuleFileInput {
  /** The name used in diagnostics (a path). */
  readonly name: string;
  /** The YAML text. */
  readonly content: string;
}

export interface LoadOptions {
  /**
   * The rule engine version `required_engine_version` is checked against.
   * @default SUPPORTED_ENGINE_VERSION (Falco 0.44)
   */
  readonly engineVersion?: string;
}

/** A rule ready for evaluation. */
export interface ResolvedRule {
  readonly name: string;
  readonly desc: string;
  readonly source: string;
  readonly priority: Priority;
  readonly output: string;
  readonly tags: readonly string[];
  readonly enabled: boolean;
  /**
   * The condition with every macro expanded, every list reference replaced by a `list` node of
   * its items, and the exceptions compiled in (`(cond) and not (exception) ...`).
   */
  readonly condition: Expr;
  /** The condition text after appends and overrides, before exceptions. */
  readonly conditionText: string;
  /** The event types the rule can match (Falco's evt.type index). */
  readonly eventTypes: EventTypeSet;
  readonly warnEvttypes: boolean;
  readonly skipIfUnknownFilter: boolean;
  readonly capture: boolean;
  readonly captureDuration?: number;
  /** Position in Falco's rule order (the order of first definition). */
  readonly index: number;
}

/** The rule set after loading: what an engine would run. */
export interface Ruleset {
  /** Rules that compiled, in Falco's order (enabled and disabled). */
  readonly rules: readonly ResolvedRule[];
  /** The same rules grouped by source (`syscall`, `k8s_audit`, ...), each in Falco's order. */
  readonly bySource: ReadonlyMap<string, readonly ResolvedRule[]>;
  /** Lists with their items expanded. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** Macros with their conditions resolved. */
  readonly macros: ReadonlyMap<string, Expr>;
  /** The highest `required_engine_version` of the files, if any. */
  readonly requiredEngineVersion?: string;
  readonly requiredPluginVersions: readonly (readonly PluginRequirement[])[];
}

export interface LoadResult {
  readonly ruleset: Ruleset;
  /** Errors and warnings, in file order. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when there is no error (warnings allowed). */
  readonly ok: boolean;
  /** The items of each file, as read (what `renderRulesYaml` writes back). */
  readonly files: readonly { readonly name: string; readonly items: readonly RulesFileItem[] }[];
}

/** Loads and checks rules files in order. Never throws on bad input: see `diagnostics`. */
export function loadRuleFiles(files: readonly RuleFileInput[], options: LoadOptions = {}): LoadResult {
  return new Loader(options.engineVersion ?? SUPPORTED_ENGINE_VERSION).load(files);
}

/** Reads the items of one rules file (no compilation): for round trips and tools. */
export function readRuleItems(file: RuleFileInput): { readonly items: readonly RulesFileItem[]; readonly diagnostics: readonly Diagnostic[] } {
  const read = readRulesFile(file.name, file.content);
  return { items: read.items.map((i) => i.item), diagnostics: read.diagnostics };
}

// ---- collected state ----

type Entry = { readonly isList: false; readonly item: string } | { readonly isList: true; readonly items: readonly Entry[] };

interface ExceptionInfo {
  readonly name: string;
  fields?: Entry;
  comps?: Entry;
  values: Entry[];
  readonly at: SourceRef;
}

interface ListInfo {
  readonly name: string;
  readonly index: number;
  visibility: number;
  items: string[];
  at: SourceRef;
}

interface MacroInfo {
  readonly name: string;
  readonly index: number;
  visibility: number;
  text: MappedText;
  at: SourceRef;
}

interface RuleInfo {
  readonly name: string;
  readonly index: number;
  visibility: number;
  source: string;
  desc: string;
  text: MappedText;
  output: MappedText;
  priority: Priority;
  tags: string[];
  enabled: boolean;
  exceptions: ExceptionInfo[];
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  capture: boolean;
  captureDuration?: number;
  at: SourceRef;
  unknownSource: boolean;
}

/** An error that ends the processing of one item or rule. */
class LoadError extends Error {
  constructor(readonly code: DiagnosticCode, message: string, readonly ref: SourceRef) {
    super(message);
  }
}

const LIST_OPERATORS_FOR_EXCEPTIONS = ['in', 'intersects', 'pmatch'];
const MODIFIED_OPERATOR_RE = /^(==|=|!=|contains|icontains|bcontains|startswith|bstartswith|endswith|glob|iglob|regex) (oneof|anyof|allof)$/;
const ALL_OPERATORS = ['exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains',
  'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'];

class Loader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly lists = new Map<string, ListInfo>();
  private readonly macros = new Map<string, MacroInfo>();
  private readonly rules = new Map<string, RuleInfo>();
  private nextIndex = 0;
  private requiredEngineVersion?: string;
  private readonly requiredPluginVersions: PluginRequirement[][] = [];
  /** Where each parsed node comes from. */
  private readonly origins = new WeakMap<object, MappedText>();
  private readonly resolvedLists = new Map<string, readonly string[]>();
  private readonly resolvedMacros = new Map<string, Expr | null>();
  private readonly reported = new Set<string>();
  private readonly itemValues = new Map<string, readonly string[]>();

  constructor(private readonly engineVersion: string) {}

  load(inputs: readonly RuleFileInput[]): LoadResult {
    const files: { name: string; items: RulesFileItem[] }[] = [];
    const reads = inputs.map((input) => readRulesFile(input.name, input.content));
    for (const read of reads) {
      this.diagnostics.push(...read.diagnostics);
      files.push({ name: read.file.name, items: read.items.map((i) => i.item) });
    }
    const readFailed = this.diagnostics.some((d) => d.severity === 'error');
    for (const read of reads) {
      for (const item of read.items) {
        try {
          this.collect(item);
        } catch (e) {
          if (!(e instanceof LoadError)) throw e;
          this.report('error', e.code, e.message, e.ref, describe(item.item));
        }
      }
    }
    const rules: ResolvedRule[] = [];
    if (!readFailed) {
      for (const list of this.lists.values()) this.expandList(list.name, []);
      for (const macro of this.macros.values()) this.macroExpr(macro.name, []);
      for (const rule of [...this.rules.values()].sort((a, b) => a.index - b.index)) {
        const resolved = this.compileRule(rule);
        if (resolved) rules.push(resolved);
      }
    }
    const bySource = new Map<string, ResolvedRule[]>();
    for (const rule of rules) bySource.set(rule.source, [...(bySource.get(rule.source) ?? []), rule]);
    const ruleset: Ruleset = {
      rules,
      bySource,
      lists: new Map([...this.lists.keys()].map((n) => [n, this.resolvedLists.get(n) ?? []])),
      macros: new Map([...this.resolvedMacros].filter((e): e is [string, Expr] => e[1] !== null)),
      requiredEngineVersion: this.requiredEngineVersion,
      requiredPluginVersions: this.requiredPluginVersions,
    };
    return { ruleset, diagnostics: this.diagnostics, ok: !this.diagnostics.some((d) => d.severity === 'error'), files };
  }

  // ---- collecting (rule_loader_collector.cpp) ----

  private collect(read: ReadItem): void {
    const item = read.item;
    switch (item.kind) {
      case 'required_engine_version':
        return this.collectEngineVersion(item.version, read);
      case 'required_plugin_versions':
        return this.collectPluginVersions(item.plugins, read);
      case 'list': {
        const append = item.append || item.override?.items === 'append';
        if (append) {
          const prev = this.lists.get(item.name);
          if (!prev) throw new LoadError('RULES_NO_PREVIOUS_LIST', "List uses 'append' or 'override.items: append' but no list by that name already exists (if it is defined in another file, load that file first)", read.at);
          prev.items.push(...item.items);
          prev.visibility = this.nextIndex++;
          return;
        }
        const id = this.nextIndex++;
        const prev = this.lists.get(item.name);
        this.lists.set(item.name, { name: item.name, index: prev?.index ?? id, visibility: id, items: [...item.items], at: read.at });
        return;
      }
      case 'macro': {
        const text = read.condition as MappedText;
        const append = item.append || item.override?.condition === 'append';
        if (append) {
          const prev = this.macros.get(item.name);
          if (!prev) throw new LoadError('RULES_NO_PREVIOUS_MACRO', "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists (if it is defined in another file, load that file first)", read.at);
          prev.text = joinTexts(prev.text, text);
          prev.visibility = this.nextIndex++;
          return;
        }
        const id = this.nextIndex++;
        const prev = this.macros.get(item.name);
        this.macros.set(item.name, { name: item.name, index: prev?.index ?? id, visibility: id, text, at: read.at });
        return;
      }
      case 'rule':
        return this.collectRule(item, read);
    }
  }

  private collectEngineVersion(version: string, read: ReadItem): void {
    const required = /^\d+$/.test(version) ? `0.${Number(version)}.0` : version;
    if (compareVersions(required, this.engineVersion) > 0 || required.split('.')[0] !== this.engineVersion.split('.')[0]) {
      throw new LoadError('RULES_UNSUPPORTED_ENGINE_VERSION',
        `Rules require engine version ${required}, but engine version is ${this.engineVersion} (the engine of Falco 0.44 that this tool checks against)`,
        read.keyAt('required_engine_version'));
    }
    if (!this.requiredEngineVersion || compareVersions(required, this.requiredEngineVersion) > 0) this.requiredEngineVersion = required;
  }

  private collectPluginVersions(plugins: readonly PluginRequirement[], read: ReadItem): void {
    for (const plugin of plugins) {
      const alternatives = [{ name: plugin.name, version: plugin.version }, ...(plugin.alternatives ?? [])];
      const names = new Set<string>();
      for (const alt of alternatives) {
        if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/.test(alt.version)) {
          throw new LoadError('RULES_BAD_PLUGIN_VERSION', `Invalid required version '${alt.version}' for plugin '${alt.name}'`, read.at);
        }
        if (names.has(alt.name)) {
          throw new LoadError('RULES_BAD_PLUGIN_VERSION', `Defined multiple alternative version requirements for plugin '${alt.name}'`, read.at);
        }
        names.add(alt.name);
      }
      this.requiredPluginVersions.push(alternatives);
    }
  }

  private collectRule(item: RuleItem, read: ReadItem): void {
    const prev = this.rules.get(item.name);
    if (prev && item.source && prev.source && item.source !== prev.source) {
      throw new LoadError('RULES_SOURCE_MISMATCH', `Rule has been re-defined with a different source ('${prev.source}', now '${item.source}')`, read.at);
    }
    const exceptions = (item.exceptions ?? []).map((ex, i) => toExceptionInfo(ex, read.exceptionsAt[i] ?? read.at));
    if (item.override || item.append) {
      const appendKeys = item.append ? ['condition', 'exceptions'] : keysWith(item.override, 'append');
      const replaceKeys = item.append ? [] : keysWith(item.override, 'replace');
      if (appendKeys.length > 0) this.appendRule(item, read, appendKeys, exceptions);
      if (replaceKeys.length > 0) this.replaceRule(item, read, replaceKeys, exceptions);
      return;
    }
    if (item.condition === undefined) {
      if (!prev) throw new LoadError('RULES_NO_PREVIOUS_RULE', "Rule has 'enabled' key but no rule by that name already exists (if it is defined in another file, load that file first)", read.at);
      prev.enabled = item.enabled ?? true;
      return;
    }
    const source = item.source || 'syscall';
    const unknownSource = !isKnownSource(source);
    if (unknownSource) {
      this.report('warning', 'LOAD_UNKNOWN_SOURCE', `Unknown source ${source}, skipping (this tool knows ${['syscall', 'k8s_audit', 'aws_cloudtrail'].join(', ')})`, read.at, describe(item));
    }
    for (const ex of exceptions) {
      if (!ex.fields) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Rule exception item must have fields property with a list of fields', ex.at);
      this.validateException(ex, unknownSource ? undefined : source);
    }
    const id = this.nextIndex++;
    this.rules.set(item.name, {
      name: item.name,
      index: prev?.index ?? id,
      visibility: id,
      source,
      desc: item.desc ?? '',
      text: read.condition as MappedText,
      output: read.output as MappedText,
      priority: item.priority as Priority,
      tags: unique(item.tags ?? []),
      enabled: item.enabled ?? true,
      exceptions,
      warnEvttypes: item.warnEvttypes ?? true,
      skipIfUnknownFilter: item.skipIfUnknownFilter ?? false,
      capture: item.capture ?? false,
      captureDuration: item.captureDuration,
      at: read.at,
      unknownSource,
    });
  }

  private appendRule(item: RuleItem, read: ReadItem, keys: readonly string[], exceptions: ExceptionInfo[]): void {
    const prev = this.rules.get(item.name);
    if (!prev) throw new LoadError('RULES_NO_PREVIOUS_RULE', "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists (if it is defined in another file, load that file first)", read.at);
    const has = (k: string) => keys.includes(k);
    const hasValue = (has('condition') && item.condition !== undefined) || (has('exceptions') && item.exceptions !== undefined)
      || (has('output') && item.output !== undefined) || (has('desc') && item.desc !== undefined) || (has('tags') && item.tags !== undefined);
    if (!hasValue) throw new LoadError('RULES_NOTHING_TO_UPDATE', 'Appended rule must have exceptions or condition property', read.at);
    if (has('condition') && item.condition) prev.text = joinTexts(prev.text, read.condition as MappedText);
    if (has('output') && item.output) prev.output = joinTexts(prev.output, read.output as MappedText);
    if (has('desc') && item.desc) prev.desc = `${prev.desc} ${item.desc}`;
    if (has('tags') && item.tags) prev.tags = unique([...prev.tags, ...item.tags]);
    if (has('exceptions')) {
      for (const ex of exceptions) {
        const existing = prev.exceptions.find((e) => e.name === ex.name);
        if (!existing) {
          if (!ex.fields) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Rule exception must have fields property with a list of fields', ex.at);
          if (ex.values.length === 0) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Rule exception must have values property with a list of values', ex.at);
          this.validateException(ex, prev.unknownSource ? undefined : prev.source);
          prev.exceptions.push(ex);
        } else {
          if (ex.fields) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Can not append exception fields to existing exception, only values', ex.at);
          if (ex.comps) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Can not append exception comps to existing exception, only values', ex.at);
          existing.values.push(...ex.values);
        }
      }
    }
    prev.visibility = this.nextIndex++;
  }

  private replaceRule(item: RuleItem, read: ReadItem, keys: readonly string[], exceptions: ExceptionInfo[]): void {
    const prev = this.rules.get(item.name);
    if (!prev) throw new LoadError('RULES_NO_PREVIOUS_RULE', "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists (if it is defined in another file, load that file first)", read.at);
    const has = (k: string) => keys.includes(k);
    if (has('condition') && item.condition !== undefined) prev.text = read.condition as MappedText;
    if (has('output') && item.output !== undefined) prev.output = read.output as MappedText;
    if (has('desc') && item.desc !== undefined) prev.desc = item.desc;
    if (has('tags') && item.tags !== undefined) prev.tags = unique(item.tags);
    if (has('exceptions')) {
      for (const ex of exceptions) this.validateException(ex, prev.unknownSource ? undefined : prev.source);
      prev.exceptions = exceptions;
    }
    if (has('priority') && item.priority) prev.priority = item.priority;
    if (has('enabled') && item.enabled !== undefined) prev.enabled = item.enabled;
    if (has('warn_evttypes') && item.warnEvttypes !== undefined) prev.warnEvttypes = item.warnEvttypes;
    if (has('skip-if-unknown-filter') && item.skipIfUnknownFilter !== undefined) prev.skipIfUnknownFilter = item.skipIfUnknownFilter;
    if (has('capture') && item.capture !== undefined) prev.capture = item.capture;
    if (has('capture_duration') && item.captureDuration !== undefined) prev.captureDuration = item.captureDuration;
    prev.visibility = this.nextIndex++;
  }

  /** rule_loader_collector.cpp validate_exception_info. */
  private validateException(ex: ExceptionInfo, source: string | undefined): void {
    const fields = ex.fields as Entry;
    if (fields.isList) {
      if (!ex.comps) ex.comps = { isList: true, items: fields.items.map(() => ({ isList: false, item: '=' })) };
      const comps = ex.comps;
      if (!comps.isList || fields.items.length !== comps.items.length) {
        throw new LoadError('RULES_EXCEPTION_MISMATCH', `Fields and comps lists must have equal length (exception '${ex.name}')`, ex.at);
      }
      for (const comp of comps.items) {
        const op = comp.isList ? '' : comp.item.trim();
        if (!ALL_OPERATORS.includes(op) && !MODIFIED_OPERATOR_RE.test(op)) {
          throw new LoadError('RULES_EXCEPTION_BAD_COMP', `'${op}' is not a supported comparison operator (exception '${ex.name}')`, ex.at);
        }
      }
      for (const f of fields.items) this.validateExceptionField(f, source, ex);
    } else {
      if (!ex.comps) ex.comps = { isList: false, item: 'in' };
      if (ex.comps.isList) throw new LoadError('RULES_EXCEPTION_MISMATCH', `Fields and comps must both be strings (exception '${ex.name}')`, ex.at);
      const op = ex.comps.item.trim();
      if (!LIST_OPERATORS_FOR_EXCEPTIONS.includes(op) && !MODIFIED_OPERATOR_RE.test(op)) {
        throw new LoadError('RULES_EXCEPTION_BAD_COMP',
          `When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof) (exception '${ex.name}', got '${op}')`, ex.at);
      }
      this.validateExceptionField(fields, source, ex);
    }
  }

  private validateExceptionField(entry: Entry, source: string | undefined, ex: ExceptionInfo): void {
    if (!source) return;
    const text = entry.isList ? '' : entry.item;
    let field: FieldRef | undefined;
    try {
      const parsed = parseCondition(`${text} exists`);
      if (parsed.kind === 'unaryCheck' && parsed.left.kind === 'field') field = parsed.left;
    } catch {
      field = undefined;
    }
    if (!field || checkField(field, source).some((i) => i.code === 'COND_UNKNOWN_FIELD') || !lookupField(source, field.name)) {
      throw new LoadError('RULES_EXCEPTION_UNKNOWN_FIELD', `'${text}' is not a supported filter field (exception '${ex.name}', source ${source})`, ex.at);
    }
  }

  // ---- compiling (rule_loader_compiler.cpp) ----

  /** A list's items with list names expanded (only lists defined before it), or undefined on a loop. */
  private expandList(name: string, stack: readonly string[]): readonly string[] | undefined {
    const done = this.resolvedLists.get(name);
    if (done) return done;
    const list = this.lists.get(name) as ListInfo;
    if (stack.includes(name)) {
      this.report('error', 'RULES_LIST_LOOP', `Lists refer to each other in a loop: ${[...stack, name].join(' -> ')}`, list.at, { kind: 'list', name });
      return undefined;
    }
    const out: string[] = [];
    for (const item of list.items) {
      const ref = this.lists.get(item);
      if (ref && ref.index < list.visibility && ref.name !== name) {
        const expanded = this.expandList(ref.name, [...stack, name]);
        if (!expanded) return undefined;
        out.push(...expanded);
      } else {
        out.push(item);
      }
    }
    this.resolvedLists.set(name, out);
    return out;
  }

  /** A macro's resolved condition (macros it uses must be defined before it), or null when broken. */
  private macroExpr(name: string, stack: readonly string[]): Expr | null {
    if (this.resolvedMacros.has(name)) return this.resolvedMacros.get(name) as Expr | null;
    const macro = this.macros.get(name) as MacroInfo;
    if (stack.includes(name)) {
      this.report('error', 'COND_MACRO_LOOP', `Macros refer to each other in a loop: ${[...stack, name].join(' -> ')}`, macro.at, { kind: 'macro', name });
      return null;
    }
    const item = { kind: 'macro' as const, name };
    const parsed = this.parse(macro.text, item);
    if (!parsed) {
      this.resolvedMacros.set(name, null);
      return null;
    }
    const resolved = this.resolve(parsed, (ref) => ref.index < macro.visibility, [...stack, name], item) ?? null;
    this.resolvedMacros.set(name, resolved);
    return resolved;
  }

  private compileRule(rule: RuleInfo): ResolvedRule | undefined {
    // Falco skips the rules of sources it has no plugin for before compiling them
    if (rule.unknownSource) return undefined;
    const item = { kind: 'rule' as const, name: rule.name };
    const parsed = this.parse(rule.text, item);
    if (!parsed) return undefined;
    let condition = this.resolve(parsed, () => true, [], item);
    if (!condition) return undefined;
    const exceptionClauses: Expr[] = [];
    for (const ex of rule.exceptions) {
      const clause = this.exceptionClause(ex, item);
      if (clause === null) return undefined;
      if (clause) {
        const resolvedClause = this.resolve(clause, () => true, [], item);
        if (!resolvedClause) return undefined;
        exceptionClauses.push({ kind: 'not', child: resolvedClause, pos: clause.pos });
      }
    }
    if (exceptionClauses.length > 0) {
      condition = { kind: 'and', children: [condition, ...exceptionClauses], pos: condition.pos };
    }
    const issues = checkCondition(condition, rule.source);
    const outputIssues = outputFieldProblems(rule.output.text, rule.source);
    const isUnknown = (i: CheckIssue) => i.code === 'COND_UNKNOWN_FIELD' || i.code === 'COND_UNKNOWN_EVENT_TYPE';
    const unknown = issues.some(isUnknown) || outputIssues.some((i) => i.severity === 'error');
    if (rule.skipIfUnknownFilter && unknown) {
      const first = issues.find(isUnknown);
      const message = first ? first.message : outputIssues[0].message;
      this.report('warning', 'LOAD_UNKNOWN_FILTER', `${message}; the rule is skipped (skip-if-unknown-filter: true)`, first ? this.nodeRef(first.node, rule) : rule.output.at(0), item);
      return undefined;
    }
    let failed = false;
    for (const issue of issues) {
      failed ||= issue.severity === 'error';
      this.reportIssue(issue, rule, item);
    }
    for (const issue of outputIssues) {
      failed ||= issue.severity === 'error';
      this.report(issue.severity, issue.code, issue.message, rule.output.at(issue.offset), item);
    }
    if (failed) return undefined;
    const eventTypes = eventTypesOf(condition);
    if (rule.source === 'syscall' && rule.warnEvttypes && (eventTypes.kind !== 'only' || eventTypes.types.length === 0 || eventTypes.types.length > 100)) {
      this.report('warning', 'LOAD_NO_EVTTYPE', 'Rule matches too many evt.type values. This has a significant performance penalty.', rule.at, item);
    }
    return {
      name: rule.name,
      desc: rule.desc,
      source: rule.source,
      priority: rule.priority,
      output: rule.output.text,
      tags: rule.tags,
      enabled: rule.enabled,
      condition,
      conditionText: rule.text.text,
      eventTypes,
      warnEvttypes: rule.warnEvttypes,
      skipIfUnknownFilter: rule.skipIfUnknownFilter,
      capture: rule.capture,
      ...(rule.captureDuration !== undefined ? { captureDuration: rule.captureDuration } : {}),
      index: rule.index,
    };
  }

  /**
   * The condition of one exception, built as Falco builds it (rule_loader_compiler.cpp
   * build_rule_exception_infos) and parsed; undefined when it has no values, null on error.
   */
  private exceptionClause(ex: ExceptionInfo, item: Diagnostic['item']): Expr | undefined | null {
    const fields = ex.fields as Entry;
    const comps = ex.comps as Entry;
    let text = '';
    if (!fields.isList) {
      const values: string[] = [];
      for (const v of ex.values) {
        if (v.isList) {
          this.report('error', 'RULES_EXCEPTION_MISMATCH', `Expected values array to contain a list of strings (exception '${ex.name}')`, ex.at, item);
          return null;
        }
        values.push(quoteItem(v.item));
      }
      if (values.length === 0) return undefined;
      text = `(${fields.item} ${(comps as { item: string }).item.trim()} (${values.join(', ')}))`;
    } else {
      const alternatives: string[] = [];
      for (const value of ex.values) {
        const items = value.isList ? value.items : [value];
        if (items.length !== fields.items.length) {
          this.report('error', 'RULES_EXCEPTION_MISMATCH',
            `Fields and values lists must have equal length (exception '${ex.name}' has ${fields.items.length} fields, a value has ${items.length})`, ex.at, item);
          return null;
        }
        const checks = fields.items.map((field, k) => {
          const comp = (comps as { items: readonly Entry[] }).items[k] as { item: string };
          const op = comp.item.trim();
          const v = items[k];
          const rendered = v.isList
            ? `(${v.items.map((i) => quoteItem(i.isList ? '' : i.item)).join(', ')})`
            : LIST_OPERATORS_FOR_EXCEPTIONS.includes(op) || MODIFIED_OPERATOR_RE.test(op) ? parenItem(v.item) : quoteItem(v.item);
          return `${(field as { item: string }).item} ${op} ${rendered}`;
        });
        alternatives.push(`(${checks.join(' and ')})`);
      }
      if (alternatives.length === 0) return undefined;
      text = `(${alternatives.join(' or ')})`;
    }
    return this.parse(textAt(text, ex.at), item, `in exception '${ex.name}': `);
  }

  private parse(text: MappedText, item: Diagnostic['item'], prefix = ''): Expr | undefined {
    try {
      const expr = parseCondition(text.text);
      this.recordOrigins(expr, text);
      return expr;
    } catch (e) {
      if (!(e instanceof ConditionSyntaxError)) throw e;
      this.report('error', e.code, `${prefix}${e.message}`, text.at(e.pos.offset), item);
      return undefined;
    }
  }

  private recordOrigins(node: Node, text: MappedText): void {
    this.origins.set(node, text);
    switch (node.kind) {
      case 'and':
      case 'or':
        for (const c of node.children) this.recordOrigins(c, text);
        return;
      case 'not':
        this.recordOrigins(node.child, text);
        return;
      case 'unaryCheck':
        this.recordOrigins(node.left, text);
        return;
      case 'binaryCheck':
        this.recordOrigins(node.left, text);
        this.recordOrigins(node.right, text);
        return;
      case 'transformer':
        for (const a of node.args) this.recordOrigins(a, text);
        return;
      case 'transformerList':
      case 'list':
        for (const i of node.items) this.recordOrigins(i, text);
        return;
      default:
    }
  }

  /** Expands macros (those `visible` allows) and lists; reports what cannot be resolved. */
  private resolve(expr: Expr, visible: (macro: MacroInfo) => boolean, stack: readonly string[], item: Diagnostic['item']): Expr | undefined {
    let failed = false;
    const visit = (e: Expr): Expr => {
      switch (e.kind) {
        case 'and':
        case 'or':
          return this.derive(e, { ...e, children: e.children.map(visit) });
        case 'not':
          return this.derive(e, { ...e, child: visit(e.child) });
        case 'macro': {
          const macro = this.macros.get(e.name);
          if (!macro || !visible(macro)) {
            const later = macro ? ` (macro '${e.name}' is defined later, at ${position(macro.at)}: a macro may only use macros defined before it)` : '';
            this.reportNode('error', 'COND_UNDEFINED_MACRO', `Undefined macro '${e.name}' used in filter.${later}`, e, item);
            failed = true;
            return e;
          }
          const body = this.macroExpr(e.name, stack);
          if (!body) failed = true;
          return body ?? e;
        }
        case 'unaryCheck':
          return e;
        case 'binaryCheck': {
          const right = this.resolveOperand(e.right, item, () => { failed = true; });
          return right === e.right ? e : this.derive(e, { ...e, right });
        }
      }
    };
    const out = visit(expr);
    return failed ? undefined : out;
  }

  private resolveOperand(operand: Operand, item: Diagnostic['item'], fail: () => void): Operand {
    if (operand.kind === 'listRef') {
      const items = this.lists.has(operand.name) ? this.resolvedLists.get(operand.name) : undefined;
      if (!items) {
        if (!this.lists.has(operand.name)) {
          this.reportNode('error', 'COND_UNDEFINED_LIST', `Undefined list '${operand.name}' used in filter.`, operand, item);
        }
        fail();
        return operand;
      }
      const literals = this.listLiterals(operand.name, items, operand, item, fail);
      return this.derive(operand, { kind: 'list', items: literals, pos: operand.pos } as ListLiteral);
    }
    if (operand.kind === 'list' && operand.items.some((i) => !i.quoted && this.lists.has(i.value))) {
      const items = operand.items.flatMap((i) => {
        if (i.quoted || !this.lists.has(i.value)) return [i];
        return this.listLiterals(i.value, this.resolvedLists.get(i.value) ?? [], i, item, fail);
      });
      return this.derive(operand, { ...operand, items });
    }
    return operand;
  }

  /**
   * The values a list contributes to a condition. Falco pastes list items into the condition
   * text (quoting an item that has a space and no quote), so an item is read as condition
   * text: `"10.0.0.0/8"` is the quoted string 10.0.0.0/8, `a, b` is two values.
   */
  private listLiterals(listName: string, items: readonly string[], at: Node, item: Diagnostic['item'], fail: () => void): StringLiteral[] {
    const out: StringLiteral[] = [];
    for (const raw of items) {
      let values = this.itemValues.get(raw);
      if (!values) {
        try {
          const parsed = parseCondition(`x.y in (${quoteItem(raw)})`);
          values = parsed.kind === 'binaryCheck' && parsed.right.kind === 'list' ? parsed.right.items.map((i) => i.value) : [raw];
        } catch {
          this.reportNode('error', 'COND_SYNTAX',
            `list '${listName}' has the item ${JSON.stringify(raw)}, which Falco cannot paste into a condition: quote it or remove the characters ( ) , = "`, at, item);
          fail();
          values = [];
        }
        this.itemValues.set(raw, values);
      }
      out.push(...values.map((v) => this.derive(at, literal(v, at.pos))));
    }
    return out;
  }

  /** A node derived from another keeps its origin (for positions). */
  private derive<T extends object>(from: object, to: T): T {
    const origin = this.origins.get(from);
    if (origin) this.origins.set(to, origin);
    return to;
  }

  private nodeRef(node: Node, rule: RuleInfo): SourceRef {
    const origin = this.origins.get(node);
    return origin ? origin.at(node.pos.offset) : rule.text.at(0);
  }

  private reportIssue(issue: CheckIssue, rule: RuleInfo, item: Diagnostic['item']): void {
    this.report(issue.severity, issue.code, issue.message, this.nodeRef(issue.node, rule), item);
  }

  private reportNode(severity: 'error' | 'warning', code: DiagnosticCode, message: string, node: Node, item: Diagnostic['item']): void {
    const origin = this.origins.get(node);
    const ref = origin ? origin.at(node.pos.offset) : undefined;
    if (!ref) return;
    this.report(severity, code, message, ref, item);
  }

  /** Adds a diagnostic once (a macro used by many rules reports its problems once). */
  private report(severity: 'error' | 'warning', code: DiagnosticCode, message: string, ref: SourceRef, item?: Diagnostic['item']): void {
    const key = `${ref.file.name}\0${ref.offset}\0${code}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(refDiag(severity, code, message, ref, item));
  }
}

function describe(item: RulesFileItem): Diagnostic['item'] {
  return item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list' ? { kind: item.kind, name: item.name } : undefined;
}

function position(ref: SourceRef): string {
  const { line, col } = ref.file.position(ref.offset);
  return `${ref.file.name}:${line}:${col}`;
}

function literal(value: string, pos = NO_POSITION): StringLiteral {
  return { kind: 'string', value, quoted: true, pos };
}

function keysWith(override: RuleItem['override'], mode: OverrideMode): string[] {
  return Object.entries(override ?? {}).filter(([, m]) => m === mode).map(([k]) => k);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function toEntry(value: ExceptionValue | string | readonly string[] | unknown): Entry {
  if (Array.isArray(value)) return { isList: true, items: value.map(toEntry) };
  return { isList: false, item: String(value) };
}

function toExceptionInfo(ex: RuleException, at: SourceRef): ExceptionInfo {
  return {
    name: ex.name,
    fields: ex.fields === undefined ? undefined : toEntry(ex.fields),
    comps: ex.comps === undefined ? undefined : toEntry(ex.comps),
    values: (ex.values ?? []).map(toEntry),
    at,
  };
}

/** Falco quotes an exception or list value only when it has a space and is not already quoted. */
function quoteItem(value: string): string {
  return value.includes(' ') && value[0] !== '"' && value[0] !== "'" ? `"${value}"` : value;
}

function parenItem(value: string): string {
  return value[0] === '(' ? value : `(${value})`;
}

/** Compares dotted numeric versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number(x) || 0);
  const pb = b.split(/[.+-]/).map((x) => Number(x) || 0);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return 0;
}
