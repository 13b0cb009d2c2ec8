import {
  BinaryCheck, Expr, FieldOperand, FieldRef, isNumericOperator, Node, Operand, StringLiteral,
  TransformerArg, TransformerCall,
} from './ast';
import { isNumberToken, isSafeBareFieldArg, isSafeBareValue, quoteString } from './lexer';

/**
 * Prints a condition AST as Falco condition text, on one line. Parsing the text gives back the
 * same AST (positions aside): nested `and`/`or`/`not` are parenthesised where precedence would
 * otherwise flatten them, and values are quoted unless they are plainly safe bare words.
 */
export function print(node: Node): string {
  switch (node.kind) {
    case 'and':
      return node.children.map((c) => (c.kind === 'and' || c.kind === 'or' ? `(${print(c)})` : print(c))).join(' and ');
    case 'or':
      return node.children.map((c) => (c.kind === 'or' ? `(${print(c)})` : print(c))).join(' or ');
    case 'not': {
      const child = node.child;
      const wrap = child.kind === 'and' || child.kind === 'or' || child.kind === 'not';
      return wrap ? `not (${print(child)})` : `not ${print(child)}`;
    }
    case 'macro':
      return node.name;
    case 'unaryCheck':
      return `${printFieldOperand(node.left)} ${node.op}`;
    case 'binaryCheck':
      return printBinaryCheck(node);
    case 'field':
    case 'transformer':
      return printFieldOperand(node);
    case 'transformerList':
      return `(${node.items.map(printTransformerArg).join(', ')})`;
    case 'string':
      return printValue(node);
    case 'list':
      return `(${node.items.map(printValue).join(', ')})`;
    case 'listRef':
      return node.name;
  }
}

function printBinaryCheck(check: BinaryCheck): string {
  const op = check.modifier ? `${check.op} ${check.modifier}` : check.op;
  return `${printFieldOperand(check.left)} ${op} ${printOperand(check.right, isNumericOperator(check.op) && !check.modifier)}`;
}

function printOperand(operand: Operand, numeric: boolean): string {
  if (operand.kind === 'string' && numeric) return operand.value;
  return print(operand);
}

/** A literal: bare when it was bare and reads back the same, quoted otherwise. */
function printValue(literal: StringLiteral): string {
  return !literal.quoted && isSafeBareValue(literal.value) ? literal.value : quoteString(literal.value);
}

function printFieldArg(arg: string | undefined): string {
  if (arg === undefined) return '';
  return `[${isSafeBareFieldArg(arg) ? arg : quoteString(arg)}]`;
}

function printFieldOperand(operand: FieldOperand): string {
  if (operand.kind === 'field') return printField(operand);
  return printTransformer(operand);
}

function printField(field: FieldRef): string {
  return field.name + printFieldArg(field.arg);
}

function printTransformer(call: TransformerCall): string {
  return `${call.name}(${call.args.map(printTransformerArg).join(', ')})${printFieldArg(call.arg)}`;
}

function printTransformerArg(arg: TransformerArg): string {
  switch (arg.kind) {
    case 'string':
      // transformer arguments are numbers or quoted strings: there are no bare strings here
      return !arg.quoted && isNumberToken(arg.value) ? arg.value : quoteString(arg.value);
    case 'transformerList':
      return `(${arg.items.map(printTransformerArg).join(', ')})`;
    default:
      return printFieldOperand(arg);
  }
}

/** Prints a whole condition (an alias of {@link print} typed for expressions). */
export function printCondition(expr: Expr): string {
  return print(expr);
}
