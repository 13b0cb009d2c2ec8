import { Diagnostic, DiagnosticCode } from './diagnostics';
import { ExceptionValue, OverrideMode, PluginRequirement, Priority, RuleException, RuleItem, RulesFileItem } from './model';
import { ReadItem, refDiag } from './reader';
import { joinTexts, MappedText, SourceFile, SourceRef, textAt } from './source-text';
import { FieldRef } from '../language/ast';
import { checkField } from '../language/checker';
import { isKnownSource, lookupField } from '../language/fields';
import { isListOperator, isModifiedOperator, isOperator } from '../language/lexer';
import { parseCondition } from '../language/parser';

/**
 * The names a rules file loaded before the given ones defines, when that file itself is not at hand
 * (e.g. Falco's default rules, see `FALCO_DEFAULT_RULES_NAMES`): references to them are known, their
 * content is not. Everything else in the files is checked; rules that depend on such a name are
 * checked but not part of the rule set (they cannot be evaluated without the earlier file).
 */
export interface PredefinedNames {
  /** The source of the predefined rules. */
  readonly source: string;
  readonly macros: readonly string[];
  readonly lists: readonly string[];
  readonly rules: readonly string[];
}

/**
 * The first stage of loading, as Falco 0.44's userspace/engine/rule_loader_collector.cpp: the
 * items of the files, in order, become lists, macros and rules, with appends and overrides
 * applied and exceptions validated. Conditions are not parsed here: that is the compiler's work.
 */

export type Entry = { readonly isList: false; readonly item: string } | { readonly isList: true; readonly items: readonly Entry[] };

export interface ExceptionInfo {
  readonly name: string;
  fields?: Entry;
  comps?: Entry;
  values: Entry[];
  readonly at: SourceRef;
}

export interface ListInfo {
  readonly name: string;
  /** Defined by an earlier file that is not given: its items are unknown (those appended here are known). */
  readonly opaque?: true;
  readonly index: number;
  visibility: number;
  items: string[];
  at: SourceRef;
}

export interface MacroInfo {
  readonly name: string;
  /** Defined by an earlier file that is not given: its condition is unknown (its text is its own name). */
  readonly opaque?: true;
  readonly index: number;
  visibility: number;
  text: MappedText;
  at: SourceRef;
}

export interface RuleInfo {
  readonly name: string;
  /**
   * Defined by an earlier file that is not given: its condition, output and exceptions are unknown
   * (the condition text starts with {@link OPAQUE_CONDITION}; what is appended or replaced here is known).
   */
  opaque?: true;
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


/** Appends items one by one: `push(...items)` overflows the stack for a list of a few hundred thousand items. */
export function appendAll<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

/** The condition text standing for an unknown condition of a predefined rule (a macro name no file can define). */
export const OPAQUE_CONDITION = 'predefined_rule_condition';

/** An error that ends the processing of one item or rule. */
export class LoadError extends Error {
  constructor(readonly code: DiagnosticCode, message: string, readonly ref: SourceRef) {
    super(message);
  }
}


/** Collects the diagnostics of a load, each once (a macro used by many rules reports its problems once). */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];
  private readonly reported = new Set<string>();

  add(diagnostics: readonly Diagnostic[]): void {
    appendAll(this.diagnostics, diagnostics);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  report(severity: 'error' | 'warning', code: DiagnosticCode, message: string, ref: SourceRef, item?: Diagnostic['item']): void {
    const key = `${ref.file.name}\0${ref.offset}\0${code}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(refDiag(severity, code, message, ref, item));
  }
}

/** The lists, macros and rules of the files, collected in order. */
export class RuleCollector {
  readonly lists = new Map<string, ListInfo>();
  readonly macros = new Map<string, MacroInfo>();
  readonly rules = new Map<string, RuleInfo>();
  readonly requiredPluginVersions: PluginRequirement[][] = [];
  /** The source of the predefined names' rules and macros, when there are predefined names. */
  readonly predefinedSource?: string;
  private readonly predefinedNames = new Set<string>();
  private engineRequirement?: string;
  private nextIndex = 0;

  constructor(private readonly engineVersion: string, private readonly sink: DiagnosticSink, predefined?: PredefinedNames) {
    if (predefined) {
      this.predefinedSource = predefined.source;
      this.seed(predefined);
    }
  }

  /** Known names of an earlier file, as if it had been loaded first. */
  private seed(predefined: PredefinedNames): void {
    const at: SourceRef = { file: new SourceFile('(predefined)', ''), offset: 0 };
    const none = textAt('', at);
    for (const name of predefined.lists) this.predefinedNames.add(`list ${name}`);
    for (const name of predefined.macros) this.predefinedNames.add(`macro ${name}`);
    for (const name of predefined.lists) {
      const id = this.nextIndex++;
      this.lists.set(name, { name, opaque: true, index: id, visibility: id, items: [], at });
    }
    for (const name of predefined.macros) {
      const id = this.nextIndex++;
      this.macros.set(name, { name, opaque: true, index: id, visibility: id, text: textAt(name, at), at });
    }
    for (const name of predefined.rules) {
      const id = this.nextIndex++;
      this.rules.set(name, {
        name,
        opaque: true,
        index: id,
        visibility: id,
        source: predefined.source,
        desc: '',
        text: textAt(OPAQUE_CONDITION, at),
        output: none,
        priority: 'WARNING',
        tags: [],
        enabled: true,
        exceptions: [],
        warnEvttypes: true,
        skipIfUnknownFilter: false,
        capture: false,
        at,
        unknownSource: false,
      });
    }
  }

  /** Whether an earlier file that is not given defines the name (its own uses of it are unknown). */
  isPredefined(kind: 'list' | 'macro', name: string): boolean {
    return this.predefinedNames.has(`${kind} ${name}`);
  }

  /** The highest `required_engine_version` collected, if any. */
  get requiredEngineVersion(): string | undefined {
    return this.engineRequirement;
  }

  /** Collects one item; an item that cannot be collected is reported and skipped. */
  add(read: ReadItem): void {
    try {
      this.collect(read);
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      this.sink.report('error', e.code, e.message, e.ref, describe(read.item));
    }
  }

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
          appendAll(prev.items, item.items);
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
    if (!this.engineRequirement || compareVersions(required, this.engineRequirement) > 0) this.engineRequirement = required;
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
    // A full definition without `source` is of source syscall (Falco compares that too); a change compares only a given source.
    const isDefinition = !item.override && !item.append && item.condition !== undefined;
    const itemSource = isDefinition ? item.source || 'syscall' : item.source;
    if (prev && itemSource && prev.source && itemSource !== prev.source) {
      throw new LoadError('RULES_SOURCE_MISMATCH', `Rule has been re-defined with a different source ('${prev.source}', now '${itemSource}')`, read.at);
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
      this.sink.report('warning', 'LOAD_UNKNOWN_SOURCE', `Unknown source ${source}, skipping (this tool knows ${['syscall', 'k8s_audit', 'aws_cloudtrail'].join(', ')})`, read.at, describe(item));
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
        // values for an exception of a predefined rule whose fields are unknown here
        if (!existing && prev.opaque && !ex.fields) continue;
        if (!existing) {
          if (!ex.fields) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Rule exception must have fields property with a list of fields', ex.at);
          if (ex.values.length === 0) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Rule exception must have values property with a list of values', ex.at);
          this.validateException(ex, prev.unknownSource ? undefined : prev.source);
          prev.exceptions.push(ex);
        } else {
          if (ex.fields) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Can not append exception fields to existing exception, only values', ex.at);
          if (ex.comps) throw new LoadError('RULES_EXCEPTION_MISMATCH', 'Can not append exception comps to existing exception, only values', ex.at);
          appendAll(existing.values, ex.values);
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
        if (!isOperator(op) && !isModifiedOperator(op)) {
          throw new LoadError('RULES_EXCEPTION_BAD_COMP', `'${op}' is not a supported comparison operator (exception '${ex.name}')`, ex.at);
        }
      }
      for (const f of fields.items) this.validateExceptionField(f, source, ex);
    } else {
      if (!ex.comps) ex.comps = { isList: false, item: 'in' };
      if (ex.comps.isList) throw new LoadError('RULES_EXCEPTION_MISMATCH', `Fields and comps must both be strings (exception '${ex.name}')`, ex.at);
      const op = ex.comps.item.trim();
      if (!isListOperator(op) && !isModifiedOperator(op)) {
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
}

function describe(item: RulesFileItem): Diagnostic['item'] {
  return item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list' ? { kind: item.kind, name: item.name } : undefined;
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


/** Compares dotted numeric versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number(x) || 0);
  const pb = b.split(/[.+-]/).map((x) => Number(x) || 0);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return 0;
}
