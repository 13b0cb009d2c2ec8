/**
 * The abstract syntax tree of a Falco condition (the filter language of libsinsp 0.25,
 * as used by Falco 0.44). Every node carries the position of its first character in the
 * condition text it was parsed from; nodes made by the builder carry {@link NO_POSITION}.
 *
 * A condition straight out of the parser may contain `macro` and `listRef` nodes; a
 * resolved condition (see the loader) has every macro expanded and every list reference
 * replaced by a `list` node of its items.
 */

/** Where a node starts in its condition text: 0-based offset, 1-based line and column. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly col: number;
}

/** The position of nodes built in code rather than parsed. */
export const NO_POSITION: SourcePosition = Object.freeze({ offset: 0, line: 1, col: 1 });

export {
  COMPARISON_OPERATORS, LIST_OPERATORS, NUMERIC_OPERATORS, UNARY_OPERATORS, OPERATOR_MODIFIERS, TRANSFORMERS,
  isListOperator, isNumericOperator,
} from './lexer';
export type {
  ComparisonOperator, ListOperator, BinaryOperator, UnaryOperator, OperatorModifier, TransformerName,
} from './lexer';
import type { BinaryOperator, OperatorModifier, TransformerName, UnaryOperator } from './lexer';

interface Positioned {
  readonly pos: SourcePosition;
}

/** `a and b and c`: children in source order (never fewer than two from the parser). */
export interface AndExpr extends Positioned {
  readonly kind: 'and';
  readonly children: readonly Expr[];
}

/** `a or b or c`. */
export interface OrExpr extends Positioned {
  readonly kind: 'or';
  readonly children: readonly Expr[];
}

/** `not a`. */
export interface NotExpr extends Positioned {
  readonly kind: 'not';
  readonly child: Expr;
}

/** A bare identifier used as a check: a reference to a macro (`spawned_process`). */
export interface MacroRef extends Positioned {
  readonly kind: 'macro';
  readonly name: string;
}

/** `proc.name exists`. */
export interface UnaryCheck extends Positioned {
  readonly kind: 'unaryCheck';
  readonly left: FieldOperand;
  readonly op: UnaryOperator;
}

/**
 * `left op right`. With a `modifier` (`startswith oneof (...)`) the right side is a list.
 * Right sides by operator:
 * - numeric operators: a `string` literal holding a number, or a transformer/`val()`;
 * - other comparison operators: a `string` literal, or a transformer/`val()`;
 * - list operators and modified operators: a `list`, a `listRef`, or (list operators only) a transformer/`val()`.
 */
export interface BinaryCheck extends Positioned {
  readonly kind: 'binaryCheck';
  readonly left: FieldOperand;
  readonly op: BinaryOperator;
  readonly modifier?: OperatorModifier;
  readonly right: Operand;
  /** Where the operator starts. */
  readonly opPos: SourcePosition;
}

export type CheckExpr = UnaryCheck | BinaryCheck;
export type Expr = AndExpr | OrExpr | NotExpr | MacroRef | CheckExpr;

/** A field with its optional argument: `proc.aname[2]`, `jevt.value[/stage]`, `evt.arg.flags`. */
export interface FieldRef extends Positioned {
  readonly kind: 'field';
  /** The full field name, e.g. `proc.aname`, `evt.arg.flags`. */
  readonly name: string;
  /** The text between `[` and `]`, unquoted; absent when there are no brackets. */
  readonly arg?: string;
}

/** `tolower(proc.name)`, `val(proc.pname)`, `join(",", (a.b, c.d))[1]`. */
export interface TransformerCall extends Positioned {
  readonly kind: 'transformer';
  readonly name: TransformerName;
  readonly args: readonly TransformerArg[];
  /** An argument applied to the transformer's result: `tolower(x)[arg]`. */
  readonly arg?: string;
}

/** A parenthesised list inside a transformer's arguments: `concat((a.b, "x"))`. */
export interface TransformerList extends Positioned {
  readonly kind: 'transformerList';
  readonly items: readonly (FieldRef | TransformerCall | StringLiteral)[];
}

export type TransformerArg = FieldRef | TransformerCall | StringLiteral | TransformerList;
export type FieldOperand = FieldRef | TransformerCall;

/**
 * A literal value. `quoted` tells whether it was written in quotes: only a bare list item
 * can name a list (Falco expands `(a, my_list)` but not `(a, "my_list")`).
 * Numbers are bare string literals; their type is checked against the field.
 */
export interface StringLiteral extends Positioned {
  readonly kind: 'string';
  /** The value, unescaped. */
  readonly value: string;
  readonly quoted: boolean;
}

/** `(a, "b c", d)`. */
export interface ListLiteral extends Positioned {
  readonly kind: 'list';
  readonly items: readonly StringLiteral[];
}

/** An identifier on the right side of a list operator: `proc.name in shell_binaries`. */
export interface ListRef extends Positioned {
  readonly kind: 'listRef';
  readonly name: string;
}

export type Operand = StringLiteral | ListLiteral | ListRef | TransformerCall;

export type Node = Expr | FieldRef | TransformerCall | TransformerList | StringLiteral | ListLiteral | ListRef;

/** A deep copy of a node with every position (`pos`, `opPos`) removed: for structural comparison. */
export function stripPositions(node: Node): unknown {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === 'pos' || key === 'opPos' ? undefined : value)));
}
