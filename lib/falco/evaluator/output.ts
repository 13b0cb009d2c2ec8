import { FieldTypeLookup, compileExtractor } from './compile';
import { asString } from './values';
import { FieldOperand, TransformerCall } from '../language/ast';

/** What Falco prints for a field the event does not have. */
export const NOT_AVAILABLE = '<NA>';

/** A rule output compiled once: renders one event. */
export type CompiledOutput = (event: unknown) => string;

const FIELD_RE = /^[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+/;
const TRANSFORMER_RE = /^(tolower|toupper|b64|basename|len)\(\s*([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+)(?:\[([^\]]*)\])?\s*\)/;

interface Token {
  readonly operand: FieldOperand;
  /** `%20proc.name`: pad or cut to this width. */
  readonly width: number;
  /** Characters consumed after `%`. */
  readonly length: number;
}

/** Reads the field (or simple transformer) that follows a `%` at `text[start]`, as libsinsp's formatter does. */
function readToken(text: string, start: number): Token | undefined {
  let i = start;
  let width = 0;
  const digits = /^\d+/.exec(text.slice(i));
  if (digits) {
    width = Number(digits[0]);
    i += digits[0].length;
  }
  const rest = text.slice(i);
  const t = TRANSFORMER_RE.exec(rest);
  if (t) {
    const pos = { offset: 0, line: 1, col: 1 };
    const operand: TransformerCall = {
      kind: 'transformer',
      name: t[1] as TransformerCall['name'],
      pos,
      args: [{ kind: 'field', name: t[2], pos, ...(t[3] !== undefined ? { arg: t[3] } : {}) }],
    };
    return { operand, width, length: i - start + t[0].length };
  }
  const f = FIELD_RE.exec(rest);
  if (!f) return undefined;
  let length = f[0].length;
  let arg: string | undefined;
  if (rest[length] === '[') {
    const close = rest.indexOf(']', length);
    if (close > 0) {
      arg = rest.slice(length + 1, close);
      length = close + 1;
    }
  }
  const pos = { offset: 0, line: 1, col: 1 };
  return { operand: { kind: 'field', name: f[0], pos, ...(arg !== undefined ? { arg } : {}) }, width, length: i - start + length };
}

/** How libsinsp prints a value: lists as `(a,b)`, booleans as true/false. */
function printValue(v: unknown, isList: boolean): string {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return NOT_AVAILABLE;
  if (Array.isArray(v)) return isList ? `(${v.map(asString).join(',')})` : asString(v[0]);
  return asString(v);
}

/**
 * Compiles a rule's `output` for events of `source`: `%field` and `%field[arg]` (and
 * `%tolower(field)`-style transformers) are replaced by the event's values, `<NA>` when missing.
 */
export function compileOutput(format: string, source: string, lookup: FieldTypeLookup): CompiledOutput {
  const parts: ((e: unknown) => string)[] = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      literal += c;
      continue;
    }
    const token = readToken(format, i + 1);
    if (!token) {
      literal += c;
      continue;
    }
    if (literal) {
      const text = literal;
      parts.push(() => text);
      literal = '';
    }
    const { extract, isList } = compileExtractor(token.operand, source, lookup);
    const width = token.width;
    parts.push(width > 0
      ? (e) => printValue(extract(e), isList).padEnd(width, ' ').slice(0, width)
      : (e) => printValue(extract(e), isList));
    i += token.length;
  }
  if (literal) {
    const text = literal;
    parts.push(() => text);
  }
  return (e) => {
    let out = '';
    for (const p of parts) out += p(e);
    return out;
  };
}
