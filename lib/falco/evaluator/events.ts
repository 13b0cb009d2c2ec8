import { isK8sAuditEvent, K8S_AUDIT_SOURCE, splitK8sAuditEvents } from './k8s-audit';
import { normalize, valueKindOf } from './values';
import { isKnownSource, lookupField, suggestFields } from '../language/fields';
import { isToken } from '../language/lexer';

/**
 * Reading events for the evaluator from a file: a JSON array of events, JSON lines (one
 * event per line), or a single JSON object. A Kubernetes audit `EventList` counts as its items, one event each.
 */

/** An event file problem, with its place: `file:line:col: error CODE message`. */
export class EventsFileError extends Error {
  constructor(
    public readonly code: 'EVENTS_BAD_JSON' | 'EVENTS_NOT_OBJECT' | 'EVENTS_EMPTY' | 'EVENTS_UNKNOWN_FORMAT' | 'EVENTS_UNKNOWN_FIELD' | 'EVENTS_BAD_VALUE',
    public readonly file: string,
    public readonly line: number,
    public readonly col: number,
    public readonly detail: string,
  ) {
    super(`${file}:${line}:${col}: error ${code} ${detail}`);
    this.name = 'EventsFileError';
  }
}

/** One event, the line it starts on, and the source whose format it has. */
export interface LocatedEvent {
  readonly event: Record<string, unknown>;
  readonly line: number;
  /**
   * `k8s_audit` for a Kubernetes audit event (an Event, or an item of an EventList, as the k8saudit
   * plugin reads them); otherwise the event's `evt.source`, or `syscall`.
   */
  readonly source: string;
}

/** A key of a field-keyed event: a field name with an optional argument (`proc.aname[2]`). */
function isFieldKey(key: string): boolean {
  const bracket = key.indexOf('[');
  if (bracket < 0) return isToken('fieldName', key);
  return key.endsWith(']') && isToken('fieldName', key.slice(0, bracket));
}

/** The source of a field-keyed event, or undefined when the object is not one. */
function fieldEventSource(event: Record<string, unknown>): string | undefined {
  const keys = Object.keys(event);
  if (keys.length === 0 || !keys.every(isFieldKey)) return undefined;
  const declared = event['evt.source'];
  return typeof declared === 'string' ? declared : 'syscall';
}

function describeKeys(event: Record<string, unknown>): string {
  const keys = Object.keys(event);
  if (keys.length === 0) return 'it is an empty object';
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
  return `its keys are ${shown}${keys.length > 5 ? ', ...' : ''}`;
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

const JSON_NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * The offset of the first JSON syntax error in a text (JSON.parse does not always say where):
 * a small validating scanner of RFC 8259 JSON.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) {
          fail();
        }
      }
      i++;
    }
    if (text[i] !== '"') fail();
    i++;
  };
  const number = () => {
    JSON_NUMBER.lastIndex = i;
    const m = JSON_NUMBER.exec(text);
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (offset) {
    if (typeof offset === 'number') return Math.min(offset, text.length);
    // Nesting deeper than the call stack (a RangeError, not an offset): an unclosed text fails at its end.
    return unclosedAtEnd(text) ? text.length : Math.min(i, text.length);
  }
}

/** Whether brackets and braces (outside strings) are still open at the end of the text; one pass, no recursion. */
function unclosedAtEnd(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (inString) {
      if (c === '\\') k++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '[' || c === '{') {
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
    }
  }
  return depth > 0 || inString;
}

/** JSON.parse's message without its position or its copy of the text. */
function cleanMessage(message: string): string {
  // V8 quotes the text around the error: `, "..." is not valid JSON`, or `, ..."..."... is not valid JSON` in a long text
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
}

/** The top-level elements of a JSON array, each parsed on its own, with the line and column where it starts. */
export interface ArrayElements {
  readonly values: unknown[];
  readonly places: { line: number; col: number }[];
}

const isJsonBlank = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d;

/**
 * The elements of a JSON array written one element per line (`[`, then `{...},` lines, then `]`: what tools that
 * write events as an array usually write), each line parsed on its own. Undefined for any other layout, found at
 * the first line that is not one element (the second line of a pretty-printed array).
 */
export function parseArrayOfLines(text: string): ArrayElements | undefined {
  const values: unknown[] = [];
  const places: { line: number; col: number }[] = [];
  let opened = false;
  let closed = false;
  let pendingComma = false;
  let line = 0;
  for (let from = 0; from <= text.length; line++) {
    const lineStart = from;
    const newline = text.indexOf('\n', from);
    const lineEnd = newline < 0 ? text.length : newline;
    let start = from;
    let end = lineEnd;
    from = lineEnd + 1;
    while (start < end && isJsonBlank(text.charCodeAt(start))) start++;
    while (end > start && isJsonBlank(text.charCodeAt(end - 1))) end--;
    if (start === end) continue;
    const single = end - start === 1 ? text[start] : '';
    if (closed) return undefined;
    if (!opened) {
      if (single !== '[') return undefined;
      opened = true;
      continue;
    }
    if (single === ']') {
      if (pendingComma) return undefined; // `[1,` then `]`
      closed = true;
      continue;
    }
    if (values.length > 0 && !pendingComma) return undefined; // two elements without a comma between
    pendingComma = text.charCodeAt(end - 1) === 0x2c;
    try {
      values.push(JSON.parse(text.slice(start, pendingComma ? end - 1 : end)));
    } catch {
      return undefined;
    }
    places.push({ line: line + 1, col: start - lineStart + 1 });
  }
  return closed ? { values, places } : undefined;
}

/**
 * The elements of a JSON array, found in one pass over the text and each parsed by JSON.parse on its own (as
 * JSON lines are: one parse of a large array costs about twice as much). Undefined when the text is not a
 * well-formed array: the caller then parses it whole, for JSON.parse's own error and place.
 */
export function parseArrayElements(text: string): ArrayElements | undefined {
  const values: unknown[] = [];
  const places: { line: number; col: number }[] = [];
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let elementStart = -1;
  let afterComma = false;
  let closed = false;
  const n = text.length;
  const endElement = (end: number): boolean => {
    if (elementStart < 0) return false; // `[,` or `,,`: JSON.parse says where
    try {
      values.push(JSON.parse(text.slice(elementStart, end)));
    } catch {
      return false;
    }
    elementStart = -1;
    return true;
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) { // \n (valid JSON has none inside strings)
      line++;
      lineStart = i + 1;
      continue;
    }
    if (isJsonBlank(c)) continue;
    if (closed || (depth === 0 && c !== 0x5b)) return undefined; // text after the array, or before it
    if (depth === 1 && elementStart < 0 && c !== 0x5d && c !== 0x2c) {
      elementStart = i;
      afterComma = false;
      places.push({ line, col: i - lineStart + 1 });
    }
    if (c === 0x22) {
      // jump to the closing quote: one not preceded by an odd number of backslashes
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end < 0) return undefined;
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
    } else if (c === 0x5b || c === 0x7b) { // [ {
      depth++;
    } else if (c === 0x5d || c === 0x7d) { // ] }
      if (depth === 1) {
        // `[1, ]` and `{]` are not JSON
        if (c !== 0x5d || (elementStart >= 0 ? !endElement(i) : afterComma)) return undefined;
        closed = true;
      }
      depth--;
    } else if (c === 0x2c && depth === 1) { // ,
      if (!endElement(i)) return undefined;
      afterComma = true;
    }
  }
  return closed ? { values, places } : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expand(value: unknown, file: string, line: number, col: number, out: LocatedEvent[]): void {
  if (!isObject(value)) {
    throw new EventsFileError('EVENTS_NOT_OBJECT', file, line, col,
      `an event must be a JSON object (field names to values, or a raw audit.k8s.io Event), not ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  if (isK8sAuditEvent(value)) {
    for (const item of splitK8sAuditEvents(value)) {
      if (!isObject(item)) {
        throw new EventsFileError('EVENTS_NOT_OBJECT', file, line, col, 'an item of an audit EventList is not a JSON object');
      }
      out.push({ event: item, line, source: K8S_AUDIT_SOURCE });
    }
    return;
  }
  const source = fieldEventSource(value);
  if (source === undefined) {
    throw new EventsFileError('EVENTS_UNKNOWN_FORMAT', file, line, col,
      `this event fits no known source format (${describeKeys(value)}): a syscall or plugin event is an object of field names `
      + 'to values ({"evt.type": "execve", "proc.name": "bash"}), a Kubernetes audit event an audit.k8s.io Event with '
      + '"kind": "Event" (or an EventList with "kind": "EventList" and its items)');
  }
  out.push({ event: value, line, source });
}

/** A whole file holding one pretty-printed JSON object (e.g. an audit EventList), when it is one. */
function parseSingleDocument(text: string): unknown {
  const firstLine = text.trimStart().split('\n')[0];
  try {
    JSON.parse(firstLine);
    return undefined; // JSON lines
  } catch {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
}

/**
 * Parses the text of an events file (named `file` in errors): a JSON array, or JSON lines.
 * @throws EventsFileError naming file:line:col of the first problem
 */
export function parseEventsText(fileText: string, file: string): LocatedEvent[] {
  // a UTF-8 byte order mark is not part of the JSON (editors on Windows write one)
  const text = fileText.startsWith('\uFEFF') ? fileText.slice(1) : fileText;
  const trimmed = text.trimStart();
  const out: LocatedEvent[] = [];
  if (trimmed.length === 0) {
    throw new EventsFileError('EVENTS_EMPTY', file, 1, 1, 'the events file has no events: give a JSON array or one JSON object per line');
  }
  if (trimmed.startsWith('[')) {
    const elements = parseArrayOfLines(text) ?? parseArrayElements(text);
    if (!elements) {
      try {
        JSON.parse(text);
      } catch (e) {
        const message = (e as Error).message;
        const { line, col } = lineCol(text, jsonErrorOffset(text));
        throw new EventsFileError('EVENTS_BAD_JSON', file, line, col, `invalid JSON: ${cleanMessage(message)}`);
      }
      throw new Error('an events array JSON.parse reads was not read element by element'); // a bug of parseArrayElements
    }
    elements.values.forEach((value, i) => {
      const { line, col } = elements.places[i];
      expand(value, file, line, col, out);
    });
    return out;
  }
  const single = parseSingleDocument(text);
  if (single !== undefined) {
    const start = text.length - trimmed.length;
    const { line, col } = lineCol(text, start);
    expand(single, file, line, col, out);
    return out;
  }
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      const message = (e as Error).message;
      const col = jsonErrorOffset(raw) + 1;
      throw new EventsFileError('EVENTS_BAD_JSON', file, i + 1, col, `invalid JSON on this line (JSON lines need one whole event per line): ${cleanMessage(message)}`);
    }
    expand(parsed, file, i + 1, raw.length - raw.trimStart().length + 1, out);
  });
  return out;
}

/** The column of `"key"` on the line an event starts on (1 when the key is on another line of a pretty-printed event). */
function keyColumn(lines: readonly string[], line: number, key: string): number {
  const at = (lines[line - 1] ?? '').indexOf(JSON.stringify(key));
  return at < 0 ? 1 : at + 1;
}

/**
 * The first field-keyed event (syscall, aws_cloudtrail: the sources the field catalogue knows) with a key that names no
 * field of its source, or a value that cannot be read as the field's type (a number field given `"abc"`, an IP field
 * `"10.0.0.300"`, a boolean `"yes"`, an object for a number): the evaluator would read such a value as missing and the
 * event would silently match nothing. Arrays are checked item by item (ancestor and connection fields take arrays);
 * `null` is a missing value. Kubernetes audit events are raw Events and are not checked here.
 */
export function checkEventFields(events: readonly LocatedEvent[], text: string, file: string): EventsFileError | undefined {
  const lines = text.split('\n');
  for (const { event, line, source } of events) {
    if (source === K8S_AUDIT_SOURCE || !isKnownSource(source)) continue;
    for (const [key, value] of Object.entries(event)) {
      const bracket = key.indexOf('[');
      const name = bracket < 0 ? key : key.slice(0, bracket);
      const found = lookupField(source, name);
      if (!found) {
        const close = suggestFields(source, name);
        return new EventsFileError('EVENTS_UNKNOWN_FIELD', file, line, keyColumn(lines, line, key),
          `the ${source} source has no field ${JSON.stringify(name)}${close.length > 0 ? ` (did you mean ${close.map((c) => `'${c}'`).join(', ')}?)` : ''}: `
          + 'no rule can read it, so the event would match as if it were absent');
      }
      const kind = valueKindOf(found.field.type);
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null) continue;
        const unreadable = typeof item === 'object' || normalize(kind, item) === undefined;
        if (unreadable) {
          const shown = JSON.stringify(item);
          return new EventsFileError('EVENTS_BAD_VALUE', file, line, keyColumn(lines, line, key),
            `${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown} is not a value of ${name} (type ${found.field.type}): `
            + `the evaluator would read it as missing; give ${VALUE_FORMS[kind]}, or null for a missing value`);
        }
      }
    }
  }
  return undefined;
}

const VALUE_FORMS: Readonly<Record<ReturnType<typeof valueKindOf>, string>> = {
  string: 'a string',
  number: 'a number (or a string of decimal digits)',
  bool: 'true or false',
  ipaddr: 'an IP address as a string ("10.0.0.1", "::1")',
  ipnet: 'an IP address as a string ("10.0.0.1", "::1")',
  bytes: 'a string',
};
