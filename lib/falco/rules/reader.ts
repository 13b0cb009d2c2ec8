import { Diagnostic, DiagnosticCode } from './diagnostics';
import {
  ExceptionValue, ListItem, MacroItem, OverrideMode, parsePriority, PluginRequirement, PRIORITIES, RequiredEngineVersion,
  RequiredPluginVersions, RULE_APPENDABLE_KEYS, RULE_REPLACEABLE_KEYS, RuleException, RuleItem, RuleOverridableKey, RulesFileItem,
} from './model';
import { MappedText, scalarText, SourceFile, SourceRef } from './source-text';
import { parseYamlDocuments } from './yaml-documents';
import { isMap, isScalar, isSeq, Node, Scalar, SCALAR_STYLE, YAMLMap } from './yaml-nodes';
import { editDistance } from '../language/fields';

/**
 * Reads one Falco rules file into typed items, keeping where each part came from. Mirrors
 * falcosecurity/falco userspace/engine/rule_loader_reader.cpp (Falco 0.44): the same checks,
 * the same messages, but every broken item is reported instead of stopping at the first.
 */

/** One item read from a file, with the places the loader needs for its diagnostics. */
export interface ReadItem {
  readonly item: RulesFileItem;
  readonly file: SourceFile;
  /** Where the item starts. */
  readonly at: SourceRef;
  /** The condition text, mapped to the file. */
  readonly condition?: MappedText;
  /** The output text, mapped to the file. */
  readonly output?: MappedText;
  /** Where each exception of `item.exceptions` starts. */
  readonly exceptionsAt: readonly SourceRef[];
  /** Where the value of a key starts (the item's start when the key is absent). */
  keyAt(key: string): SourceRef;
}

export interface ReadResult {
  readonly file: SourceFile;
  readonly items: readonly ReadItem[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The spellings of Falco's rules-file schema; other spellings of a valid priority load with a warning. */
const SCHEMA_PRIORITIES: ReadonlySet<string> = new Set(['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'INFORMATIONAL', 'DEBUG']);

const WARNING_APPEND = "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
const WARNING_ENABLED = "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
const ERROR_OVERRIDE_APPEND = "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

const LIST_KEYS = ['list', 'items', 'append', 'override'];
const MACRO_KEYS = ['macro', 'condition', 'append', 'override'];
const RULE_KEYS = [
  'rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'capture', 'capture_duration',
  'warn_evttypes', 'skip-if-unknown-filter', 'tags', 'exceptions', 'override', 'append',
];
const YAML_TRUE: ReadonlySet<string> = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const YAML_FALSE: ReadonlySet<string> = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/** An error that ends the reading of one item. */
class ItemError extends Error {
  constructor(readonly code: DiagnosticCode, message: string, readonly ref: SourceRef) {
    super(message);
  }
}

/** Reads a rules file. Never throws: problems are diagnostics. */
export function readRulesFile(name: string, text: string): ReadResult {
  const parsed = parseYamlDocuments(text);
  const file = new SourceFile(name, parsed.text);
  const diagnostics: Diagnostic[] = [];
  const items: ReadItem[] = [];
  if (!parsed.ok) {
    diagnostics.push(diag(file, 'error', parsed.code, parsed.message, parsed.offset));
    return { file, items: [], diagnostics };
  }
  for (const contents of parsed.documents) {
    if (contents === null || isNull(contents)) continue;
    if (!isSeq(contents)) {
      const message = isMap(contents) ? 'Rules content is not yaml array of objects' : 'Rules content is not yaml';
      diagnostics.push(diag(file, 'error', 'RULES_NOT_A_LIST', `${message}: a rules file is a YAML sequence of items (- rule: ..., - macro: ..., - list: ...)`, contents.range?.[0] ?? 0));
      continue;
    }
    for (const node of contents.items as Node[]) {
      if (node === null || isNull(node)) continue;
      const reader = new ItemReader(file, node, diagnostics);
      try {
        const read = reader.read();
        if (read) items.push(read);
      } catch (e) {
        if (!(e instanceof ItemError)) throw e;
        diagnostics.push(refDiag('error', e.code, e.message, e.ref, reader.describe()));
      }
    }
  }
  return { file, items, diagnostics };
}

function isNull(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node)) return false;
  const scalar = node as Scalar;
  return scalar.type === SCALAR_STYLE.PLAIN && ['', '~', 'null', 'Null', 'NULL'].includes(String(scalar.value));
}

function diag(file: SourceFile, severity: 'error' | 'warning', code: DiagnosticCode, message: string, offset: number): Diagnostic {
  const { line, col } = file.position(offset);
  return { severity, code, message, file: file.name, line, col };
}

export function refDiag(
  severity: 'error' | 'warning', code: DiagnosticCode, message: string, ref: SourceRef, item?: Diagnostic['item'],
): Diagnostic {
  const { line, col } = ref.file.position(ref.offset);
  return item ? { severity, code, message, file: ref.file.name, line, col, item } : { severity, code, message, file: ref.file.name, line, col };
}

class ItemReader {
  private kind?: 'rule' | 'macro' | 'list';
  private name?: string;
  private readonly map?: YAMLMap;

  constructor(private readonly file: SourceFile, private readonly node: Node, private readonly diagnostics: Diagnostic[]) {
    if (isMap(node)) this.map = node as YAMLMap;
  }

  describe(): Diagnostic['item'] {
    return this.kind && this.name !== undefined ? { kind: this.kind, name: this.name } : undefined;
  }

  read(): ReadItem | undefined {
    const map = this.map;
    if (!map) {
      throw new ItemError('RULES_ITEM_NOT_A_MAP', 'Unexpected element type. Each element should be a yaml associative array.', this.refOf(this.node));
    }
    if (map.has('required_engine_version')) return this.readEngineVersion(map);
    if (map.has('required_plugin_versions')) return this.readPluginVersions(map);
    if (map.has('list')) return this.readList(map);
    if (map.has('macro')) return this.readMacro(map);
    if (map.has('rule')) return this.readRule(map);
    this.warn('LOAD_UNKNOWN_ITEM', 'Unknown top level item: expected one of rule, macro, list, required_engine_version, required_plugin_versions', this.refOf(map));
    return undefined;
  }

  // ---- items ----

  private readEngineVersion(map: YAMLMap): ReadItem {
    const version = this.string(map, 'required_engine_version');
    if (!/^\d+$/.test(version) && !/^\d+\.\d+\.\d+$/.test(version)) {
      throw new ItemError('RULES_BAD_ENGINE_VERSION',
        `Unable to parse engine version '${version}' as a semver string. Expected "x.y.z" semver format.`, this.keyAt('required_engine_version'));
    }
    this.warnUnknownKeys(map, ['required_engine_version']);
    const item: RequiredEngineVersion = { kind: 'required_engine_version', version };
    return this.result(item);
  }

  private readPluginVersions(map: YAMLMap): ReadItem {
    const seq = map.get('required_plugin_versions', true) as Node;
    if (!isSeq(seq)) throw new ItemError('RULES_WRONG_TYPE', 'Value of required_plugin_versions must be a sequence', this.keyAt('required_plugin_versions'));
    const plugins: PluginRequirement[] = [];
    for (const entry of seq.items as Node[]) {
      if (!isMap(entry)) throw new ItemError('RULES_WRONG_TYPE', 'Plugin version must be a mapping', this.refOf(entry));
      const plugin = entry as YAMLMap;
      const name = this.string(plugin, 'name');
      const version = this.string(plugin, 'version');
      const alternativesNode = plugin.get('alternatives', true) as Node | undefined;
      let alternatives: { name: string; version: string }[] | undefined;
      if (alternativesNode !== undefined) {
        if (!isSeq(alternativesNode)) throw new ItemError('RULES_WRONG_TYPE', 'Value of alternatives must be a sequence', this.refOf(alternativesNode));
        alternatives = (alternativesNode.items as Node[]).map((alt) => {
          if (!isMap(alt)) throw new ItemError('RULES_WRONG_TYPE', 'Plugin version alternative must be a mapping', this.refOf(alt));
          return { name: this.string(alt as YAMLMap, 'name'), version: this.string(alt as YAMLMap, 'version') };
        });
      }
      plugins.push(alternatives ? { name, version, alternatives } : { name, version });
    }
    this.warnUnknownKeys(map, ['required_plugin_versions']);
    const item: RequiredPluginVersions = { kind: 'required_plugin_versions', plugins };
    return this.result(item);
  }

  private readList(map: YAMLMap): ReadItem {
    this.kind = 'list';
    const name = this.string(map, 'list');
    this.name = name;
    if (!/^[^()"'\s=,]+$/.test(name)) {
      this.warn('LOAD_INVALID_LIST_NAME', `List has an invalid name '${name}'. List names should match a regular expression: [^()"'[:space:]=,]+`, this.keyAt('list'));
    }
    const items = this.stringSeq(map, 'items', false) ?? [];
    const append = this.appendFlag(map, 'list');
    const override = this.overrides(map, ['items'], ['items']);
    this.checkOverrideWithAppend(append, override);
    this.warnUnknownKeys(map, LIST_KEYS);
    const item: ListItem = {
      kind: 'list',
      name,
      items,
      ...(append ? { append } : {}),
      ...(override ? { override: override as ListItem['override'] } : {}),
    };
    return this.result(item);
  }

  private readMacro(map: YAMLMap): ReadItem {
    this.kind = 'macro';
    const name = this.string(map, 'macro');
    this.name = name;
    if (!/^[a-zA-Z]+[a-zA-Z0-9_]*$/.test(name)) {
      this.warn('LOAD_INVALID_MACRO_NAME', `Macro has an invalid name '${name}'. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)`, this.keyAt('macro'));
    }
    const condition = this.string(map, 'condition');
    const append = this.appendFlag(map, 'macro');
    const override = this.overrides(map, ['condition'], ['condition']);
    this.checkOverrideWithAppend(append, override);
    this.warnUnknownKeys(map, MACRO_KEYS);
    const item: MacroItem = {
      kind: 'macro',
      name,
      condition,
      ...(append ? { append } : {}),
      ...(override ? { override: override as MacroItem['override'] } : {}),
    };
    return this.result(item, { condition: this.mapped(map, 'condition', condition) });
  }

  private readRule(map: YAMLMap): ReadItem {
    this.kind = 'rule';
    const name = this.string(map, 'rule');
    this.name = name;
    const source = this.optionalString(map, 'source', { optional: true, canBeEmpty: true });
    const append = this.appendFlag(map, 'rule');
    const override = this.overrides(map, RULE_APPENDABLE_KEYS, RULE_REPLACEABLE_KEYS);
    this.checkOverrideWithAppend(append, override);

    let rule: RuleItem;
    if (override) {
      const expected = new Set([...RULE_APPENDABLE_KEYS, ...RULE_REPLACEABLE_KEYS].filter((k) => map.has(k)));
      for (const [key, mode] of Object.entries(override)) {
        if (!map.has(key)) {
          throw new ItemError('RULES_OVERRIDE_KEY_MISSING', `An ${mode} override for '${key}' was specified but '${key}' is not defined`, this.refOf(map));
        }
        expected.delete(key as RuleOverridableKey);
      }
      for (const key of expected) {
        throw new ItemError('RULES_OVERRIDE_KEY_UNEXPECTED', `Unexpected key '${key}': no corresponding entry under 'override' is defined.`, this.keyAt(key));
      }
      rule = { kind: 'rule', name, ...(source !== undefined ? { source } : {}), ...this.ruleFields(map, true), override: override as RuleItem['override'] };
    } else if (append) {
      rule = { kind: 'rule', name, ...(source !== undefined ? { source } : {}), ...this.ruleFields(map, true), append: true };
    } else if (!map.has('condition') && !map.has('output') && !map.has('desc') && !map.has('priority')) {
      // A rule item with nothing but its name is refused by Falco 0.44.1 as it reads the file.
      if (!map.has('enabled')) throw new ItemError('RULES_MISSING_KEY', "Item has no mapping for key 'enabled'", this.refOf(map));
      const enabled = this.bool(map, 'enabled');
      this.warn('LOAD_DEPRECATED_ITEM', WARNING_ENABLED, this.refOf(map));
      rule = { kind: 'rule', name, ...(source !== undefined ? { source } : {}), enabled: enabled as boolean };
    } else {
      for (const key of ['condition', 'output', 'desc', 'priority']) this.string(map, key);
      rule = { kind: 'rule', name, ...(source !== undefined ? { source } : {}), ...this.ruleFields(map, false) };
    }
    this.warnUnknownKeys(map, RULE_KEYS);
    const exceptionsNode = map.get('exceptions', true) as Node | undefined;
    const exceptionsAt = exceptionsNode && isSeq(exceptionsNode) ? (exceptionsNode.items as Node[]).map((n) => this.refOf(n)) : [];
    return this.result(rule, {
      condition: rule.condition !== undefined ? this.mapped(map, 'condition', rule.condition) : undefined,
      output: rule.output !== undefined ? this.mapped(map, 'output', rule.output) : undefined,
      exceptionsAt,
    });
  }

  /** The optional keys of a rule (all of them for an update). */
  private ruleFields(map: YAMLMap, update: boolean): Omit<RuleItem, 'kind' | 'name'> {
    const priorityText = this.optionalString(map, 'priority');
    let priority;
    if (priorityText !== undefined) {
      priority = parsePriority(priorityText);
      if (!priority) {
        throw new ItemError('RULES_BAD_PRIORITY', `Invalid priority '${priorityText}': expected one of ${[...PRIORITIES, 'INFO'].join(', ')}`, this.keyAt('priority'));
      }
      if (!SCHEMA_PRIORITIES.has(priorityText)) {
        this.warn('LOAD_SCHEMA', `Priority '${priorityText}' is not in Falco's schema (upper case, e.g. ${priority}): Falco loads it with a schema validation warning`, this.keyAt('priority'));
      }
    }
    const output = this.optionalString(map, 'output');
    const fields: Omit<RuleItem, 'kind' | 'name'> = {
      desc: this.optionalString(map, 'desc'),
      condition: this.optionalString(map, 'condition'),
      output: output === undefined || update ? output : output.trim(),
      priority,
      enabled: this.bool(map, 'enabled'),
      tags: this.stringSeq(map, 'tags', true),
      exceptions: this.exceptions(map, update),
      warnEvttypes: this.bool(map, 'warn_evttypes'),
      skipIfUnknownFilter: this.bool(map, 'skip-if-unknown-filter'),
      capture: this.bool(map, 'capture'),
      captureDuration: this.integer(map, 'capture_duration'),
    };
    return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  }

  private exceptions(map: YAMLMap, append: boolean): RuleException[] | undefined {
    if (!map.has('exceptions')) return undefined;
    const node = map.get('exceptions', true) as Node;
    if (isNull(node)) return undefined;
    if (!isSeq(node)) throw new ItemError('RULES_EXCEPTION_INVALID', 'Rule exceptions must be a sequence', this.refOf(node));
    const result: RuleException[] = [];
    for (const exNode of node.items as Node[]) {
      if (!isMap(exNode)) throw new ItemError('RULES_EXCEPTION_INVALID', 'Rule exception must be a mapping', this.refOf(exNode));
      const ex = exNode as YAMLMap;
      const name = this.string(ex, 'name');
      if (result.some((r) => r.name === name)) {
        this.warn('LOAD_EXCEPTION_NAME_NOT_UNIQUE', `Multiple definitions of exception '${name}' in the same rule`, this.refOf(ex));
      }
      const fields = this.exceptionEntry(ex, 'fields', append);
      const comps = this.exceptionEntry(ex, 'comps', true);
      let values: ExceptionValue[] | undefined;
      if (ex.has('values')) {
        const valuesNode = ex.get('values', true) as Node;
        if (!isSeq(valuesNode)) throw new ItemError('RULES_EXCEPTION_INVALID', 'Rule exception values must be a sequence', this.refOf(valuesNode ?? ex));
        values = (valuesNode.items as Node[]).map((v) => this.entryValue(v) as ExceptionValue);
      } else if (append) {
        this.warn('LOAD_APPEND_NO_VALUES', 'Overriding/appending exception with no values', this.refOf(ex));
      }
      this.warnUnknownKeys(ex, ['name', 'fields', 'comps', 'values']);
      result.push({
        name,
        ...(fields !== undefined ? { fields: fields as string | string[] } : {}),
        ...(comps !== undefined ? { comps: comps as string | string[] } : {}),
        ...(values !== undefined ? { values } : {}),
      });
    }
    return result;
  }

  private exceptionEntry(map: YAMLMap, key: string, optional: boolean): string | unknown[] | undefined {
    if (!map.has(key)) {
      if (optional) return undefined;
      throw new ItemError('RULES_MISSING_KEY', `Item has no mapping for key '${key}'`, this.refOf(map));
    }
    return this.entryValue(map.get(key, true) as Node);
  }

  /** A scalar (non-empty string) or a sequence of such entries, nested. */
  private entryValue(node: Node): string | unknown[] {
    if (isSeq(node)) return (node.items as Node[]).map((n) => this.entryValue(n));
    if (isScalar(node) && !isNull(node)) {
      const value = String((node as Scalar).value);
      if (value.length === 0) throw new ItemError('RULES_EMPTY_VALUE', 'Value must be non-empty', this.refOf(node));
      return value;
    }
    if (isNull(node)) throw new ItemError('RULES_EMPTY_VALUE', 'Value must be non-empty', this.refOf(node));
    throw new ItemError('RULES_EXCEPTION_INVALID', 'Expected a string or a sequence of strings', this.refOf(node));
  }

  // ---- keys ----

  private string(map: YAMLMap, key: string): string {
    return this.optionalString(map, key, { optional: false }) as string;
  }

  private optionalString(map: YAMLMap, key: string, opts: { optional?: boolean; canBeEmpty?: boolean } = { optional: true }): string | undefined {
    if (!map.has(key)) {
      if (opts.optional) return undefined;
      throw new ItemError('RULES_MISSING_KEY', `Item has no mapping for key '${key}'${this.didYouMean(map, key)}`, this.refOf(map));
    }
    const node = map.get(key, true) as Node;
    if (isNull(node)) throw new ItemError('RULES_EMPTY_VALUE', `Mapping for key '${key}' is empty`, this.keyOrValueRef(map, key));
    if (!isScalar(node)) throw new ItemError('RULES_WRONG_TYPE', `Value is not a scalar value (key '${key}')`, this.refOf(node));
    const value = String((node as Scalar).value);
    if (value.length === 0 && !opts.canBeEmpty) throw new ItemError('RULES_EMPTY_VALUE', `Value must be non-empty (key '${key}')`, this.refOf(node));
    return value;
  }

  private bool(map: YAMLMap, key: string): boolean | undefined {
    const text = this.optionalString(map, key);
    if (text === undefined) return undefined;
    if (YAML_TRUE.has(text)) return true;
    if (YAML_FALSE.has(text)) return false;
    throw new ItemError('RULES_WRONG_TYPE', `Can't decode YAML scalar value: '${key}' must be true or false, got '${text}'`, this.keyAt(key));
  }

  private integer(map: YAMLMap, key: string): number | undefined {
    const text = this.optionalString(map, key);
    if (text === undefined) return undefined;
    if (!/^[0-9]+$/.test(text)) throw new ItemError('RULES_WRONG_TYPE', `Can't decode YAML scalar value: '${key}' must be a non-negative integer, got '${text}'`, this.keyAt(key));
    return Number(text);
  }

  private stringSeq(map: YAMLMap, key: string, optional: boolean): string[] | undefined {
    if (!map.has(key)) {
      if (optional) return undefined;
      throw new ItemError('RULES_MISSING_KEY', `Item has no mapping for key '${key}'${this.didYouMean(map, key)}`, this.refOf(map));
    }
    const node = map.get(key, true) as Node;
    if (!isSeq(node)) throw new ItemError('RULES_WRONG_TYPE', `Value is not a sequence (key '${key}')`, this.keyOrValueRef(map, key));
    return (node.items as Node[]).map((n) => {
      if (!isScalar(n) || isNull(n)) throw new ItemError('RULES_WRONG_TYPE', `sequence value is not scalar (key '${key}')`, this.refOf(n ?? node));
      return String((n as Scalar).value);
    });
  }

  /** Falco 0.44.1 places the deprecation at the item (its `rule:`/`list:`/`macro:` key), not at `append`. */
  private appendFlag(map: YAMLMap, kind: 'list' | 'macro' | 'rule'): boolean {
    const append = this.bool(map, 'append') ?? false;
    if (append) this.warn('LOAD_DEPRECATED_ITEM', WARNING_APPEND, this.keyNameRef(map, kind));
    return append;
  }

  private overrides(map: YAMLMap, appendable: readonly string[], replaceable: readonly string[]): Record<string, OverrideMode> | undefined {
    if (!map.has('override')) return undefined;
    const node = map.get('override', true) as Node;
    if (!isMap(node)) throw new ItemError('RULES_WRONG_TYPE', "Value of 'override' must be a mapping of keys to append or replace", this.keyOrValueRef(map, 'override'));
    const result: Record<string, OverrideMode> = {};
    for (const pair of (node as YAMLMap).items) {
      const key = String(isScalar(pair.key) ? (pair.key as Scalar).value : pair.key);
      const valueNode = pair.value as Node | null;
      const operation = valueNode && isScalar(valueNode) ? String((valueNode as Scalar).value) : '';
      const keyRef = this.refOf(pair.key as Node);
      if (operation === 'append') {
        if (!appendable.includes(key)) throw new ItemError('RULES_OVERRIDE_NOT_ALLOWED', `Key '${key}' cannot be appended to, use 'replace' instead`, keyRef);
      } else if (operation === 'replace') {
        if (!replaceable.includes(key)) throw new ItemError('RULES_OVERRIDE_NOT_ALLOWED', `Key '${key}' cannot be replaced`, keyRef);
      } else {
        const allowed = [appendable.includes(key) ? 'append' : '', replaceable.includes(key) ? 'replace' : ''].filter(Boolean).join(' ');
        throw new ItemError('RULES_INVALID_OVERRIDE_MODE',
          `Invalid override operation for key '${key}': '${operation}'. Allowed values are: ${allowed || '(none: the key cannot be overridden)'}`,
          valueNode ? this.refOf(valueNode) : keyRef);
      }
      result[key] = operation;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }

  private checkOverrideWithAppend(append: boolean, override: Record<string, OverrideMode> | undefined): void {
    if (append && override) throw new ItemError('RULES_OVERRIDE_WITH_APPEND', ERROR_OVERRIDE_APPEND, this.keyAt('override'));
  }

  private warnUnknownKeys(map: YAMLMap, expected: readonly string[]): void {
    for (let k = 0; k < map.items.length; k++) {
      const pair = map.items[k];
      const key = String(isScalar(pair.key) ? (pair.key as Scalar).value : pair.key);
      if (expected.includes(key)) continue;
      const close = expected.filter((e) => editDistance(e, key) <= 2);
      const hint = close.length > 0 ? ` Did you mean '${close[0]}'?` : '';
      this.warn('LOAD_UNKNOWN_KEY', `Unknown key '${key}'. The key will be ignored.${hint}`, this.refOf(pair.key as Node));
    }
  }

  private didYouMean(map: YAMLMap, key: string): string {
    for (const pair of map.items) {
      const present = String(isScalar(pair.key) ? (pair.key as Scalar).value : pair.key);
      if (present !== key && editDistance(present, key) <= 2) return ` (is '${present}' a misspelling of '${key}'?)`;
    }
    return '';
  }

  // ---- places ----

  private result(item: RulesFileItem, extra: Partial<Pick<ReadItem, 'condition' | 'output' | 'exceptionsAt'>> = {}): ReadItem {
    const map = this.map as YAMLMap;
    return {
      item,
      file: this.file,
      at: this.refOf(map),
      keyAt: (key) => this.keyAt(key),
      condition: extra.condition,
      output: extra.output,
      exceptionsAt: extra.exceptionsAt ?? [],
    };
  }

  private mapped(map: YAMLMap, key: string, value: string): MappedText {
    return scalarText(this.file, map.get(key, true) as Scalar, value);
  }

  private keyAt(key: string): SourceRef {
    return this.map ? this.keyOrValueRef(this.map, key) : this.refOf(this.node);
  }

  /** Where a key itself is written (the map when it is absent). */
  private keyNameRef(map: YAMLMap, key: string): SourceRef {
    const pair = map.items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key);
    return this.refOf(pair ? pair.key as Node : map);
  }

  private keyOrValueRef(map: YAMLMap, key: string): SourceRef {
    const pair = map.items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key);
    if (!pair) return this.refOf(map);
    const value = pair.value as Node | null;
    if (value && value.range && !isNull(value)) return this.refOf(value);
    return this.refOf(pair.key as Node);
  }

  private refOf(node: Node | null | undefined): SourceRef {
    return { file: this.file, offset: node?.range?.[0] ?? this.node.range?.[0] ?? 0 };
  }

  private warn(code: DiagnosticCode, message: string, ref: SourceRef): void {
    this.diagnostics.push(refDiag('warning', code, message, ref, this.describe()));
  }
}
