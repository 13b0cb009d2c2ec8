/**
 * The lexer of libsinsp's filter language (userspace/libsinsp/filter/parser.cpp, libs 0.25): every
 * token shape and every operator is defined here once, and the parser, the printer, the builder and
 * the rules loader read them from here, so that what one writes the other reads.
 */

/** Blanks skipped between tokens: space, tab, backspace, CR, LF. */
export const BLANK_CHARS = ' \t\b\r\n';
/** POSIX `[:space:]` as RE2 reads it: excluded from bare strings. */
const POSIX_SPACE = ' \\t\\n\\v\\f\\r';

/** The token shapes, as regular expression sources. */
const TOKEN_PATTERNS = {
  /** `not` followed by blanks. */
  notBlank: `not[${POSIX_SPACE}]+`,
  /** A macro or list name. */
  identifier: '[a-zA-Z]+[a-zA-Z0-9_]*',
  /** `proc.name`, `evt.arg.flags`. */
  fieldName: '[a-zA-Z]+[a-zA-Z0-9_]*(?:\\.[a-zA-Z]+[a-zA-Z0-9_]*)+',
  /** A field argument read without quotes: `proc.aname[2]`, `jevt.value[/stage]`. */
  fieldArgBare: `[^\\]\\["'${POSIX_SPACE}]+`,
  hexNumber: '0[xX][0-9a-fA-F]+',
  number: '[+-]?[0-9]+\\.?[0-9]*(?:[eE][+-][0-9]+)?',
  /** A value read without quotes (and without unescaping). */
  bareString: `[^()"'${POSIX_SPACE}=,]+`,
} as const;

export type TokenKind = keyof typeof TOKEN_PATTERNS;

const mapPatterns = (flags: string, wrap: (p: string) => string) => Object.fromEntries(
  Object.entries(TOKEN_PATTERNS).map(([k, p]) => [k, new RegExp(wrap(p), flags)]),
) as Record<TokenKind, RegExp>;

/** Sticky forms, for scanning at an offset. */
const STICKY = mapPatterns('y', (p) => p);
/** Anchored forms, for checking a whole text. */
const WHOLE = mapPatterns('', (p) => `^(?:${p})$`);

/** Whether `text` is exactly one token of the kind. */
export function isToken(kind: TokenKind, text: string): boolean {
  return WHOLE[kind].test(text);
}

/** Unary operators. */
export const UNARY_OPERATORS = ['exists'] as const;
/** Operators taking a number (or a transformer) on their right side. */
export const NUMERIC_OPERATORS = ['<', '<=', '>', '>='] as const;
/** Operators comparing a field with a single value (string or number). */
export const COMPARISON_OPERATORS = [
  '=', '==', '!=', ...NUMERIC_OPERATORS,
  'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith',
  'glob', 'iglob', 'regex',
] as const;
/** Operators taking a list on their right side. */
export const LIST_OPERATORS = ['in', 'intersects', 'pmatch'] as const;
/**
 * Modifiers that turn a string operator into a list operator: `proc.name startswith oneof (a, b)`.
 * Not allowed after the numeric operators.
 */
export const OPERATOR_MODIFIERS = ['oneof', 'anyof', 'allof'] as const;
/** Field transformers of libsinsp 0.25 (`val` is handled separately: it takes exactly one field). */
export const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'] as const;

export type ComparisonOperator = typeof COMPARISON_OPERATORS[number];
export type ListOperator = typeof LIST_OPERATORS[number];
export type BinaryOperator = ComparisonOperator | ListOperator;
export type UnaryOperator = typeof UNARY_OPERATORS[number];
export type Operator = BinaryOperator | UnaryOperator;
export type OperatorModifier = typeof OPERATOR_MODIFIERS[number];
export type TransformerName = typeof TRANSFORMERS[number] | 'val';

/** Every check operator, in the order libsinsp's lexer tries them (a longer operator before its prefix). */
export const ALL_OPERATORS: readonly Operator[] = [
  ...UNARY_OPERATORS, '<=', '<', '>=', '>', '==', '=', '!=',
  'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex',
  'intersects', 'in', 'pmatch',
];

const LIST_OPERATOR_SET: ReadonlySet<string> = new Set(LIST_OPERATORS);
const NUMERIC_OPERATOR_SET: ReadonlySet<string> = new Set(NUMERIC_OPERATORS);
const OPERATOR_SET: ReadonlySet<string> = new Set(ALL_OPERATORS);
const MODIFIABLE_OPERATOR_SET: ReadonlySet<string> = new Set(COMPARISON_OPERATORS.filter((o) => !NUMERIC_OPERATOR_SET.has(o)));
const MODIFIER_SET: ReadonlySet<string> = new Set(OPERATOR_MODIFIERS);

export function isListOperator(op: string): op is ListOperator {
  return LIST_OPERATOR_SET.has(op);
}

export function isNumericOperator(op: string): boolean {
  return NUMERIC_OPERATOR_SET.has(op);
}

export function isOperator(op: string): op is Operator {
  return OPERATOR_SET.has(op);
}

/** `startswith oneof`: a string operator, one space, a modifier (the form exception comps take). */
export function isModifiedOperator(text: string): boolean {
  const [op, modifier, extra] = text.split(' ');
  return extra === undefined && MODIFIABLE_OPERATOR_SET.has(op) && MODIFIER_SET.has(modifier);
}

/** A word operator needs a blank after it (`glob *`); `in(` and the symbol operators do not. */
export function operatorNeedsBlank(op: string): boolean {
  return /^[a-z]/.test(op) && !LIST_OPERATOR_SET.has(op) && op !== 'exists';
}

export function isNumberToken(text: string): boolean {
  return isToken('number', text) || isToken('hexNumber', text);
}

/** Words that would be read as something else where a bare value is expected. */
const RESERVED_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'oneof', 'anyof', 'allof', 'exists', 'in', 'intersects', 'pmatch']);


const CONTROL_CHARS_RE = /[\x00-\x1f\x7f]/;

/**
 * Whether a value may be printed without quotes and read back unchanged: what the lexer reads
 * as one bare string (bare strings are not unescaped, so backslashes are kept as they are),
 * minus control characters and the words that could be read as keywords.
 */
export function isSafeBareValue(value: string): boolean {
  return isToken('bareString', value) && !CONTROL_CHARS_RE.test(value) && !RESERVED_WORDS.has(value);
}

/** Whether a field argument may be printed without quotes. */
export function isSafeBareFieldArg(arg: string): boolean {
  return isToken('fieldArgBare', arg) && !CONTROL_CHARS_RE.test(arg);
}

/** Thrown for a value no condition text can carry (a NUL character ends libsinsp's C string). */
export class UnrepresentableValueError extends Error {
  readonly code = 'COND_UNREPRESENTABLE_VALUE';
  constructor(readonly value: string) {
    super(`the value ${JSON.stringify(value)} contains a NUL character, which a Falco condition cannot carry`);
    this.name = 'UnrepresentableValueError';
  }
}

/**
 * Quotes a value so that libsinsp reads back exactly `value`: double quotes, with `\\`, `\"`
 * and `\b \f \n \r \t` escapes. A backslash that ends the value is written `\ ` (backslash,
 * space), which libsinsp unescapes to a backslash: its lexer ends a quoted string at the first
 * delimiter not preceded by a backslash, so `"a\\"` would not close.
 */
export function quoteString(value: string): string {
  if (value.includes('\0')) throw new UnrepresentableValueError(value);
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    switch (c) {
      case '\\': out += i === value.length - 1 ? '\\ ' : '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default: out += c;
    }
  }
  return out + '"';
}

/**
 * Unescapes the inside of a quoted string as libsinsp 0.25 does.
 * @returns the value, or an error message (libsinsp's wording) for a bad escape.
 */
export function unescapeQuoted(body: string, delimiter: '"' | "'"): { value: string } | { error: string; index: number } {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i];
    switch (next) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case ' ': // libsinsp's compatibility quirk: "\ " is a backslash
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case '"':
      case "'":
        if (next !== delimiter) {
          return { error: next === '"' ? "invalid \\\" escape in '-quoted string" : 'invalid \\\' escape in "-quoted string', index: i - 1 };
        }
        out += next;
        break;
      default:
        return { error: `unsupported string escape sequence: \\${next ?? ''}`, index: i - 1 };
    }
  }
  return { value: out };
}

/**
 * A cursor over a condition text that reads one token at a time, as libsinsp's lexer does: each
 * `lex*` method either consumes a token (keeping its text in `lastToken`) and returns true, or
 * leaves the cursor where it was and returns false.
 */
export class Lexer {
  protected i = 0;
  protected lastToken = '';
  /** Offsets where a quote opens a string that never closes: errors there are reported as such. */
  protected unclosedQuotes?: Set<number>;

  constructor(protected readonly input: string) {}

  protected lexBlank(): boolean {
    const start = this.i;
    while (this.i < this.input.length && BLANK_CHARS.includes(this.input[this.i])) this.i++;
    return this.i > start;
  }

  protected lexStr(token: string): boolean {
    if (!this.input.startsWith(token, this.i)) return false;
    this.lastToken = token;
    this.i += token.length;
    return true;
  }

  protected lexAny(tokens: readonly string[]): boolean {
    for (let k = 0; k < tokens.length; k++) if (this.lexStr(tokens[k])) return true;
    return false;
  }

  protected lexToken(kind: TokenKind): boolean {
    const re = STICKY[kind];
    re.lastIndex = this.i;
    // test, not exec: no match array per token
    if (!re.test(this.input)) return false;
    this.lastToken = this.input.slice(this.i, re.lastIndex);
    this.i = re.lastIndex;
    return true;
  }

  /** Whether a token of the kind starts at the cursor (nothing is consumed). */
  protected tokenFollows(kind: TokenKind): boolean {
    const re = STICKY[kind];
    re.lastIndex = this.i;
    return re.test(this.input);
  }

  /** The first of `ops` at the cursor; a word operator must be followed by a blank, which it consumes. */
  protected lexOperator(ops: readonly string[]): boolean {
    const first = this.input.charCodeAt(this.i);
    for (let k = 0; k < ops.length; k++) {
      const op = ops[k];
      if (op.charCodeAt(0) !== first) continue;
      const saved = this.i;
      if (!this.lexStr(op)) continue;
      if (!operatorNeedsBlank(op) || this.lexBlank()) {
        this.lastToken = op;
        return true;
      }
      this.i = saved;
    }
    return false;
  }

  /**
   * A quoted string, unescaped into `lastToken`. A string that never closes is remembered in
   * `unclosedQuotes` (false is returned); a bad escape is given to `badEscape` with its offset.
   */
  protected lexQuoted(badEscape: (message: string, offset: number) => never): boolean {
    const delimiter = this.input[this.i];
    if (delimiter !== '"' && delimiter !== "'") return false;
    const start = this.i;
    let prev = '\\';
    for (let j = start; j < this.input.length; j++) {
      const c = this.input[j];
      if (c === '\0') break; // libsinsp reads a C string: NUL ends the input
      if (c === delimiter && prev !== '\\' && j > start) {
        const result = unescapeQuoted(this.input.slice(start + 1, j), delimiter);
        this.i = j + 1;
        if ('error' in result) badEscape(result.error, start + 1 + result.index);
        this.lastToken = (result as { value: string }).value;
        return true;
      }
      prev = c;
    }
    (this.unclosedQuotes ??= new Set()).add(start);
    return false;
  }
}
