import {
  BinaryOperator, Expr, FieldOperand, FieldRef, ListLiteral, Operand, OperatorModifier, SourcePosition,
  StringLiteral, TransformerArg, TransformerCall, TransformerList, TransformerName,
} from './ast';
import {
  ALL_OPERATORS, COMPARISON_OPERATORS, isListOperator, isNumericOperator, Lexer, OPERATOR_MODIFIERS, TRANSFORMERS, UNARY_OPERATORS,
} from './lexer';

/**
 * A recursive-descent parser for Falco conditions that accepts exactly what libsinsp 0.25's
 * parser (userspace/libsinsp/filter/parser.cpp) accepts, with its error messages, and builds
 * the AST of ./ast.ts with the position of every node.
 */

/** Stable codes of condition syntax errors. */
export type ConditionSyntaxCode =
  | 'COND_EMPTY'
  | 'COND_SYNTAX'
  | 'COND_UNKNOWN_OPERATOR'
  | 'COND_UNBALANCED_PARENS'
  | 'COND_UNCLOSED_QUOTE'
  | 'COND_BAD_ESCAPE'
  | 'COND_TOO_DEEP';

/** A condition that does not parse; `pos` is where the parser stopped, in the condition text. */
export class ConditionSyntaxError extends Error {
  constructor(readonly code: ConditionSyntaxCode, message: string, readonly pos: SourcePosition) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
}

export interface ParseOptions {
  /**
   * Maximum nesting of the recursive descent (Falco's rule loader uses 1000).
   * @default 1000
   */
  readonly maxDepth?: number;
}

/** Parses a condition; throws {@link ConditionSyntaxError}. */
export function parseCondition(text: string, options: ParseOptions = {}): Expr {
  return new Parser(text, options.maxDepth ?? 1000).parse();
}

/** Maps offsets of a text to 1-based line and column (LF, CRLF and lone CR end a line). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    if (!text.includes('\r')) {
      // LF only (nearly every condition): let the string search find the line ends
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, col: offset - this.starts[lo] + 1 };
  }
}

const NUM_OPS = ALL_OPERATORS.filter(isNumericOperator);
const STR_OPS = ALL_OPERATORS.filter((o) => (COMPARISON_OPERATORS as readonly string[]).includes(o) && !isNumericOperator(o));
const LIST_OPS = ALL_OPERATORS.filter(isListOperator);
const TRANSFORMER_TOKENS = TRANSFORMERS.map((t) => `${t}(`);
const ALL_OPERATORS_TEXT = ALL_OPERATORS.map((o) => `'${o}'`).join(', ');
const ALL_TRANSFORMERS = ['val', ...TRANSFORMERS].map((t) => `'${t}'`).join(', ');

class Parser extends Lexer {
  private depth = 0;
  private readonly lines: LineIndex;

  constructor(input: string, private readonly maxDepth: number) {
    super(input);
    this.lines = new LineIndex(input);
  }

  parse(): Expr {
    if (this.input.length === 0) this.fail('COND_EMPTY', 'filter input string is empty');
    const res = this.parseOr();
    if (this.i !== this.input.length) {
      const code = this.input[this.i] === ')' ? 'COND_UNBALANCED_PARENS' : 'COND_SYNTAX';
      this.fail(code, `unexpected token after '${this.lastToken}', expecting 'or', 'and'`);
    }
    return res;
  }

  // ---- grammar ----

  private parseOr(): Expr {
    this.enter();
    try {
      this.lexBlank();
      const children = [this.parseAnd()];
      this.lexBlank();
      while (this.lexStr('or')) {
        if (!this.lexBlank()) {
          if (this.lexStr('(')) children.push(this.parseEmbeddedRemainder());
          else this.fail('COND_SYNTAX', "expected blank or '(' after 'or'");
        } else {
          children.push(this.parseAnd());
        }
        this.lexBlank();
      }
      return children.length > 1 ? { kind: 'or', children, pos: children[0].pos } : children[0];
    } finally {
      this.depth--;
    }
  }

  private parseAnd(): Expr {
    this.enter();
    try {
      this.lexBlank();
      const children = [this.parseNot()];
      this.lexBlank();
      while (this.lexStr('and')) {
        if (!this.lexBlank()) {
          if (this.lexStr('(')) children.push(this.parseEmbeddedRemainder());
          else this.fail('COND_SYNTAX', "expected blank or '(' after 'and'");
        } else {
          children.push(this.parseNot());
        }
        this.lexBlank();
      }
      return children.length > 1 ? { kind: 'and', children, pos: children[0].pos } : children[0];
    } finally {
      this.depth--;
    }
  }

  private parseNot(): Expr {
    this.enter();
    try {
      this.lexBlank();
      const pos = this.pos();
      let isNot = false;
      while (this.lexToken('notBlank')) isNot = !isNot;
      let child: Expr;
      if (this.lexStr('not(')) {
        isNot = !isNot;
        child = this.parseEmbeddedRemainder();
      } else {
        child = this.parseCheck();
      }
      return isNot ? { kind: 'not', child, pos } : child;
    } finally {
      this.depth--;
    }
  }

  private parseEmbeddedRemainder(): Expr {
    this.enter();
    try {
      this.lexBlank();
      const child = this.parseOr();
      this.lexBlank();
      if (!this.lexStr(')')) this.fail('COND_UNBALANCED_PARENS', "expected a ')' token");
      return child;
    } finally {
      this.depth--;
    }
  }

  private parseCheck(): Expr {
    this.enter();
    try {
      this.lexBlank();
      const pos = this.pos();
      if (this.lexStr('(')) return this.parseEmbeddedRemainder();
      if (this.lexToken('fieldName')) {
        const left = this.parseFieldRemainder(this.lastToken, pos);
        return this.parseCondition(left, pos);
      }
      if (this.lexAny(TRANSFORMER_TOKENS)) {
        this.lexBlank();
        const left = this.parseTransformerRemainder(this.lastToken.slice(0, -1) as TransformerName, pos);
        return this.parseCondition(left, pos);
      }
      if (this.lexToken('identifier')) return { kind: 'macro', name: this.lastToken, pos };
      return this.fail('COND_SYNTAX', "expected a '(' token, a field check, or an identifier");
    } finally {
      this.depth--;
    }
  }

  private parseFieldRemainder(name: string, pos: SourcePosition): FieldRef {
    const arg = this.parseOptionalFieldArg();
    return arg === undefined ? { kind: 'field', name, pos } : { kind: 'field', name, arg, pos };
  }

  private parseOptionalFieldArg(): string | undefined {
    if (!this.lexStr('[')) return undefined;
    if (!this.lexQuoted(this.badEscape) && !this.lexToken('fieldArgBare')) {
      this.fail('COND_SYNTAX', 'expected a valid field argument: a quoted string or a bare string');
    }
    const arg = this.lastToken;
    if (!this.lexStr(']')) this.fail('COND_SYNTAX', "expected a ']' token");
    return arg;
  }

  private parseTransformerRemainder(name: TransformerName, pos: SourcePosition): TransformerCall {
    this.enter();
    try {
      this.lexBlank();
      const args: TransformerArg[] = [];
      do {
        args.push(this.parseTransformerArg());
        this.lexBlank();
      } while (this.lexStr(','));
      this.lexBlank();
      if (!this.lexStr(')')) this.fail('COND_UNBALANCED_PARENS', "expected a ')' token closing the transformer");
      const arg = this.parseOptionalFieldArg();
      return arg === undefined ? { kind: 'transformer', name, args, pos } : { kind: 'transformer', name, args, arg, pos };
    } finally {
      this.depth--;
    }
  }

  private parseTransformerArg(): TransformerArg {
    this.enter();
    try {
      this.lexBlank();
      const pos = this.pos();
      if (this.lexToken('hexNumber') || this.lexToken('number')) return this.literal(false, pos);
      if (this.lexQuoted(this.badEscape)) return this.literal(true, pos);
      if (this.lexStr('(')) return this.parseTransformerList(pos);
      if (this.lexAny(TRANSFORMER_TOKENS)) {
        return this.parseTransformerRemainder(this.lastToken.slice(0, -1) as TransformerName, pos);
      }
      if (this.lexToken('fieldName')) return this.parseFieldRemainder(this.lastToken, pos);
      return this.fail('COND_SYNTAX', 'expected field transformer argument: field, transformer, quoted string, number, or transformer list');
    } finally {
      this.depth--;
    }
  }

  private parseTransformerList(pos: SourcePosition): TransformerList {
    const items: (FieldRef | TransformerCall | StringLiteral)[] = [];
    this.lexBlank();
    if (this.lexStr(')')) return { kind: 'transformerList', items, pos };
    items.push(this.parseTransformerListArg());
    this.lexBlank();
    while (this.lexStr(',')) {
      this.lexBlank();
      items.push(this.parseTransformerListArg());
      this.lexBlank();
    }
    if (!this.lexStr(')')) this.fail('COND_UNBALANCED_PARENS', "expected ')'");
    return { kind: 'transformerList', items, pos };
  }

  private parseTransformerListArg(): FieldRef | TransformerCall | StringLiteral {
    const pos = this.pos();
    if (this.lexToken('fieldName')) return this.parseFieldRemainder(this.lastToken, pos);
    if (this.lexAny(TRANSFORMER_TOKENS)) {
      this.lexBlank();
      return this.parseTransformerRemainder(this.lastToken.slice(0, -1) as TransformerName, pos);
    }
    if (this.lexQuoted(this.badEscape)) return this.literal(true, pos);
    if (this.lexToken('hexNumber') || this.lexToken('number')) return this.literal(false, pos);
    return this.fail('COND_SYNTAX', 'expected transformer list argument: field, transformer, quoted string, or number');
  }

  private parseCondition(left: FieldOperand, pos: SourcePosition): Expr {
    this.enter();
    try {
      this.lexBlank();
      const opPos = this.pos();
      if (this.lexOperator(UNARY_OPERATORS)) return { kind: 'unaryCheck', left, op: 'exists', pos };
      this.lexBlank();
      let op: string;
      let modifier: OperatorModifier | undefined;
      let right: Operand;
      if (this.lexOperator(NUM_OPS)) {
        op = this.lastToken;
        right = this.parseNumValueOrTransformer();
      } else if (this.lexOperator(STR_OPS)) {
        op = this.lastToken;
        // word operators consumed their blank already; symbol operators may be followed by one
        const hadBlank = /^[a-z]/.test(op) || this.lexBlank();
        const saved = this.i;
        const savedToken = this.lastToken;
        if (hadBlank && this.lexOperator(OPERATOR_MODIFIERS) && this.listValueFollows() && !this.boolKeywordFollows()) {
          modifier = this.lastToken as OperatorModifier;
          right = this.parseListValue();
        } else {
          this.i = saved;
          this.lastToken = savedToken;
          right = this.parseStrValueOrTransformer(false);
        }
      } else if (this.lexOperator(LIST_OPS)) {
        op = this.lastToken;
        right = this.parseListValueOrTransformer();
      } else {
        return this.fail('COND_UNKNOWN_OPERATOR', `expected a valid check operator: one of ${ALL_OPERATORS_TEXT}`);
      }
      const check = { kind: 'binaryCheck' as const, left, op: op as BinaryOperator, right, pos, opPos };
      return modifier ? { ...check, modifier } : check;
    } finally {
      this.depth--;
    }
  }

  private parseNumValueOrTransformer(): Operand {
    this.enter();
    try {
      this.lexBlank();
      const pos = this.pos();
      const transformer = this.tryParseTransformerOrVal();
      if (transformer) return transformer;
      if (this.lexToken('hexNumber') || this.lexToken('number')) return this.literal(false, pos);
      return this.fail('COND_SYNTAX', `expected a number value or a field with a valid transformer: ${ALL_TRANSFORMERS}`);
    } finally {
      this.depth--;
    }
  }

  private parseStrValueOrTransformer(noTransformer: boolean): StringLiteral | TransformerCall {
    this.enter();
    try {
      this.lexBlank();
      const pos = this.pos();
      if (!noTransformer) {
        const transformer = this.tryParseTransformerOrVal();
        if (transformer) return transformer;
      }
      if (this.lexQuoted(this.badEscape)) return this.literal(true, pos);
      if (this.lexToken('bareString')) return this.literal(false, pos);
      if (noTransformer) return this.fail('COND_SYNTAX', 'expected a string value');
      return this.fail('COND_SYNTAX', `expected a string value or a field with a valid transformer: ${ALL_TRANSFORMERS}`);
    } finally {
      this.depth--;
    }
  }

  private tryParseListExpr(): ListLiteral | undefined {
    const pos = this.pos();
    if (!this.lexStr('(')) return undefined;
    const items: StringLiteral[] = [];
    this.lexBlank();
    let first: StringLiteral | undefined;
    // an empty list (pasted empty lists make many): nothing to try, unless the depth limit is to be reported
    if (this.input[this.i] !== ')' || this.depth + 1 >= this.maxDepth) {
      try {
        first = this.parseListItem();
      } catch (e) {
        // an error reported below as a missing ')'
        if (!(e instanceof ConditionSyntaxError) || e.code === 'COND_TOO_DEEP' || e.code === 'COND_BAD_ESCAPE') throw e;
      }
    }
    if (first) {
      items.push(first);
      this.lexBlank();
      while (this.lexStr(',')) {
        items.push(this.parseListItem());
        this.lexBlank();
      }
    }
    if (!this.lexStr(')')) this.fail('COND_UNBALANCED_PARENS', "expected a ')' token");
    return { kind: 'list', items, pos };
  }

  /** A value of a list: `parseStrValueOrTransformer(true)` inlined (lists of pasted items are long). */
  private parseListItem(): StringLiteral {
    if (this.depth + 1 >= this.maxDepth) return this.parseStrValueOrTransformer(true) as StringLiteral;
    this.lexBlank();
    const pos = this.pos();
    if (this.lexQuoted(this.badEscape)) return this.literal(true, pos);
    if (this.lexToken('bareString')) return this.literal(false, pos);
    return this.fail('COND_SYNTAX', 'expected a string value');
  }

  private parseListValue(): Operand {
    this.enter();
    try {
      this.lexBlank();
      const pos = this.pos();
      const list = this.tryParseListExpr();
      if (list) return list;
      if (this.lexToken('identifier')) return { kind: 'listRef', name: this.lastToken, pos };
      return this.fail('COND_SYNTAX', 'expected a list or an identifier');
    } finally {
      this.depth--;
    }
  }

  private parseListValueOrTransformer(): Operand {
    this.enter();
    try {
      this.lexBlank();
      const pos = this.pos();
      const list = this.tryParseListExpr();
      if (list) return list;
      const transformer = this.tryParseTransformerOrVal();
      if (transformer) return transformer;
      if (this.lexToken('identifier')) return { kind: 'listRef', name: this.lastToken, pos };
      return this.fail('COND_SYNTAX', `expected a list, an identifier, or a field with a valid transformer: ${ALL_TRANSFORMERS}`);
    } finally {
      this.depth--;
    }
  }

  private tryParseTransformerOrVal(): TransformerCall | undefined {
    this.enter();
    try {
      this.lexBlank();
      const start = this.i;
      if (this.lexStr('val(')) {
        const pos = this.pos(start);
        this.lexBlank();
        const fieldPos = this.pos();
        if (!this.lexToken('fieldName')) this.fail('COND_SYNTAX', "expected a field within 'val' transformer");
        const field = this.parseFieldRemainder(this.lastToken, fieldPos);
        this.lexBlank();
        if (!this.lexStr(')')) this.fail('COND_UNBALANCED_PARENS', "expected a ')' token closing the transformer");
        const arg = this.parseOptionalFieldArg();
        const call: TransformerCall = { kind: 'transformer', name: 'val', args: [field], pos };
        return arg === undefined ? call : { ...call, arg };
      }
      if (this.lexAny(TRANSFORMER_TOKENS)) {
        this.lexBlank();
        return this.parseTransformerRemainder(this.lastToken.slice(0, -1) as TransformerName, this.pos(start));
      }
      return undefined;
    } finally {
      this.depth--;
    }
  }

  // ---- lookahead ----

  private listValueFollows(): boolean {
    return this.input[this.i] === '(' || this.tokenFollows('identifier');
  }

  private boolKeywordFollows(): boolean {
    return ['and', 'or', 'not'].some((kw) => this.input.startsWith(kw, this.i)
      && !/[a-zA-Z0-9]/.test(this.input[this.i + kw.length] ?? ''));
  }

  // ---- helpers ----

  private literal(quoted: boolean, pos: SourcePosition): StringLiteral {
    return { kind: 'string', value: this.lastToken, quoted, pos };
  }

  private pos(offset = this.i): SourcePosition {
    return this.lines.position(offset);
  }

  private readonly badEscape = (message: string, offset: number): never => this.fail('COND_BAD_ESCAPE', message, offset);

  /** One level deeper in the recursive descent; each caller leaves it in a `finally` (no closure per call: hot). */
  private enter(): void {
    if (++this.depth >= this.maxDepth) {
      this.depth--;
      this.fail('COND_TOO_DEEP', `exceeded max depth limit of ${this.maxDepth}`);
    }
  }

  private fail(code: ConditionSyntaxCode, message: string, offset = this.i): never {
    if (this.unclosedQuotes?.has(offset)) {
      const quote = this.input[offset];
      throw new ConditionSyntaxError('COND_UNCLOSED_QUOTE', `unclosed quoted string: the ${quote} here has no matching closing ${quote}`, this.pos(offset));
    }
    const atEnd = offset >= this.input.length && this.input.length > 0 && code !== 'COND_UNBALANCED_PARENS';
    throw new ConditionSyntaxError(code, atEnd ? `${message} (the condition ends here)` : message, this.pos(offset));
  }
}
