import {
  isListOperator, isNumericOperator, AndExpr, BinaryCheck, BinaryOperator, ComparisonOperator, Expr, FieldOperand, FieldRef, ListLiteral,
  ListOperator, ListRef, MacroRef, NO_POSITION, NotExpr, OperatorModifier, OrExpr, StringLiteral,
  TransformerArg, TransformerCall, TransformerName, TRANSFORMERS, UnaryCheck,
} from './ast';
import { isNumberToken, isToken } from './lexer';
import { readPastedListItem } from './list-paste';
import type { BUILDER_CODES } from '../../core/error-codes/tools';
import type { ListItem } from '../rules/model';

/** The codes of the condition builder (registered in lib/core/error-codes/tools.ts). */
export type BuilderCode = keyof typeof BUILDER_CODES;

/**
 * Safe construction of Falco conditions from code. Every value given here is a literal:
 * it is quoted by the printer whenever needed, so no value (a namespace, an image, a path,
 * a command line) can change the structure of the condition. Names (fields, macros, lists)
 * are checked against the grammar and rejected when they are not names.
 *
 * @example
 *   print(and(macro('spawned_process'), inList('k8s.ns.name', ['billing', 'checkout'])))
 *   // spawned_process and k8s.ns.name in ("billing", "checkout")
 */

/** Thrown for a name or value the builder cannot turn into a condition. */
export class ConditionBuildError extends Error {
  constructor(readonly code: BuilderCode, message: string) {
    super(message);
    this.name = 'ConditionBuildError';
  }
}

const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not']);

/** A field, given as a name (`proc.name`) or as a node made by {@link field} or {@link transform}. */
export type FieldInput = string | FieldOperand;
/** A value compared with a field: strings are always quoted literals. */
export type ValueInput = string | number | bigint;

/** `name` or `name[arg]`; the argument is any string and is quoted when needed. */
export function field(name: string, arg?: string | number): FieldRef {
  if (!isToken('fieldName', name)) {
    throw new ConditionBuildError('BUILD_INVALID_FIELD',
      `'${name}' is not a field name: expected dotted words such as 'proc.name' (give an argument with field(name, arg))`);
  }
  if (arg === undefined) return { kind: 'field', name, pos: NO_POSITION };
  const text = String(arg);
  if (text.length === 0 || text.includes('\0')) {
    throw new ConditionBuildError('BUILD_INVALID_VALUE', `the argument of field '${name}' must be a non-empty string without NUL characters`);
  }
  return { kind: 'field', name, arg: text, pos: NO_POSITION };
}

/** A string literal: always quoted. */
export function str(value: string): StringLiteral {
  if (typeof value !== 'string') {
    throw new ConditionBuildError('BUILD_INVALID_VALUE', `expected a string value, got ${typeof value}`);
  }
  if (value.includes('\0')) {
    throw new ConditionBuildError('BUILD_INVALID_VALUE', `the value ${JSON.stringify(value)} contains a NUL character, which a Falco condition cannot carry`);
  }
  return { kind: 'string', value, quoted: true, pos: NO_POSITION };
}

/** A number literal (integers, decimals, hex strings such as `0x1F`). */
export function num(value: number | bigint | string): StringLiteral {
  const text = typeof value === 'string' ? value : value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ConditionBuildError('BUILD_INVALID_VALUE', `${value} is not a finite number`);
  }
  if (!isNumberToken(text)) {
    throw new ConditionBuildError('BUILD_INVALID_VALUE', `'${text}' is not a number Falco can read (e.g. 42, -1, 3.5, 0x1F)`);
  }
  return { kind: 'string', value: text, quoted: false, pos: NO_POSITION };
}

/** `val()` is only allowed as the whole right side of a check (libsinsp's grammar). */
function rejectVal(operand: FieldOperand | TransformerArg, where: string): void {
  if (operand.kind !== 'transformer') return;
  if (operand.name === 'val') {
    throw new ConditionBuildError('BUILD_MISPLACED_VAL', `val() can only be the right side of a check, not ${where}`);
  }
  operand.args.forEach((a) => rejectVal(a, where));
}

function toField(input: FieldInput): FieldOperand {
  const operand = typeof input === 'string' ? field(input) : input;
  rejectVal(operand, 'the left side');
  return operand;
}

function toValue(input: ValueInput): StringLiteral {
  return typeof input === 'string' ? str(input) : num(input);
}

/**
 * libsinsp reads `and_x`, `or_x`, `not_x` after an operator modifier as a keyword followed by
 * text (its keyword test stops at the first non-alphanumeric character): such list names are refused.
 */
const KEYWORD_PREFIX_RE = /^(and|or|not)(?![a-zA-Z0-9])/;

function checkName(kind: 'macro' | 'list', name: string): void {
  if (!isToken('identifier', name) || KEYWORDS.has(name) || (kind === 'list' && KEYWORD_PREFIX_RE.test(name))) {
    throw new ConditionBuildError('BUILD_INVALID_NAME',
      `'${name}' is not a valid ${kind} name: use letters, digits and '_', starting with a letter (and not and/or/not)`);
  }
}

/** A reference to a macro: `spawned_process`. */
export function macro(name: string): MacroRef {
  checkName('macro', name);
  return { kind: 'macro', name, pos: NO_POSITION };
}

/** A reference to a list, for the right side of `in`/`intersects`/`pmatch`. */
export function listRef(name: string): ListRef {
  checkName('list', name);
  return { kind: 'listRef', name, pos: NO_POSITION };
}

/**
 * A rules-file list (`- list: name`). Falco pastes its items into conditions as text, so an item that
 * would not read back as exactly one value (`x)or(proc.name=bash`, `a, b`) is refused.
 */
export function listItem(name: string, items: readonly string[]): ListItem {
  checkName('list', name);
  items.forEach((item, i) => {
    const read = readPastedListItem(item);
    if ('problem' in read) {
      throw new ConditionBuildError('BUILD_INVALID_VALUE', `item ${i} of list '${name}' (${JSON.stringify(item)}): ${read.problem}`);
    }
  });
  return { kind: 'list', name, items: [...items] };
}

/** A list literal: every item is a quoted string (so no item is ever read as a list name). */
export function list(values: readonly ValueInput[]): ListLiteral {
  return { kind: 'list', items: values.map((v) => (typeof v === 'string' ? str(v) : num(v))), pos: NO_POSITION };
}

function nonEmpty(op: string, exprs: readonly Expr[]): void {
  if (exprs.length === 0) throw new ConditionBuildError('BUILD_EMPTY', `${op}() needs at least one condition`);
}

/** `a and b and ...`; nested `and`s are flattened; one argument is returned as is. */
export function and(...exprs: readonly Expr[]): Expr {
  nonEmpty('and', exprs);
  const children = exprs.flatMap((e) => (e.kind === 'and' ? e.children : [e]));
  if (children.length === 1) return children[0];
  const node: AndExpr = { kind: 'and', children, pos: NO_POSITION };
  return node;
}

/** `a or b or ...`; nested `or`s are flattened; one argument is returned as is. */
export function or(...exprs: readonly Expr[]): Expr {
  nonEmpty('or', exprs);
  const children = exprs.flatMap((e) => (e.kind === 'or' ? e.children : [e]));
  if (children.length === 1) return children[0];
  const node: OrExpr = { kind: 'or', children, pos: NO_POSITION };
  return node;
}

/** `not a`. */
export function not(expr: Expr): NotExpr {
  return { kind: 'not', child: expr, pos: NO_POSITION };
}

/** Any check by operator name; prefer the named helpers below. */
export function check(
  left: FieldInput,
  op: BinaryOperator,
  right: ValueInput | StringLiteral | ListLiteral | ListRef | TransformerCall,
  modifier?: OperatorModifier,
): BinaryCheck {
  const operand = typeof right === 'object' && right !== null && 'kind' in right ? right : toValue(right);
  const takesList = isListOperator(op) || modifier !== undefined;
  if ((operand.kind === 'list' || operand.kind === 'listRef') !== takesList && operand.kind !== 'transformer') {
    throw new ConditionBuildError('BUILD_OPERAND_MISMATCH',
      takesList ? `'${op}${modifier ? ` ${modifier}` : ''}' needs a list of values` : `'${op}' compares with one value, not a list`);
  }
  if (modifier !== undefined && (operand.kind === 'transformer' || isNumericOperator(op))) {
    throw new ConditionBuildError('BUILD_OPERAND_MISMATCH', `the modifier '${modifier}' needs a string operator and a list of values`);
  }
  if (isNumericOperator(op) && operand.kind === 'string' && !isNumberToken(operand.value)) {
    throw new ConditionBuildError('BUILD_OPERAND_MISMATCH', `'${op}' compares with a number, not '${operand.value}'`);
  }
  return { kind: 'binaryCheck', left: toField(left), op, modifier, right: operand, pos: NO_POSITION, opPos: NO_POSITION };
}

function comparison(op: ComparisonOperator) {
  return (left: FieldInput, value: ValueInput | StringLiteral | TransformerCall): BinaryCheck => check(left, op, value);
}

function numeric(op: '<' | '<=' | '>' | '>=') {
  return (left: FieldInput, value: number | bigint | string | TransformerCall): BinaryCheck =>
    check(left, op, typeof value === 'object' ? value : num(value));
}

export const eq = comparison('=');
export const neq = comparison('!=');
export const lt = numeric('<');
export const le = numeric('<=');
export const gt = numeric('>');
export const ge = numeric('>=');
export const contains = comparison('contains');
export const icontains = comparison('icontains');
export const bcontains = comparison('bcontains');
export const startsWith = comparison('startswith');
export const bstartsWith = comparison('bstartswith');
export const endsWith = comparison('endswith');
export const glob = comparison('glob');
export const iglob = comparison('iglob');
export const regex = comparison('regex');

function listCheck(op: ListOperator) {
  return (left: FieldInput, values: readonly ValueInput[] | ListRef): BinaryCheck =>
    check(left, op, Array.isArray(values) ? list(values) : (values as ListRef));
}

/** `field in ("a", "b")`, or `field in some_list` with {@link listRef}. */
export const inList = listCheck('in');
export const intersects = listCheck('intersects');
export const pmatch = listCheck('pmatch');

/** `field <op> oneof|anyof|allof ("a", "b")`: e.g. `startsWithAny('fd.name', ['/etc', '/root'])`. */
export function anyOf(left: FieldInput, op: ComparisonOperator, values: readonly string[] | ListRef, modifier: OperatorModifier = 'oneof'): BinaryCheck {
  if (op === '<' || op === '<=' || op === '>' || op === '>=') {
    throw new ConditionBuildError('BUILD_OPERAND_MISMATCH', `the modifier '${modifier}' does not apply to the numeric operator '${op}'`);
  }
  return check(left, op, Array.isArray(values) ? list(values) : (values as ListRef), modifier);
}

/** `field exists`. */
export function exists(left: FieldInput): UnaryCheck {
  return { kind: 'unaryCheck', left: toField(left), op: 'exists', pos: NO_POSITION };
}

/** A transformer applied to fields or values: `transform('tolower', 'proc.name')`. */
export function transform(name: Exclude<TransformerName, 'val'>, ...args: readonly (FieldInput | TransformerArg)[]): TransformerCall {
  if (!(TRANSFORMERS as readonly string[]).includes(name)) {
    throw new ConditionBuildError('BUILD_INVALID_NAME', `'${name}' is not a transformer: one of ${TRANSFORMERS.join(', ')}`);
  }
  if (args.length === 0) throw new ConditionBuildError('BUILD_EMPTY', `${name}() needs at least one argument`);
  args.forEach((a) => typeof a !== 'string' && rejectVal(a, `an argument of ${name}()`));
  return {
    kind: 'transformer',
    name,
    args: args.map((a) => (typeof a === 'string' ? field(a) : a)),
    pos: NO_POSITION,
  };
}

/** `val(field)`: compare with another field of the same event. */
export function val(input: string | FieldRef): TransformerCall {
  return { kind: 'transformer', name: 'val', args: [typeof input === 'string' ? field(input) : input], pos: NO_POSITION };
}
