import {
  CompiledCondition, FieldTypeLookup, compileCondition, fieldKey, fieldTypeFor, isSimpleFlatField,
} from './compile';
import { K8S_AUDIT_SOURCE } from './k8s-audit';
import { parseLiteral, valueKindOf } from './values';
import { BinaryCheck, Expr, FieldRef, UnaryCheck } from '../language/ast';
import type { ValueKind } from '../language/operators';

/**
 * Compiles a condition on flat events (every source but k8s_audit) into one JavaScript function,
 * so that each field read is a property load with a constant key, which V8 keeps monomorphic:
 * several times faster than a tree of closures over a stream of similar events.
 *
 * Only trusted text goes into the generated source: field keys and literal values enter it
 * through `JSON.stringify` (a valid JavaScript string literal), numbers as parsed numbers,
 * and everything else (sets, tests, the closure compiler's slow paths) as references into
 * arrays passed to the function. A value in a rule therefore cannot change the code's structure.
 */

interface Tables {
  /** Full closures of checks, for values the fast path does not handle (arrays, other types, missing). */
  readonly checks: CompiledCondition[];
  readonly sets: ReadonlySet<unknown>[];
}

function literal(value: string): string {
  return JSON.stringify(value);
}

function flatField(check: UnaryCheck | BinaryCheck, source: string): FieldRef | undefined {
  if (source === K8S_AUDIT_SOURCE || check.left.kind !== 'field') return undefined;
  return isSimpleFlatField(check.left.name, check.left.arg) ? check.left : undefined;
}

function pushCheck(tables: Tables, check: CompiledCondition): string {
  (tables.checks as CompiledCondition[]).push(check);
  return `c[${tables.checks.length - 1}](e)`;
}

function pushSet(tables: Tables, set: ReadonlySet<unknown>): string {
  (tables.sets as ReadonlySet<unknown>[]).push(set);
  return `s[${tables.sets.length - 1}]`;
}

/** The fast test of a string value `v` against literals, or undefined when the operator has none. */
function stringFast(check: BinaryCheck, items: readonly string[], tables: Tables): string | undefined {
  if (check.op === 'in' || check.op === 'intersects') return `${pushSet(tables, new Set(items))}.has(v)`;
  if (items.length !== 1) return undefined;
  const l = literal(items[0]);
  switch (check.op) {
    case '=': case '==': return `v === ${l}`;
    case '!=': return `v !== ${l}`;
    case 'contains': return `v.includes(${l})`;
    case 'startswith': return `v.startsWith(${l})`;
    case 'endswith': return `v.endsWith(${l})`;
    default: return undefined;
  }
}

function numberFast(check: BinaryCheck, items: readonly string[], type: string, name: string, tables: Tables): string | undefined {
  const numbers = items.map((i) => parseLiteral('number', check.op, i, type, name) as number);
  if (check.op === 'in' || check.op === 'intersects') return `${pushSet(tables, new Set(numbers))}.has(v)`;
  if (numbers.length !== 1 || !Number.isFinite(numbers[0])) return undefined;
  const n = String(numbers[0]);
  switch (check.op) {
    case '=': case '==': return `v === ${n}`;
    case '!=': return `v !== ${n}`;
    case '<': case '<=': case '>': case '>=': return `v ${check.op} ${n}`;
    default: return undefined;
  }
}

function binaryCode(check: BinaryCheck, source: string, lookup: FieldTypeLookup, tables: Tables): string {
  // The closure compiler validates the check and handles every case the fast path leaves out.
  const full = pushCheck(tables, compileCondition(check, source, lookup));
  const field = flatField(check, source);
  const right = check.right;
  if (!field || check.modifier || (right.kind !== 'string' && right.kind !== 'list')) return full;
  const info = fieldTypeFor(lookup, source, field.name);
  if (info.isList) return full;
  const items = right.kind === 'string' ? [right.value] : right.items.map((i) => i.value);
  const key = literal(fieldKey(field.name, field.arg));
  if (info.type.toUpperCase() === 'DYNAMIC') return full;
  const kind: ValueKind = valueKindOf(info.type);
  if (kind === 'string') {
    const fast = stringFast(check, items, tables);
    return fast ? `(typeof (v = e[${key}]) === "string" ? ${fast} : ${full})` : full;
  }
  if (kind === 'number') {
    const fast = numberFast(check, items, info.type, field.name, tables);
    return fast ? `(typeof (v = e[${key}]) === "number" ? ${fast} : ${full})` : full;
  }
  if (kind === 'bool' && items.length === 1 && (items[0] === 'true' || items[0] === 'false')) {
    const op = check.op === '!=' ? '!==' : check.op === '=' || check.op === '==' || check.op === 'in' || check.op === 'intersects' ? '===' : undefined;
    return op ? `(typeof (v = e[${key}]) === "boolean" ? v ${op} ${items[0]} : ${full})` : full;
  }
  return full;
}

function unaryCode(check: UnaryCheck, source: string, lookup: FieldTypeLookup, tables: Tables): string {
  const full = pushCheck(tables, compileCondition(check, source, lookup));
  const field = flatField(check, source);
  if (!field) return full;
  return `(typeof (v = e[${literal(fieldKey(field.name, field.arg))}]) === "string" || ${full})`;
}

function exprCode(expr: Expr, source: string, lookup: FieldTypeLookup, tables: Tables): string {
  switch (expr.kind) {
    case 'and': return `(${expr.children.map((c) => exprCode(c, source, lookup, tables)).join(' && ')})`;
    case 'or': return `(${expr.children.map((c) => exprCode(c, source, lookup, tables)).join(' || ')})`;
    case 'not': return `!${exprCode(expr.child, source, lookup, tables)}`;
    case 'unaryCheck': return unaryCode(expr, source, lookup, tables);
    case 'binaryCheck': return binaryCode(expr, source, lookup, tables);
    case 'macro': return pushCheck(tables, compileCondition(expr, source, lookup)); // throws: unresolved
  }
}

/**
 * Compiles a resolved condition into one generated function (flat sources) with the closure
 * compiler's semantics; k8s_audit conditions stay closures (their fields are extracted from JSON).
 */
export function compileConditionFast(expr: Expr, source: string, lookup: FieldTypeLookup): CompiledCondition {
  if (source === K8S_AUDIT_SOURCE) return compileCondition(expr, source, lookup);
  const tables: Tables = { checks: [], sets: [] };
  const body = exprCode(expr, source, lookup, tables);
  let factory: (checks: CompiledCondition[], sets: ReadonlySet<unknown>[]) => CompiledCondition;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    factory = new Function('c', 's', `"use strict"; return function condition(e) { let v; return ${body}; };`) as typeof factory;
  } catch {
    // Code generation disabled (node --disallow-code-generation-from-strings): the closures decide the same.
    return compileCondition(expr, source, lookup);
  }
  return factory(tables.checks, tables.sets);
}
