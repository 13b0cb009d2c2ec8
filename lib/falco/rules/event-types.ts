import { Expr, Operand } from '../language/ast';

/**
 * The event types a condition can match, as Falco computes them to index rules by event type
 * (libsinsp filter/ppm_codes.cpp): `and` intersects, `or` unites, negation is pushed down to
 * the checks (De Morgan); only `evt.type` checks with `=`, `==`, `!=`, `in` (and
 * `evt.type exists`) restrict the set, any other check matches every type.
 */
export type EventTypeSet =
  | { readonly kind: 'any' }
  | { readonly kind: 'only'; readonly types: readonly string[] }
  | { readonly kind: 'anyExcept'; readonly types: readonly string[] };

const ANY: EventTypeSet = { kind: 'any' };
const EVTTYPE_FIELDS: ReadonlySet<string> = new Set(['evt.type', 'syscall.type']);
const EVTTYPE_OPERATORS: ReadonlySet<string> = new Set(['=', '==', '!=', 'in']);

export function eventTypesOf(expr: Expr): EventTypeSet {
  return visit(expr, false);
}

/** Whether an event type is in a set. */
export function eventTypeMatches(set: EventTypeSet, type: string): boolean {
  if (set.kind === 'any') return true;
  return set.kind === 'only' ? set.types.includes(type) : !set.types.includes(type);
}

function visit(e: Expr, negated: boolean): EventTypeSet {
  switch (e.kind) {
    case 'and':
      return e.children.map((c) => visit(c, negated)).reduce(negated ? union : intersect);
    case 'or':
      return e.children.map((c) => visit(c, negated)).reduce(negated ? intersect : union);
    case 'not':
      return visit(e.child, !negated);
    case 'macro':
      return ANY;
    case 'unaryCheck':
      if (e.left.kind === 'field' && EVTTYPE_FIELDS.has(e.left.name)) return negated ? only([]) : ANY;
      return ANY;
    case 'binaryCheck': {
      if (e.left.kind !== 'field' || !EVTTYPE_FIELDS.has(e.left.name) || !EVTTYPE_OPERATORS.has(e.op) || e.modifier) return ANY;
      const names = valuesOf(e.right);
      if (!names) return ANY;
      let set: EventTypeSet = only(names);
      if (negated) set = complement(set);
      if (e.op === '!=') set = complement(set);
      return set;
    }
  }
}

function valuesOf(operand: Operand): string[] | undefined {
  if (operand.kind === 'string') return [operand.value];
  if (operand.kind === 'list') return operand.items.map((i) => i.value);
  return undefined;
}

function only(types: readonly string[]): EventTypeSet {
  return { kind: 'only', types: [...new Set(types)].sort() };
}

function complement(set: EventTypeSet): EventTypeSet {
  if (set.kind === 'any') return only([]);
  if (set.kind === 'only') return { kind: 'anyExcept', types: set.types };
  return only(set.types);
}

function intersect(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (a.kind === 'any') return b;
  if (b.kind === 'any') return a;
  if (a.kind === 'only' && b.kind === 'only') return only(a.types.filter((t) => b.types.includes(t)));
  if (a.kind === 'only') return only(a.types.filter((t) => !b.types.includes(t)));
  if (b.kind === 'only') return only(b.types.filter((t) => !a.types.includes(t)));
  return { kind: 'anyExcept', types: [...new Set([...a.types, ...b.types])].sort() };
}

function union(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (a.kind === 'any' || b.kind === 'any') return ANY;
  if (a.kind === 'only' && b.kind === 'only') return only([...a.types, ...b.types]);
  if (a.kind === 'only') return except(b.types.filter((t) => !a.types.includes(t)));
  if (b.kind === 'only') return except(a.types.filter((t) => !b.types.includes(t)));
  return except(a.types.filter((t) => b.types.includes(t)));
}

function except(types: readonly string[]): EventTypeSet {
  return types.length === 0 ? ANY : { kind: 'anyExcept', types: [...new Set(types)].sort() };
}
