import { appendAll, DiagnosticSink, Entry, ExceptionInfo, ListInfo, MacroInfo, OPAQUE_CONDITION, RuleCollector, RuleInfo } from './collector';
import { Diagnostic, DiagnosticCode } from './diagnostics';
import { eventTypesOf, EventTypeSet } from './event-types';
import { Priority } from './model';
import { OutputIssue, outputFieldProblems } from './output';
import { MappedText, SourceFile, SourceRef, textAt } from './source-text';
import { Expr, ListLiteral, NO_POSITION, Node, Operand, StringLiteral } from '../language/ast';
import { checkCondition, CheckIssue } from '../language/checker';
import { editDistance } from '../language/fields';
import { isListOperator, isModifiedOperator } from '../language/lexer';
import { listOrder, PastedList, pasteListItem, PastedItem, readPastedListItem, substitutedListNames, substituteLists } from '../language/list-paste';
import { ConditionSyntaxError, parseCondition } from '../language/parser';

/**
 * The second stage of loading, as Falco 0.44's userspace/engine/rule_loader_compiler.cpp: lists
 * expanded (a list item may name a list defined before it), macros resolved (a macro may only use
 * macros defined before it, a rule may use any), exceptions compiled into the condition, and every
 * condition and output checked against the field catalogue of the rule's source.
 */

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


/** What the compiler makes of the collected items. */
export interface CompiledRules {
  /** Rules that compiled, in Falco's order. */
  readonly rules: readonly ResolvedRule[];
  /** Lists with their items expanded (those without a loop). */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** Macros that resolved. */
  readonly macros: ReadonlyMap<string, Expr>;
}

/**
 * Bounds of a condition once its macros are expanded: Falco expands macros by copying them into the
 * condition, so a macro used twice by the next, thirty times over, is a billion nodes ("macro bomb"),
 * and a chain of thousands of macros nests as deep. The upstream rules stay far below both.
 */
export const MAX_EXPANDED_NODES = 100_000;
export const MAX_EXPANDED_DEPTH = 1_000;

interface ExprSize {
  readonly nodes: number;
  readonly depth: number;
}

const LEAF_SIZE: ExprSize = { nodes: 1, depth: 1 };

export class RuleCompiler {
  /** Where each parsed node comes from. */
  private readonly origins = new Map<object, MappedText>();
  private readonly resolvedLists = new Map<string, readonly string[]>();
  private readonly resolvedMacros = new Map<string, Expr | null>();
  private readonly itemValues = new Map<string, PastedItem>();
  /** Lists and macros that depend on a predefined list or macro whose content is unknown. */
  private readonly opaqueLists = new Set<string>();
  private readonly opaqueMacros = new Set<string>();
  /** Set while resolving when something unknown (predefined) is met. */
  private sawOpaque = false;
  /** The expanded size of resolved conditions, by node (macro bodies are shared, so this is computed once per node). */
  private readonly sizes = new WeakMap<object, ExprSize>();
  /** The text of a condition before list substitution. */
  private readonly unsubstituted = new WeakMap<MappedText, string>();
  /**
   * Lists and macros Falco counts as used (LOAD_UNUSED_LIST, LOAD_UNUSED_MACRO), each with the first file (by load
   * order) whose rules, macros or lists use it: Falco compiles after each file, so an item used only by a later file
   * is unused when its own file is loaded.
   */
  private readonly usedLists = new Map<string, number>();
  private readonly usedMacros = new Map<string, number>();
  /** The lists as Falco substitutes them into condition texts, in its order. */
  private pastedLists: {
    readonly order: ReadonlyMap<string, number>;
    readonly lists: readonly PastedList[];
    /** The lists substituted into condition texts (all but those of an earlier file not at hand). */
    readonly substituted: readonly PastedList[];
    readonly substitutedOrder: ReadonlyMap<string, number>;
  } = { order: new Map(), lists: [], substituted: [], substitutedOrder: new Map() };

  /**
   * @param fileOrder the files in load order (for the unused items per file); without it, all are one file.
   */
  constructor(
    private readonly collected: RuleCollector,
    private readonly sink: DiagnosticSink,
    private readonly fileOrder: readonly SourceFile[] = [],
  ) {}

  /** The place of a file in the load order (0 for a file not given, such as the predefined names). */
  private step(file: SourceFile): number {
    return Math.max(0, this.fileOrder.indexOf(file));
  }

  compile(): CompiledRules {
    this.expandLists();
    for (const macro of this.collected.macros.values()) {
      const expr = this.macroExpr(macro.name, []);
      // what is appended here to a predefined macro: the rules of the earlier file that use it are not at hand
      if (expr && macro.opaque && macro.text.text !== macro.name) this.checkStandalone(expr, macro.name);
    }
    const rules: ResolvedRule[] = [];
    for (const rule of [...this.collected.rules.values()].sort((a, b) => a.index - b.index)) {
      const resolved = this.compileRule(rule);
      if (resolved) rules.push(resolved);
    }
    // Falco gives these warnings only when everything compiled (it stops at the first error)
    if (!this.sink.hasErrors) this.reportUnused();
    return {
      rules,
      lists: this.resolvedLists,
      macros: new Map([...this.resolvedMacros].filter((e): e is [string, Expr] => e[1] !== null)),
    };
  }

  /**
   * Each list's items as Falco compiles them (compile_list_infos): an item naming a list defined before it is
   * replaced by that list's own items as written (one level: they are not expanded again), and that list counts as
   * used. So no list refers to itself in a loop: `shells: [paths]` after `paths: [shells]` holds `shells`.
   */
  private expandLists(): void {
    const order = new Map<string, number>();
    const lists: PastedList[] = [];
    for (const list of this.collected.lists.values()) {
      const out: string[] = [];
      if (list.opaque) this.opaqueLists.add(list.name);
      for (const entry of list.items) {
        const ref = this.collected.lists.get(entry);
        if (ref && ref.index < list.visibility) {
          markUsedFrom(this.usedLists, ref.name, this.step(list.at.file));
          if (ref.opaque) this.opaqueLists.add(list.name);
          appendAll(out, ref.items);
        } else {
          out.push(entry);
        }
      }
      this.resolvedLists.set(list.name, out);
      order.set(list.name, lists.length);
      lists.push({ name: list.name, items: out });
    }
    // lists an earlier file defines whose items are not known here stay names, resolved in the syntax tree
    const substituted = lists.filter((l) => !this.opaqueLists.has(l.name));
    // the same objects when every list is substituted (the usual case): what a text substitutes is then worked out once
    this.pastedLists = substituted.length === lists.length
      ? { order, lists, substituted: lists, substitutedOrder: order }
      : { order, lists, substituted, substitutedOrder: listOrder(substituted) };
  }

  /** A macro's resolved condition (macros it uses must be defined before it), or null when broken. */
  private macroExpr(name: string, stack: readonly string[]): Expr | null {
    if (this.resolvedMacros.has(name)) return this.resolvedMacros.get(name) as Expr | null;
    const macro = this.collected.macros.get(name) as MacroInfo;
    if (stack.includes(name)) {
      this.sink.report('error', 'COND_MACRO_LOOP', `Macros refer to each other in a loop: ${[...stack, name].join(' -> ')}`, macro.at, { kind: 'macro', name });
      return null;
    }
    const item = { kind: 'macro' as const, name };
    const parsed = this.parse(macro.text, item);
    if (!parsed) {
      this.resolvedMacros.set(name, null);
      return null;
    }
    this.markUsedIn(macro.text, macro.text.text, parsed);
    const outer = this.sawOpaque;
    this.sawOpaque = false;
    let resolved = this.resolve(parsed, (ref) => ref.index < macro.visibility, [...stack, name], item) ?? null;
    if (resolved && !this.withinBounds(resolved, macro.text, item)) resolved = null;
    if (this.sawOpaque || macro.opaque) this.opaqueMacros.add(name);
    this.sawOpaque = outer;
    this.resolvedMacros.set(name, resolved);
    return resolved;
  }

  private compileRule(rule: RuleInfo): ResolvedRule | undefined {
    // Falco skips the rules of sources it has no plugin for before compiling them
    if (rule.unknownSource) return undefined;
    const item = { kind: 'rule' as const, name: rule.name };
    // a predefined rule that this file does not change: nothing here to check
    if (rule.opaque && rule.text.text === OPAQUE_CONDITION && rule.output.text === '' && rule.exceptions.length === 0) return undefined;
    this.sawOpaque = Boolean(rule.opaque);
    const parsed = this.parse(rule.text, item);
    if (!parsed) return undefined;
    let condition = this.resolve(parsed, () => true, [], item);
    if (!condition || !this.withinBounds(condition, rule.text, item)) return undefined;
    const exceptionClauses: Expr[] = [];
    // what the rule refers to, counted as used unless Falco skips the rule before compiling its condition
    const refersTo: [MappedText, string, Expr][] = [[rule.text, rule.text.text, parsed]];
    for (const ex of rule.exceptions) {
      const clause = this.exceptionClause(ex, item);
      if (clause === null) return undefined;
      if (clause) {
        const text = this.origins.get(clause) as MappedText;
        refersTo.push([text, this.unsubstituted.get(text) ?? text.text, clause]);
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
    const unknownInOutput = outputIssues.some((i) => i.severity === 'error');
    // Falco checks the output first: a rule it skips there never has its condition's lists and macros resolved
    if (!(rule.skipIfUnknownFilter && unknownInOutput)) for (const [mapped, text, expr] of refersTo) this.markUsedIn(mapped, text, expr);
    const unknown = issues.some(isUnknown) || unknownInOutput;
    if (rule.skipIfUnknownFilter && unknown) {
      const first = issues.find(isUnknown);
      const message = first ? first.message : outputIssues[0].message;
      this.sink.report('warning', 'LOAD_UNKNOWN_FILTER', `${message}; the rule is skipped (skip-if-unknown-filter: true)`, first ? this.nodeRef(first.node, rule) : this.outputIssueAt(outputIssues[0], rule), item);
      return undefined;
    }
    let failed = false;
    for (const issue of issues) {
      failed ||= issue.severity === 'error';
      this.reportIssue(issue, rule, item);
    }
    for (const issue of outputIssues) {
      failed ||= issue.severity === 'error';
      this.sink.report(issue.severity, issue.code, issue.message, this.outputIssueAt(issue, rule), item);
    }
    // checked, but not runnable: what the earlier file defines is not known here
    if (failed || this.sawOpaque) return undefined;
    const eventTypes = eventTypesOf(condition);
    if (rule.source === 'syscall' && rule.warnEvttypes && (eventTypes.kind !== 'only' || eventTypes.types.length === 0 || eventTypes.types.length > 100)) {
      this.sink.report('warning', 'LOAD_NO_EVTTYPE', 'Rule matches too many evt.type values. This has a significant performance penalty.', rule.at, item);
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
          this.sink.report('error', 'RULES_EXCEPTION_MISMATCH', `Expected values array to contain a list of strings (exception '${ex.name}')`, ex.at, item);
          return null;
        }
        values.push(pasteListItem(v.item));
      }
      if (values.length === 0) return undefined;
      text = `(${fields.item} ${(comps as { item: string }).item.trim()} (${values.join(', ')}))`;
    } else {
      const alternatives: string[] = [];
      for (const value of ex.values) {
        const items = value.isList ? value.items : [value];
        if (items.length !== fields.items.length) {
          this.sink.report('error', 'RULES_EXCEPTION_MISMATCH',
            `Fields and values lists must have equal length (exception '${ex.name}' has ${fields.items.length} fields, a value has ${items.length})`, ex.at, item);
          return null;
        }
        const checks = fields.items.map((field, k) => {
          const comp = (comps as { items: readonly Entry[] }).items[k] as { item: string };
          const op = comp.item.trim();
          const v = items[k];
          const rendered = v.isList
            ? `(${v.items.map((i) => pasteListItem(i.isList ? '' : i.item)).join(', ')})`
            : isListOperator(op) || isModifiedOperator(op) ? parenItem(v.item) : pasteListItem(v.item);
          return `${(field as { item: string }).item} ${op} ${rendered}`;
        });
        alternatives.push(`(${checks.join(' and ')})`);
      }
      if (alternatives.length === 0) return undefined;
      text = `(${alternatives.join(' or ')})`;
    }
    return this.parse(textAt(text, ex.at), item, `in exception '${ex.name}': `);
  }

  private parse(original: MappedText, item: Diagnostic['item'], prefix = ''): Expr | undefined {
    const text = this.substitute(original);
    if (!text) return undefined;
    try {
      const expr = parseCondition(text.text);
      this.recordOrigins(expr, text);
      return expr;
    } catch (e) {
      if (!(e instanceof ConditionSyntaxError)) throw e;
      const list = text.pastedBy?.(Math.min(e.pos.offset, text.text.length - 1));
      const pasted = list ? ` (Falco pastes the items of list '${list}' here as text, before it parses the condition: \`${text.text}\`)` : '';
      this.sink.report('error', e.code, `${prefix}${e.message}${pasted}`, text.at(e.pos.offset), item);
      return undefined;
    }
  }

  /**
   * The condition text as Falco parses it: list names substituted by their items (../language/list-paste.ts),
   * each character still mapped to the file (pasted ones to the list's name). Undefined when a substituted list has
   * an item that would be read as something other than one value (reported at the list).
   */
  private substitute(text: MappedText): MappedText | undefined {
    const r = substituteLists(text.text, this.pastedLists.substituted, this.pastedLists.substitutedOrder);
    if (r.lists.length === 0) return text;
    let ok = true;
    for (const name of r.lists) ok = this.checkListItems(name) && ok;
    if (!ok) return undefined;
    const substituted: MappedText = {
      text: r.text,
      at: (offset) => text.at(r.originOf(offset)),
      fileAt: (offset) => text.fileAt(r.originOf(offset)),
      pastedBy: (offset) => r.pastedByAt(offset),
    };
    this.unsubstituted.set(substituted, text.text);
    return substituted;
  }

  /** Whether every item of a list reads as one value once pasted; the others are errors at the list. */
  private checkListItems(name: string): boolean {
    const list = this.collected.lists.get(name) as ListInfo;
    let ok = true;
    const items = this.resolvedLists.get(name) ?? [];
    for (let k = 0; k < items.length; k++) {
      const raw = items[k];
      const read = this.pastedItem(raw);
      if ('problem' in read) {
        this.sink.report('error', 'COND_LIST_ITEM_STRUCTURE', listItemMessage(name, raw, read.problem), list.at, { kind: 'list', name });
        ok = false;
      }
    }
    return ok;
  }

  private pastedItem(raw: string): PastedItem {
    let read = this.itemValues.get(raw);
    if (!read) {
      read = readPastedListItem(raw);
      this.itemValues.set(raw, read);
    }
    return read;
  }

  private recordOrigins(node: Node, text: MappedText): void {
    this.origins.set(node, text);
    switch (node.kind) {
      case 'and':
      case 'or':
        for (let k = 0; k < node.children.length; k++) this.recordOrigins(node.children[k], text);
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
        for (let k = 0; k < node.args.length; k++) this.recordOrigins(node.args[k], text);
        return;
      case 'transformerList':
      case 'list':
        for (let k = 0; k < node.items.length; k++) this.recordOrigins(node.items[k], text);
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
          const macro = this.collected.macros.get(e.name);
          // the unknown part of a predefined macro (its own name in its text), or of a predefined rule
          if ((macro?.opaque && stack[stack.length - 1] === e.name) || (e.name === OPAQUE_CONDITION && stack.length === 0 && this.sawOpaque)) {
            this.sawOpaque = true;
            return e;
          }
          if (!macro || !visible(macro)) {
            const later = macro ? ` (macro '${e.name}' is defined later, at ${position(macro.at)}: a macro may only use macros defined before it)` : '';
            const hint = macro ? '' : didYouMean(e.name, this.collected.macros.keys());
            this.reportNode('error', 'COND_UNDEFINED_MACRO', `Undefined macro '${e.name}' used in filter.${later}${hint}`, e, item);
            failed = true;
            return e;
          }
          const body = this.macroExpr(e.name, stack);
          if (!body) failed = true;
          if (this.opaqueMacros.has(e.name)) this.sawOpaque = true;
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
      // `proc.name in shells` with shells: [bash] is `proc.name in bash` once pasted: libsinsp reads the word as one value
      if (this.origins.get(operand)?.pastedBy?.(operand.pos.offset)) {
        return this.derive(operand, { kind: 'list', items: [literal(operand.name, operand.pos)], pos: operand.pos } as ListLiteral);
      }
      const items = this.collected.lists.has(operand.name) ? this.resolvedLists.get(operand.name) : undefined;
      if (!items) {
        if (!this.collected.lists.has(operand.name)) {
          const hint = didYouMean(operand.name, this.collected.lists.keys());
          this.reportNode('error', 'COND_UNDEFINED_LIST', `Undefined list '${operand.name}' used in filter.${hint}`, operand, item);
        }
        fail();
        return operand;
      }
      const literals = this.listLiterals(operand.name, items, operand, item, fail);
      return this.derive(operand, { kind: 'list', items: literals, pos: operand.pos } as ListLiteral);
    }
    if (operand.kind === 'list' && operand.items.some((i) => !i.quoted && this.collected.lists.has(i.value))) {
      const items = operand.items.flatMap((i) => {
        if (i.quoted || !this.collected.lists.has(i.value)) return [i];
        return this.listLiterals(i.value, this.resolvedLists.get(i.value) ?? [], i, item, fail);
      });
      return this.derive(operand, { ...operand, items });
    }
    return operand;
  }

  /**
   * The values a list contributes to a condition. Falco pastes list items into the condition text
   * (see ../language/list-paste.ts), so each item is read as condition text (`"10.0.0.0/8"` is the
   * value 10.0.0.0/8); an item that would not read as exactly one value is an error at the list.
   */
  private listLiterals(listName: string, items: readonly string[], at: Node, item: Diagnostic['item'], fail: () => void): StringLiteral[] {
    if (this.opaqueLists.has(listName)) this.sawOpaque = true;
    const out: StringLiteral[] = [];
    for (let k = 0; k < items.length; k++) {
      const raw = items[k];
      const read = this.pastedItem(raw);
      if ('problem' in read) {
        const list = this.collected.lists.get(listName);
        const message = listItemMessage(listName, raw, read.problem);
        if (list && !list.opaque) this.sink.report('error', 'COND_LIST_ITEM_STRUCTURE', message, list.at, { kind: 'list', name: listName });
        else this.reportNode('error', 'COND_LIST_ITEM_STRUCTURE', message, at, item);
        fail();
        continue;
      }
      out.push(this.derive(at, literal(read.value, at.pos)));
    }
    return out;
  }

  /**
   * Marks what a condition refers to as used, as Falco does (rule_loader_compiler.cpp): the lists its text
   * substitutes (parse_condition, resolve_list) and the macros its syntax tree names (resolve_macros).
   */
  /**
   * Marks what a condition refers to as used, from the file its text comes from. A text appended to in later files
   * is, after each earlier file, the part written so far: each such part is marked from its own file.
   */
  private markUsedIn(mapped: MappedText, raw: string, parsed: Expr): void {
    const first = this.step(mapped.fileAt(0));
    if (raw !== mapped.text || raw.length === 0) return this.markUsed(raw, parsed, first);
    const last = this.step(mapped.fileAt(raw.length - 1));
    if (first !== last) {
      let current = first;
      for (let i = 1; i < raw.length; i++) {
        const step = this.step(mapped.fileAt(i));
        if (step === current) continue;
        const before = raw.slice(0, i);
        let expr: Expr | undefined;
        try {
          expr = parseCondition(before);
        } catch {
          expr = undefined; // a part that does not parse alone: Falco's load of that file failed
        }
        if (expr) this.markUsed(before, expr, current);
        current = step;
      }
    }
    this.markUsed(raw, parsed, last);
  }

  private markUsed(text: string, parsed: Expr, step: number): void {
    for (const name of substitutedListNames(text, this.pastedLists.order, this.pastedLists.lists)) markUsedFrom(this.usedLists, name, step);
    const visit = (e: Expr): void => {
      switch (e.kind) {
        case 'and':
        case 'or':
          return e.children.forEach(visit);
        case 'not':
          return visit(e.child);
        case 'macro':
          markUsedFrom(this.usedMacros, e.name, step);
          return;
        default:
      }
    };
    visit(parsed);
  }

  /**
   * LOAD_UNUSED_MACRO then LOAD_UNUSED_LIST, in definition order, as Falco ends a compilation; names an earlier file
   * defines are not judged. Falco compiles after each file: an item first used by a later file is reported too, as
   * Falco reports it when the item's own file is loaded (once here, where Falco repeats it after each file).
   */
  private reportUnused(): void {
    const unusedWhenLoaded = (used: number | undefined, at: SourceRef) => used === undefined || used > this.step(at.file);
    const later = (used: number | undefined) => (used === undefined ? '' : ` when its file is loaded (the first use is in ${this.fileOrder[used].name}, loaded later)`);
    for (const macro of this.collected.macros.values()) {
      const used = this.usedMacros.get(macro.name);
      if (!unusedWhenLoaded(used, macro.at) || this.collected.isPredefined('macro', macro.name)) continue;
      this.sink.report('warning', 'LOAD_UNUSED_MACRO', `Macro not referred to by any other rule/macro${later(used)}`, macro.at, { kind: 'macro', name: macro.name });
    }
    for (const list of this.collected.lists.values()) {
      const used = this.usedLists.get(list.name);
      if (!unusedWhenLoaded(used, list.at) || this.collected.isPredefined('list', list.name)) continue;
      this.sink.report('warning', 'LOAD_UNUSED_LIST', `List not referred to by any other rule/macro${later(used)}`, list.at, { kind: 'list', name: list.name });
    }
  }

  /** A node derived from another keeps its origin (for positions). */
  private derive<T extends object>(from: object, to: T): T {
    const origin = this.origins.get(from);
    if (origin) this.origins.set(to, origin);
    return to;
  }

  /**
   * Where an output problem is reported, as real `falco -V` 0.44.1 places it: an output that does not compile at the
   * start of its YAML value (the quote or block indicator; the message names the token), the %container.info
   * deprecation at the rule. Unlike Falco, an output changed by an override or append is placed at the value that
   * holds the token, where Falco names the rule's first output (test/conformance/falco-output-positions).
   */
  private outputIssueAt(issue: OutputIssue, rule: RuleInfo): SourceRef {
    if (issue.code === 'LOAD_DEPRECATED_ITEM') return rule.at;
    return rule.output.valueAt?.(issue.offset) ?? rule.output.at(issue.offset);
  }

  private nodeRef(node: Node, rule: RuleInfo): SourceRef {
    const origin = this.origins.get(node);
    return origin ? origin.at(node.pos.offset) : rule.text.at(0);
  }

  private reportIssue(issue: CheckIssue, rule: RuleInfo, item: Diagnostic['item']): void {
    this.sink.report(issue.severity, issue.code, issue.message, this.nodeRef(issue.node, rule), item);
  }

  /** Whether an expanded condition stays within the bounds; reported at its text's start when not. */
  private withinBounds(expr: Expr, text: MappedText, item: Diagnostic['item']): boolean {
    const { nodes, depth } = this.sizeOf(expr);
    const kind = item?.kind ?? 'rule';
    if (nodes > MAX_EXPANDED_NODES) {
      this.sink.report('error', 'COND_TOO_LARGE',
        `the condition of ${kind} '${item?.name}' has more than ${MAX_EXPANDED_NODES} nodes once its macros are expanded (a macro used several times by the next, over and over): `
        + 'use each macro once, or write the shared part once', text.at(0), item);
      return false;
    }
    if (depth > MAX_EXPANDED_DEPTH) {
      this.sink.report('error', 'COND_TOO_DEEP',
        `the condition of ${kind} '${item?.name}' nests more than ${MAX_EXPANDED_DEPTH} levels deep once its macros are expanded: shorten the chain of macros`,
        text.at(0), item);
      return false;
    }
    return true;
  }

  /** Nodes and depth of an expanded condition; shared subtrees are measured once (a bomb costs its height, not its size). */
  private sizeOf(expr: Expr): ExprSize {
    if (expr.kind !== 'and' && expr.kind !== 'or' && expr.kind !== 'not') return LEAF_SIZE;
    const known = this.sizes.get(expr);
    if (known) return known;
    let size: ExprSize;
    switch (expr.kind) {
      case 'and':
      case 'or': {
        let nodes = 1;
        let depth = 0;
        for (let k = 0; k < expr.children.length; k++) {
          const s = this.sizeOf(expr.children[k]);
          nodes += s.nodes;
          depth = Math.max(depth, s.depth);
        }
        size = { nodes, depth: depth + 1 };
        break;
      }
      case 'not': {
        const s = this.sizeOf(expr.child);
        size = { nodes: s.nodes + 1, depth: s.depth + 1 };
        break;
      }
    }
    this.sizes.set(expr, size);
    return size;
  }

  private checkStandalone(expr: Expr, name: string): void {
    const source = this.collected.predefinedSource ?? 'syscall';
    for (const issue of checkCondition(expr, source)) this.reportNode(issue.severity, issue.code, issue.message, issue.node, { kind: 'macro', name });
  }

  private reportNode(severity: 'error' | 'warning', code: DiagnosticCode, message: string, node: Node, item: Diagnostic['item']): void {
    const origin = this.origins.get(node);
    const ref = origin ? origin.at(node.pos.offset) : undefined;
    if (!ref) return;
    this.sink.report(severity, code, message, ref, item);
  }
}

/** ` Did you mean 'x'?` for the closest known name within two edits, or nothing. */
function didYouMean(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const distance = editDistance(candidate, name);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` Did you mean '${best}'?`;
}

function position(ref: SourceRef): string {
  const { line, col } = ref.file.position(ref.offset);
  return `${ref.file.name}:${line}:${col}`;
}

function listItemMessage(list: string, raw: string, problem: string): string {
  return `list '${list}' has the item ${JSON.stringify(raw)}, which Falco pastes into conditions as text: ${problem}; `
    + 'quote the whole item (items: [\'"..."\']) or remove the characters ( ) , = " \'';
}

function literal(value: string, pos = NO_POSITION): StringLiteral {
  return { kind: 'string', value, quoted: true, pos };
}


function parenItem(value: string): string {
  return value[0] === '(' ? value : `(${value})`;
}

/** Records that a list or macro is used by the file at `step` of the load order (the earliest use counts). */
function markUsedFrom(used: Map<string, number>, name: string, step: number): void {
  const known = used.get(name);
  if (known === undefined || step < known) used.set(name, step);
}
