/**
 * The token shapes of libsinsp's filter lexer (userspace/libsinsp/filter/parser.cpp, libs 0.25),
 * shared by the parser, the printer and the builder so that what one writes the other reads.
 */

/** Blanks skipped between tokens: space, tab, backspace, CR, LF. */
export const BLANK_CHARS = ' \t\b\r\n';
/** POSIX `[:space:]` as RE2 reads it: excluded from bare strings. */
const POSIX_SPACE = ' \\t\\n\\v\\f\\r';

export const IDENTIFIER_RE = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
export const FIELD_NAME_RE = /^[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+$/;
export const NUMBER_RE = /^[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?$/;
export const HEX_NUMBER_RE = /^0[xX][0-9a-fA-F]+$/;
/** A value the lexer reads without quotes (and without unescaping). */
export const BARE_STRING_RE = new RegExp(`^[^()"'${POSIX_SPACE}=,]+$`);
/** A field argument the lexer reads without quotes: `proc.aname[2]`, `jevt.value[/stage]`. */
export const FIELD_ARG_BARE_RE = new RegExp(`^[^\\]\\["'${POSIX_SPACE}]+$`);

/** Words that would be read as something else where a bare value is expected. */
const RESERVED_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'oneof', 'anyof', 'allof', 'exists', 'in', 'intersects', 'pmatch']);

export function isNumberToken(text: string): boolean {
  return NUMBER_RE.test(text) || HEX_NUMBER_RE.test(text);
}

const CONTROL_CHARS_RE = /[\x00-\x1f\x7f]/;

/**
 * Whether a value may be printed without quotes and read back unchanged: what the lexer reads
 * as one bare string (bare strings are not unescaped, so backslashes are kept as they are),
 * minus control characters and the words that could be read as keywords.
 */
export function isSafeBareValue(value: string): boolean {
  return BARE_STRING_RE.test(value) && !CONTROL_CHARS_RE.test(value) && !RESERVED_WORDS.has(value);
}

/** Whether a field argument may be printed without quotes. */
export function isSafeBareFieldArg(arg: string): boolean {
  return FIELD_ARG_BARE_RE.test(arg) && !CONTROL_CHARS_RE.test(arg);
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
