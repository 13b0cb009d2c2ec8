/**
 * Typed values and operators of the evaluator, with libsinsp's comparison semantics
 * (filter_compare.cpp, sinsp_filtercheck.cpp): values are compared by the field's type,
 * a right-hand literal is parsed once, at compile time, into that type.
 */

import { compileGlob, hasGlobSyntax } from './glob';
import { kindOfType, ValueKind } from '../language/operators';
import { compileRe2 } from '../language/regex';

/** An error in compiling a condition for the evaluator; `code` is stable. */
export class EvaluatorError extends Error {
  constructor(public readonly code: string, message: string) {
    super(`${code} ${message}`);
    this.name = 'EvaluatorError';
  }
}

/**
 * The comparison kind of a Falco field type (../language/operators.ts); unknown and dynamic types compare as
 * strings.
 */
export function valueKindOf(fieldType: string): ValueKind {
  return kindOfType(fieldType) ?? 'string';
}

/** A value ready for comparison: the normalized form of its kind. */
export type Normalized = string | number | boolean | IpAddress | Uint8Array;

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
export interface IpAddress {
  readonly bytes: Uint8Array;
}

/** A CIDR network: address and prefix length. */
export interface IpNetwork {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

// ---------------------------------------------------------------------------------------------
// Parsing and normalizing

function parseIpv4(text: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(m[i + 1]);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let head = text;
  let tailV4: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (!tailV4) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const first = parseGroups(halves[0]);
  const second = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!first || !second) return undefined;
  const missing = 8 - first.length - second.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...first, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...second];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = Math.floor(g / 256);
    bytes[2 * i + 1] = g % 256;
  });
  if (tailV4) bytes.set(tailV4, 12);
  return bytes;
}

/** Parses an IPv4 or IPv6 address (`10.0.0.1`, `::1`); undefined when it is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const bytes = text.includes(':') ? parseIpv6(text) : parseIpv4(text);
  return bytes ? { bytes } : undefined;
}

/** Parses a CIDR network (`10.0.0.0/8`, `fe80::/10`); undefined when it is not one. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > address.bytes.length * 8) return undefined;
  return { bytes: address.bytes, prefix };
}

function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether an address lies in a network (an IPv4 address is never in an IPv6 network, nor back). */
export function inNetwork(address: Uint8Array, net: IpNetwork): boolean {
  if (address.length !== net.bytes.length) return false;
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const ignored = bits >= 8 ? 1 : 2 ** (8 - bits);
    if (Math.floor(address[i] / ignored) !== Math.floor(net.bytes[i] / ignored)) return false;
  }
  return true;
}

/** Reads a number in an event value: decimal, or hex with `0x`. */
export function parseNumberLiteral(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  return undefined;
}

/**
 * Reads a number in a condition as the loader's checker does: decimal digits only. Falco 0.44.1 refuses
 * `proc.pid = 0x10` ("0x10 is not a valid number") and looks port names up in the node's `/etc/services`,
 * which is not known here, so `fd.sport = http` is refused too (see test/conformance/falco-differences).
 */
function parseConditionNumber(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** Decodes the hex string that `bcontains` and `bstartswith` take. */
export function parseHexBytes(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const textEncoder = new TextEncoder();

/** The string form of an event value (numbers and booleans as printed, objects as JSON). */
export function asString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/**
 * Normalizes one event value to its kind; undefined when it cannot be read as that kind
 * (Falco would not have extracted such a value: the comparison is false).
 */
export function normalize(kind: ValueKind, v: unknown): Normalized | undefined {
  switch (kind) {
    case 'string':
      return asString(v);
    case 'number':
      if (typeof v === 'number') return v;
      if (typeof v === 'string') return parseNumberLiteral(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      return undefined;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 1) return true;
      if (v === 'false' || v === 0) return false;
      return undefined;
    case 'ipaddr':
    case 'ipnet':
      return typeof v === 'string' ? parseIpAddress(v) : undefined;
    case 'bytes':
      return typeof v === 'string' ? textEncoder.encode(v) : v instanceof Uint8Array ? v : undefined;
  }
}

/** Parses a right-hand literal for a comparison on a field of this kind; throws on a bad value. */
export function parseLiteral(kind: ValueKind, op: string, text: string, fieldType: string, fieldName: string): unknown {
  const bad = (what: string): never => {
    throw new EvaluatorError('EVAL_BAD_VALUE', `'${text}' is not ${what} (field ${fieldName} has type ${fieldType})`);
  };
  if (op === 'bcontains' || op === 'bstartswith') {
    return parseHexBytes(text) ?? bad('a hex string (bcontains and bstartswith take hex strings only)');
  }
  switch (kind) {
    case 'string':
      return text;
    case 'number':
      return parseConditionNumber(text) ?? bad(fieldType.toUpperCase() === 'PORT' ? 'a port number (digits only)' : 'a number (decimal digits only)');
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : bad("'true' or 'false'");
    case 'ipaddr':
      return parseIpAddress(text) ?? bad('an IP address');
    case 'ipnet':
      return parseIpNetwork(text) ?? bad('an IP network in CIDR notation');
    case 'bytes':
      return textEncoder.encode(text);
  }
}

// ---------------------------------------------------------------------------------------------
// Matching helpers

/** ASCII-only lower case, as strcasestr and fnmatch's FNM_CASEFOLD compare in the C locale. */
export function asciiLower(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(s)) return s.toLowerCase();
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** A path prefix of `pmatch`: its components, each literal or an fnmatch pattern. */
type PrefixPattern = readonly (string | ((component: string) => boolean))[];

function splitPath(path: string): string[] {
  return path.split('/').filter((c) => c.length > 0);
}

/**
 * libsinsp's path_prefix_search: a path matches when one of the prefixes is a whole-component
 * prefix of it (`/etc` matches `/etc` and `/etc/passwd`, not `/etcd`); a prefix component with
 * `*`, `?` or `[` is an fnmatch pattern for that component.
 */
export function compilePathPrefixes(prefixes: readonly string[]): (path: string) => boolean {
  const patterns: PrefixPattern[] = prefixes.map((p) =>
    splitPath(p).map((c) => (hasGlobSyntax(c) ? compileGlob(c) : c)));
  return (path: string) => {
    const comps = splitPath(path);
    return patterns.some((pattern) => pattern.length <= comps.length && pattern.every((pc, i) =>
      typeof pc === 'string' ? pc === comps[i] : pc(comps[i])));
  };
}

/**
 * `regex`: a real RE2 with libsinsp's settings (see ../language/regex.ts). Matching takes linear time: no
 * pattern can hang the evaluator.
 */
export function compileRegex(pattern: string): (value: string) => boolean {
  const compiled = compileRe2(pattern);
  if ('problem' in compiled) throw new EvaluatorError('EVAL_BAD_REGEX', `invalid regex pattern '${pattern}': ${compiled.problem}`);
  return compiled.test;
}

function bytesIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return sameAddress(a, b);
}

// ---------------------------------------------------------------------------------------------
// Compiled tests: one right-hand value, or a set of them

/** Tests one normalized left value against a fixed right side. */
export type ValueTest = (value: Normalized) => boolean;

function numericTest(op: string, r: number): ValueTest {
  switch (op) {
    case '=': case '==': case 'in': case 'intersects': return (v) => v === r;
    case '!=': return (v) => v !== r;
    case '<': return (v) => (v as number) < r;
    case '<=': return (v) => (v as number) <= r;
    case '>': return (v) => (v as number) > r;
    case '>=': return (v) => (v as number) >= r;
  }
  throw unsupported(op, 'numeric');
}

function stringTest(op: string, r: string): ValueTest {
  switch (op) {
    case '=': case '==': case 'in': case 'intersects': return (v) => v === r;
    case '!=': return (v) => v !== r;
    case 'contains': return (v) => (v as string).includes(r);
    case 'icontains': {
      const lr = asciiLower(r);
      return (v) => asciiLower(v as string).includes(lr);
    }
    case 'startswith': return (v) => (v as string).startsWith(r);
    case 'endswith': return (v) => (v as string).endsWith(r);
    case 'glob': {
      const matches = compileGlob(r);
      return (v) => matches(v as string);
    }
    case 'iglob': {
      const matches = compileGlob(r, true);
      return (v) => matches(v as string);
    }
    case 'regex': {
      const matches = compileRegex(r);
      return (v) => matches(v as string);
    }
    // strcmp compares bytes; UTF-16 code unit order agrees with it for ASCII.
    case '<': return (v) => (v as string) < r;
    case '<=': return (v) => (v as string) <= r;
    case '>': return (v) => (v as string) > r;
    case '>=': return (v) => (v as string) >= r;
    case 'pmatch': {
      const m = compilePathPrefixes([r]);
      return (v) => m(v as string);
    }
  }
  throw unsupported(op, 'string');
}

function boolTest(op: string, r: boolean): ValueTest {
  switch (op) {
    case '=': case '==': case 'in': case 'intersects': return (v) => v === r;
    case '!=': return (v) => v !== r;
  }
  throw unsupported(op, 'bool');
}

function ipaddrTest(op: string, r: IpAddress): ValueTest {
  switch (op) {
    case '=': case '==': case 'in': case 'intersects': return (v) => sameAddress((v as IpAddress).bytes, r.bytes);
    case '!=': return (v) => !sameAddress((v as IpAddress).bytes, r.bytes);
  }
  throw unsupported(op, 'IP address');
}

function ipnetTest(op: string, r: IpNetwork): ValueTest {
  switch (op) {
    case '=': case '==': case 'in': case 'intersects': return (v) => inNetwork((v as IpAddress).bytes, r);
    // libsinsp: a family mismatch makes `!=` true.
    case '!=': return (v) => !inNetwork((v as IpAddress).bytes, r);
  }
  throw unsupported(op, 'IP network');
}

function bytesTest(op: string, r: Uint8Array): ValueTest {
  switch (op) {
    case '=': case '==': case 'in': case 'intersects': return (v) => bytesEqual(v as Uint8Array, r);
    case '!=': return (v) => !bytesEqual(v as Uint8Array, r);
    case 'contains': case 'bcontains': return (v) => bytesIndexOf(v as Uint8Array, r) >= 0;
    case 'startswith': case 'bstartswith': return (v) => {
      const b = v as Uint8Array;
      return r.length <= b.length && bytesEqual(b.subarray(0, r.length), r);
    };
    case 'endswith': return (v) => {
      const b = v as Uint8Array;
      return r.length <= b.length && bytesEqual(b.subarray(b.length - r.length), r);
    };
  }
  throw unsupported(op, 'buffer');
}

function unsupported(op: string, what: string): EvaluatorError {
  return new EvaluatorError('EVAL_BAD_OPERATOR', `'${op}' operator not supported for ${what} filters`);
}

/** A test of one value against one parsed right-hand literal. */
export function singleValueTest(kind: ValueKind, op: string, parsed: unknown): ValueTest {
  switch (kind) {
    case 'number': return numericTest(op, parsed as number);
    case 'string': return stringTest(op, parsed as string);
    case 'bool': return boolTest(op, parsed as boolean);
    case 'ipaddr': return ipaddrTest(op, parsed as IpAddress);
    case 'ipnet': return ipnetTest(op, parsed as IpNetwork);
    case 'bytes': return bytesTest(op, parsed as Uint8Array);
  }
}

function ipKey(bytes: Uint8Array): string {
  return Array.from(bytes).join('.');
}

/**
 * Membership in a set of parsed right-hand literals (`in`, `intersects`): a hash lookup for
 * the kinds compared by equality, a scan for networks.
 */
export function membershipTest(kind: ValueKind, parsed: readonly unknown[]): ValueTest {
  switch (kind) {
    case 'string':
    case 'number':
    case 'bool': {
      const set = new Set(parsed as (string | number | boolean)[]);
      return (v) => set.has(v as string | number | boolean);
    }
    case 'ipaddr': {
      const set = new Set((parsed as IpAddress[]).map((a) => ipKey(a.bytes)));
      return (v) => set.has(ipKey((v as IpAddress).bytes));
    }
    case 'ipnet': {
      const nets = parsed as IpNetwork[];
      return (v) => nets.some((n) => inNetwork((v as IpAddress).bytes, n));
    }
    case 'bytes': {
      const items = parsed as Uint8Array[];
      return (v) => items.some((b) => bytesEqual(v as Uint8Array, b));
    }
  }
}

/**
 * Compares two values of the same kind, both taken from the event (`a = val(b)`, `a in val(b)`).
 * libsinsp allows neither `pmatch` nor `regex` with a right-hand field, nor IPNET fields.
 */
export function dynamicTest(kind: ValueKind, op: string, left: Normalized, right: Normalized): boolean {
  const eqOp = op === 'in' || op === 'intersects' ? '=' : op;
  return singleValueTest(kind === 'ipnet' ? 'ipaddr' : kind, eqOp, right)(left);
}
