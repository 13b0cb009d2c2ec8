import { K8S_AUDIT_SOURCE, isK8sAuditListField, k8sAuditExtractor } from './k8s-audit';
import {
  EvaluatorError, Normalized, ValueTest, asString, compilePathPrefixes, dynamicTest, membershipTest,
  normalize, parseLiteral, parseNumberLiteral, singleValueTest, valueKindOf,
} from './values';
import { BinaryCheck, Expr, FieldOperand, FieldRef, Operand, TransformerArg, TransformerCall, UnaryCheck } from '../language/ast';
import { operatorProblem, ValueKind } from '../language/operators';

/**
 * Compiles a resolved condition AST into a closure over one event, once; evaluating an event
 * then costs only property reads and comparisons.
 */

/** The type of a field as the evaluator needs it. */
export interface FieldTypeInfo {
  /** Falco's type name (`CHARBUF`, `UINT64`, `IPNET`, ...) or a plugin's (`string`, `uint64`). */
  readonly type: string;
  /** Whether the field extracts a list of values (`ka.user.groups`, `fd.types`). */
  readonly isList: boolean;
}

/** Looks up a field's type for a source; undefined for a field it does not know (compared as a string). */
export type FieldTypeLookup = (source: string, name: string) => FieldTypeInfo | undefined;

/** A compiled condition. */
export type CompiledCondition = (event: unknown) => boolean;

/** Reads one field (or transformer result) from an event: a value, an array of values, or undefined. */
export type Extractor = (event: unknown) => unknown;

/** An operand compiled: how to read it and what it holds. */
interface CompiledOperand {
  readonly extract: Extractor;
  readonly type: string;
  readonly isList: boolean;
  readonly text: string;
}

const STRING_FIELD: FieldTypeInfo = { type: 'CHARBUF', isList: false };

/** Ancestor fields: without an argument they match when any ancestor matches; `[0]` is the process itself. */
const ANCESTOR_FIELDS: Readonly<Record<string, string>> = {
  'proc.aname': 'proc.name',
  'proc.apid': 'proc.pid',
  'proc.aexe': 'proc.exe',
  'proc.aexepath': 'proc.exepath',
  'proc.acmdline': 'proc.cmdline',
  'proc.aenv': 'proc.env',
};

const PARENT_FIELDS: Readonly<Record<string, string>> = {
  'proc.aname': 'proc.pname',
  'proc.apid': 'proc.ppid',
  'proc.aexe': 'proc.pexe',
  'proc.aexepath': 'proc.pexepath',
  'proc.acmdline': 'proc.pcmdline',
};

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

/** The key under which a flat (syscall) event holds a field: its text as written in a condition. */
export function fieldKey(name: string, arg?: string): string {
  return arg === undefined ? name : `${name}[${arg}]`;
}

/** Whether a field of a flat event is read from one key only (no alternative spellings, no ancestor fallback). */
export function isSimpleFlatField(name: string, arg: string | undefined): boolean {
  if (arg === undefined) return !/^evt\.(?:raw)?arg\./.test(name);
  return name !== 'evt.arg' && name !== 'evt.rawarg' && !(ANCESTOR_FIELDS[name] && /^\d+$/.test(arg));
}

/**
 * An extractor for a flat event object keyed by field text (`proc.name`, `proc.aname[2]`,
 * `evt.arg.flags`/`evt.arg[flags]`). For `proc.aname[N]` without such a key, the array under
 * `proc.aname` (ancestors from the parent up) gives element N-1, `[0]` the process's own field.
 */
function flatExtractor(name: string, arg: string | undefined): Extractor {
  const keys = [fieldKey(name, arg)];
  const argForm = /^(evt\.(?:raw)?arg)\.(.+)$/.exec(name);
  if (argForm && arg === undefined) keys.push(`${argForm[1]}[${argForm[2]}]`);
  if (arg !== undefined && (name === 'evt.arg' || name === 'evt.rawarg')) keys.push(`${name}.${arg}`);
  if (arg !== undefined && ANCESTOR_FIELDS[name] && /^\d+$/.test(arg)) {
    const n = Number(arg);
    if (n === 0) keys.push(ANCESTOR_FIELDS[name]);
    if (n === 1 && PARENT_FIELDS[name]) keys.push(PARENT_FIELDS[name]);
    const first = keys[0];
    const fallbacks = keys.slice(1);
    return (e) => {
      const o = e as Record<string, unknown>;
      const v = o[first];
      if (v !== undefined) return v;
      for (const k of fallbacks) if (o[k] !== undefined) return o[k];
      const ancestors = o[name];
      return n >= 1 && Array.isArray(ancestors) ? ancestors[n - 1] : undefined;
    };
  }
  if (keys.length === 1) {
    const key = keys[0];
    return (e) => (e as Record<string, unknown>)[key];
  }
  return (e) => {
    const o = e as Record<string, unknown>;
    for (const k of keys) if (o[k] !== undefined) return o[k];
    return undefined;
  };
}

/** How fields are read for a source: k8s_audit events are raw audit JSON, others flat objects. */
export function fieldExtractor(source: string, name: string, arg: string | undefined): Extractor {
  if (source === K8S_AUDIT_SOURCE) {
    const extract = k8sAuditExtractor(name, arg);
    return extract ?? (() => undefined);
  }
  return flatExtractor(name, arg);
}

export function fieldTypeFor(lookup: FieldTypeLookup, source: string, name: string): FieldTypeInfo {
  const known = lookup(source, name);
  if (known) return known;
  if (source === K8S_AUDIT_SOURCE && name.startsWith('ka.')) return { type: 'CHARBUF', isList: isK8sAuditListField(name) };
  return STRING_FIELD;
}

// ---------------------------------------------------------------------------------------------
// Transformers

const textDecoder = new TextDecoder('utf-8', { fatal: false });

function decodeBase64(s: string): string | undefined {
  const t = s.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(t) || t.length % 4 === 1) return undefined;
  return textDecoder.decode(Buffer.from(t, 'base64'));
}

function mapValues(v: unknown, f: (s: string) => string | undefined): unknown {
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const item of v) {
      const r = f(asString(item));
      if (r === undefined) return undefined;
      out.push(r);
    }
    return out;
  }
  return f(asString(v));
}

function stringTransformer(name: string): (s: string) => string | undefined {
  switch (name) {
    case 'tolower': return (s) => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());
    case 'toupper': return (s) => s.replace(/[a-z]+/g, (c) => c.toUpperCase());
    case 'b64': return decodeBase64;
    case 'basename': return (s) => s.slice(s.lastIndexOf('/') + 1);
    default: throw new EvaluatorError('EVAL_BAD_TRANSFORMER', `unknown transformer '${name}'`);
  }
}

interface CompileContext {
  readonly source: string;
  readonly lookup: FieldTypeLookup;
}

function compileTransformerArg(arg: TransformerArg, ctx: CompileContext): CompiledOperand {
  switch (arg.kind) {
    case 'field':
    case 'transformer':
      return compileOperand(arg, ctx);
    case 'string': {
      const value = arg.value;
      return { extract: () => value, type: 'CHARBUF', isList: false, text: JSON.stringify(value) };
    }
    case 'transformerList': {
      const items = arg.items.map((i) => compileTransformerArg(i, ctx));
      return {
        extract: (e) => {
          const out: unknown[] = [];
          for (const item of items) {
            const v = item.extract(e);
            if (!present(v)) return undefined;
            if (Array.isArray(v)) out.push(...v);
            else out.push(v);
          }
          return out;
        },
        type: 'CHARBUF',
        isList: true,
        text: '(...)',
      };
    }
  }
}

function compileTransformer(call: TransformerCall, ctx: CompileContext): CompiledOperand {
  const args = call.args.map((a) => compileTransformerArg(a, ctx));
  const text = `${call.name}(${args.map((a) => a.text).join(', ')})`;
  if (call.arg !== undefined && call.name !== 'getopt') {
    throw new EvaluatorError('EVAL_BAD_TRANSFORMER', `transformer '${call.name}' does not support field arguments`);
  }
  switch (call.name) {
    case 'val': {
      if (args.length !== 1) throw new EvaluatorError('EVAL_BAD_TRANSFORMER', 'val() takes exactly one field');
      return { ...args[0], text };
    }
    case 'tolower': case 'toupper': case 'b64': case 'basename': {
      if (args.length !== 1) throw new EvaluatorError('EVAL_BAD_TRANSFORMER', `${call.name}() takes exactly one argument`);
      const inner = args[0];
      const f = stringTransformer(call.name);
      const extract: Extractor = (e) => {
        const v = inner.extract(e);
        return present(v) ? mapValues(v, f) : undefined;
      };
      return { extract, type: inner.type, isList: inner.isList, text };
    }
    case 'len': {
      if (args.length !== 1) throw new EvaluatorError('EVAL_BAD_TRANSFORMER', 'len() takes exactly one argument');
      const inner = args[0];
      const extract: Extractor = (e) => {
        const v = inner.extract(e);
        if (!present(v)) return undefined;
        if (inner.isList) return Array.isArray(v) ? v.length : 1;
        if (Array.isArray(v)) return v.map((x) => Buffer.byteLength(asString(x)));
        return Buffer.byteLength(asString(v));
      };
      return { extract, type: 'UINT64', isList: false, text };
    }
    case 'join': {
      if (args.length !== 2) throw new EvaluatorError('EVAL_BAD_TRANSFORMER', 'join() requires exactly 2 arguments: separator and list');
      const [sep, items] = args;
      const extract: Extractor = (e) => {
        const s = sep.extract(e);
        const v = items.extract(e);
        if (!present(s) || !present(v)) return undefined;
        return (Array.isArray(v) ? v : [v]).map(asString).join(asString(s));
      };
      return { extract, type: 'CHARBUF', isList: false, text };
    }
    case 'concat': {
      if (args.length < 2) throw new EvaluatorError('EVAL_BAD_TRANSFORMER', 'concat() requires at least 2 arguments');
      const extract: Extractor = (e) => {
        let out = '';
        for (const a of args) {
          const v = a.extract(e);
          if (!present(v)) return undefined;
          out += asString(Array.isArray(v) ? v[0] : v);
        }
        return out;
      };
      return { extract, type: 'CHARBUF', isList: false, text };
    }
    case 'getopt': {
      if (args.length !== 2) throw new EvaluatorError('EVAL_BAD_TRANSFORMER', 'getopt() requires exactly 2 arguments: args list and optstring');
      const [list, optstring] = args;
      const selector = call.arg;
      if (selector !== undefined && selector.length !== 1) {
        throw new EvaluatorError('EVAL_BAD_TRANSFORMER', 'getopt() field argument must be a single option character');
      }
      const extract: Extractor = (e) => {
        const opts = optstring.extract(e);
        const v = list.extract(e);
        if (!present(opts) || !present(v)) return undefined;
        return getopt((Array.isArray(v) ? v : [v]).map(asString), asString(Array.isArray(opts) ? opts[0] : opts), selector);
      };
      return { extract, type: 'CHARBUF', isList: selector === undefined, text };
    }
    default:
      throw new EvaluatorError('EVAL_UNSUPPORTED_TRANSFORMER', `the evaluator does not support the ${String(call.name)}() transformer`);
  }
}

/**
 * libsinsp's getopt() transformer: POSIX-style short options of an argument list. Without a
 * selector, the list of options met (each followed by its argument, `?` for an unknown one);
 * with one (`getopt(...)[o]`), the last value of that option, or its name when it takes none.
 */
export function getopt(argv: readonly string[], optstring: string, selector?: string): string | string[] | undefined {
  const valid = new Set<string>();
  const withArg = new Set<string>();
  for (let i = optstring.startsWith(':') ? 1 : 0; i < optstring.length; i++) {
    const c = optstring[i];
    if (c === ':') continue;
    valid.add(c);
    if (optstring[i + 1] === ':') {
      withArg.add(c);
      i++;
    }
  }
  const results: string[] = [];
  let selected: string | undefined;
  const emit = (name: string, value: string | undefined) => {
    if (selector !== undefined) {
      selected = value ?? name;
      return;
    }
    results.push(name);
    if (value !== undefined) results.push(value);
  };
  for (let a = 0; a < argv.length; a++) {
    const arg = argv[a];
    if (arg === '--') break;
    if (arg.length > 2 && arg.startsWith('--')) continue;
    if (arg.length < 2 || arg[0] !== '-') break;
    for (let i = 1; i < arg.length; i++) {
      const opt = arg[i];
      if (opt === ':' || !valid.has(opt)) {
        if (selector === undefined) results.push('?');
        continue;
      }
      const match = selector === undefined || opt === selector;
      if (!withArg.has(opt)) {
        if (match) emit(opt, undefined);
        continue;
      }
      let value: string | undefined;
      if (i + 1 < arg.length) value = arg.slice(i + 1);
      else if (a + 1 < argv.length) value = argv[++a];
      if (value === undefined) {
        if (match) emit('', undefined);
      } else if (match) {
        emit(opt, value);
      }
      break;
    }
  }
  if (selector !== undefined) return selected;
  return results;
}

function compileField(field: FieldRef, ctx: CompileContext): CompiledOperand {
  const info = fieldTypeFor(ctx.lookup, ctx.source, field.name);
  return {
    extract: fieldExtractor(ctx.source, field.name, field.arg),
    type: info.type,
    isList: info.isList,
    text: fieldKey(field.name, field.arg),
  };
}

export function compileOperand(operand: FieldOperand, ctx: CompileContext): CompiledOperand {
  return operand.kind === 'field' ? compileField(operand, ctx) : compileTransformer(operand, ctx);
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Normalizes an extracted value (or each of an array of values); undefined when none can be read. */
function normalizedValues(kind: ValueKind, v: unknown): Normalized[] | undefined {
  const raw = Array.isArray(v) ? v : [v];
  const out: Normalized[] = [];
  for (const item of raw) {
    if (item === undefined || item === null) continue;
    const n = normalize(kind, item);
    if (n !== undefined) out.push(n);
  }
  return out.length > 0 ? out : undefined;
}

function compileUnary(check: UnaryCheck, ctx: CompileContext): CompiledCondition {
  const { extract } = compileOperand(check.left, ctx);
  return (e) => present(extract(e));
}

function literalItems(right: Operand): string[] {
  switch (right.kind) {
    case 'string': return [right.value];
    case 'list': return right.items.map((i) => i.value);
    case 'listRef':
      throw new EvaluatorError('EVAL_UNRESOLVED', `list '${right.name}' is not resolved: evaluate a loaded rule set`);
    case 'transformer':
      throw new Error('unreachable: transformer right-hand side');
  }
}

/** A test of the left value against literals: one value, a set, a path prefix set, or a modifier over items. */
function literalTest(check: BinaryCheck, left: CompiledOperand, kind: ValueKind): ValueTest {
  const { op, modifier } = check;
  const items = literalItems(check.right);
  const parse = (text: string) => parseLiteral(kind, op, text, left.type, left.text);
  if (modifier) {
    const tests = items.map((i) => singleValueTest(kind, op, parse(i)));
    if (tests.length === 0) return () => false;
    switch (modifier) {
      case 'anyof': return (v) => tests.some((t) => t(v));
      case 'allof': return (v) => tests.every((t) => t(v));
      case 'oneof': return (v) => {
        let n = 0;
        for (const t of tests) if (t(v) && ++n > 1) return false;
        return n === 1;
      };
    }
  }
  if (op === 'in' || op === 'intersects') return membershipTest(kind, items.map(parse));
  if (op === 'pmatch') {
    const match = compilePathPrefixes(items);
    return (v) => match(v as string);
  }
  if (items.length !== 1) throw new EvaluatorError('EVAL_BAD_OPERAND', `operator '${op}' takes a single value`);
  return singleValueTest(kind, op, parse(items[0]));
}

/**
 * The comparison kind of a field type; a DYNAMIC field (`evt.rawarg.*`, typed per event in
 * libsinsp) compares as a number when every right-hand literal is one.
 */
function kindForComparison(type: string, right: Operand): ValueKind {
  if (type.toUpperCase() !== 'DYNAMIC' || right.kind === 'transformer' || right.kind === 'listRef') return valueKindOf(type);
  const items = right.kind === 'string' ? [right.value] : right.items.map((i) => i.value);
  return items.length > 0 && items.every((i) => parseNumberLiteral(i) !== undefined) ? 'number' : 'string';
}

function compileBinary(check: BinaryCheck, ctx: CompileContext): CompiledCondition {
  const left = compileOperand(check.left, ctx);
  const kind = kindForComparison(left.type, check.right);
  const { op } = check;
  const unsupported = operatorProblem({ kind, isList: left.isList }, op);
  if (unsupported) {
    throw new EvaluatorError('EVAL_BAD_OPERATOR', `${unsupported} (field '${left.text}' is ${left.isList ? `a list of ${left.type}` : left.type})`);
  }
  const extract = left.extract;

  if (check.right.kind === 'transformer') return compileFieldComparison(check, left, kind, ctx);

  const test = literalTest(check, left, kind);
  if (left.isList) {
    // libsinsp: `in` holds when every extracted value is in the set, `intersects` when one is.
    const every = op === 'in';
    return (e) => {
      const values = normalizedValues(kind, extract(e));
      if (!values) return false;
      return every ? values.every(test) : values.some(test);
    };
  }
  if (kind === 'string') {
    // The common case, kept free of allocation: one string value.
    return (e) => {
      const v = extract(e);
      if (typeof v === 'string') return test(v);
      if (v === undefined || v === null) return false;
      const values = normalizedValues(kind, v);
      return values !== undefined && values.some(test);
    };
  }
  return (e) => {
    const v = extract(e);
    if (v === undefined || v === null) return false;
    if (!Array.isArray(v)) {
      const n = normalize(kind, v);
      return n !== undefined && test(n);
    }
    const values = normalizedValues(kind, v);
    return values !== undefined && values.some(test);
  };
}

/** `left op val(other)` / `left op tolower(other)`: both sides read from the event. */
function compileFieldComparison(check: BinaryCheck, left: CompiledOperand, kind: ValueKind, ctx: CompileContext): CompiledCondition {
  const right = compileOperand(check.right as TransformerCall, ctx);
  const { op } = check;
  if (op === 'pmatch' || op === 'regex') {
    throw new EvaluatorError('EVAL_BAD_OPERATOR', `operator '${op}' doesn't support right-hand side fields`);
  }
  const setOp = op === 'in' || op === 'intersects';
  return (e) => {
    const lv = normalizedValues(kind, left.extract(e));
    const rv = normalizedValues(kind, right.extract(e));
    if (!lv || !rv) return false;
    if (setOp) {
      const inSet = (l: Normalized) => rv.some((r) => dynamicTest(kind, '=', l, r));
      return left.isList && op === 'in' ? lv.every(inSet) : lv.some(inSet);
    }
    return lv.some((l) => dynamicTest(kind, op, l, rv[0]));
  };
}

function compileExpr(expr: Expr, ctx: CompileContext): CompiledCondition {
  switch (expr.kind) {
    case 'and': {
      const parts = expr.children.map((c) => compileExpr(c, ctx));
      if (parts.length === 1) return parts[0];
      if (parts.length === 2) {
        const [a, b] = parts;
        return (e) => a(e) && b(e);
      }
      if (parts.length === 3) {
        const [a, b, c] = parts;
        return (e) => a(e) && b(e) && c(e);
      }
      return (e) => {
        for (const p of parts) if (!p(e)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = expr.children.map((c) => compileExpr(c, ctx));
      if (parts.length === 1) return parts[0];
      if (parts.length === 2) {
        const [a, b] = parts;
        return (e) => a(e) || b(e);
      }
      return (e) => {
        for (const p of parts) if (p(e)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compileExpr(expr.child, ctx);
      return (e) => !inner(e);
    }
    case 'macro':
      throw new EvaluatorError('EVAL_UNRESOLVED', `macro '${expr.name}' is not resolved: evaluate a loaded rule set`);
    case 'unaryCheck':
      return compileUnary(expr, ctx);
    case 'binaryCheck':
      return compileBinary(expr, ctx);
  }
}

/** Compiles a resolved condition (no macro or list references left) for events of `source`. */
export function compileCondition(expr: Expr, source: string, lookup: FieldTypeLookup): CompiledCondition {
  return compileExpr(expr, { source, lookup });
}

/** Compiles the reading of one field or transformer (for outputs). */
export function compileExtractor(operand: FieldOperand, source: string, lookup: FieldTypeLookup): CompiledOperand {
  return compileOperand(operand, { source, lookup });
}
