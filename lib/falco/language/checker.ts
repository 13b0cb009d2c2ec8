import { Expr, FieldOperand, FieldRef, Node, Operand, StringLiteral, TransformerCall } from './ast';
import { SYSCALL_EVENT_TYPES } from './event-types.generated';
import { CatalogueField, editDistance, FieldType, isKnownSource, lookupField, suggestFields } from './fields';
import { Operator } from './lexer';
import { kindOfType, operatorProblem } from './operators';
import { regexProblem } from './regex';

/**
 * Checks a resolved condition (no macro or list references left) against the field
 * catalogue of its source: unknown fields, field arguments, value types, transformers,
 * operators; and the warnings Falco gives (deprecated fields, unsafe <NA> comparisons).
 */

export type CheckCode =
  | 'COND_UNKNOWN_FIELD' | 'COND_FIELD_ARGUMENT' | 'COND_BAD_VALUE' | 'COND_BAD_OPERATOR_FOR_FIELD'
  | 'COND_BAD_TRANSFORMER' | 'COND_UNKNOWN_EVENT_TYPE' | 'LOAD_DEPRECATED_ITEM' | 'LOAD_UNSAFE_NA_CHECK';

export interface CheckIssue {
  readonly severity: 'error' | 'warning';
  readonly code: CheckCode;
  readonly message: string;
  /** The node the issue is about (its position is in the text the node was parsed from). */
  readonly node: Node;
}

const EVENT_TYPES: ReadonlySet<string> = new Set(SYSCALL_EVENT_TYPES);

const STRING_TYPES: ReadonlySet<string> = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH', 'BYTEBUF']);
const DEPRECATED_FIELDS: ReadonlyMap<string, string> = new Map([
  ['evt.dir', "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' always evaluates to false. "
    + "The rule expression can be simplified by removing the condition on 'evt.dir'"],
  ...['evt.latency', 'evt.latency.s', 'evt.latency.ns', 'evt.latency.human', 'evt.wait_latency'].map((f): [string, string] => [
    f, `'${f}' is deprecated: latency fields need enter events, which Falco no longer receives`,
  ]),
]);

/** The type a field operand yields (after transformers), or undefined when unknown. */
interface OperandType {
  readonly type: FieldType;
  readonly isList: boolean;
  readonly name: string;
}

/** Checks a condition for a source. Sources without a catalogue are not checked (the loader warns). */
export function checkCondition(expr: Expr, source: string): CheckIssue[] {
  if (!isKnownSource(source)) return [];
  const checker = new Checker(source);
  checker.expr(expr);
  return checker.issues;
}

/** Checks one field reference (used for exception fields). */
export function checkField(field: FieldRef, source: string): CheckIssue[] {
  if (!isKnownSource(source)) return [];
  const checker = new Checker(source);
  checker.fieldType(field);
  return checker.issues;
}

class Checker {
  readonly issues: CheckIssue[] = [];
  constructor(private readonly source: string) {}

  expr(e: Expr): void {
    switch (e.kind) {
      case 'and':
      case 'or':
        e.children.forEach((c) => this.expr(c));
        return;
      case 'not':
        this.expr(e.child);
        return;
      case 'macro':
        return; // reported by the resolver
      case 'unaryCheck':
        this.operandType(e.left);
        return;
      case 'binaryCheck': {
        const left = this.operandType(e.left);
        if (e.right.kind === 'transformer') {
          this.operandType(e.right);
          return;
        }
        if (left) this.values(left, e.op, e.modifier !== undefined, e.right, e.left);
        return;
      }
    }
  }

  /** The type of a field or transformer, reporting unknown fields and bad transformers. */
  operandType(operand: FieldOperand): OperandType | undefined {
    if (operand.kind === 'field') return this.fieldType(operand);
    return this.transformerType(operand);
  }

  fieldType(field: FieldRef): OperandType | undefined {
    const found = lookupField(this.source, field.name);
    if (!found) {
      const suggestions = suggestFields(this.source, field.name);
      const hint = suggestions.length > 0 ? ` (did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?)` : '';
      this.error('COND_UNKNOWN_FIELD', `filter_check called with nonexistent field ${field.name}: the ${this.source} source has no such field${hint}`, field);
      return undefined;
    }
    const deprecated = DEPRECATED_FIELDS.get(field.name);
    if (deprecated) this.warn('LOAD_DEPRECATED_ITEM', deprecated, field);
    this.argument(found.field, field, found.dottedArg);
    return { type: found.field.type, isList: found.field.isList, name: field.name };
  }

  private argument(info: CatalogueField, field: FieldRef, dottedArg: string | undefined): void {
    const hasArg = field.arg !== undefined || dottedArg !== undefined;
    if (info.arg === 'required' && !hasArg && !field.name.startsWith('evt.abspath')) {
      this.error('COND_FIELD_ARGUMENT', `field '${field.name}' requires an argument, e.g. ${field.name}[...]`, field);
    } else if (info.arg === 'none' && field.arg !== undefined) {
      this.error('COND_FIELD_ARGUMENT', `field '${field.name}' does not take an argument (got [${field.arg}])`, field);
    } else if (field.arg !== undefined && takesIndexOnly(info) && !/^[0-9]+$/.test(field.arg)) {
      this.error('COND_FIELD_ARGUMENT', `field '${field.name}' takes a numeric index argument, e.g. ${field.name}[0] (got [${field.arg}])`, field);
    }
  }

  private transformerType(call: TransformerCall): OperandType | undefined {
    const argTypes = call.args.map((a) => (a.kind === 'field' || a.kind === 'transformer' ? this.operandType(a) : undefined));
    const first = argTypes[0];
    const name = `${call.name}(${first?.name ?? '...'})`;
    switch (call.name) {
      case 'val':
        return first;
      case 'tolower':
      case 'toupper':
      case 'b64':
      case 'basename':
        if (first && !STRING_TYPES.has(first.type)) {
          this.error('COND_BAD_TRANSFORMER', `can't add field transformer: type '${first.type}' of field '${first.name}' is not supported by '${call.name}' transformer`, call);
        }
        return first && { type: first.type, isList: first.isList, name };
      case 'len':
        return { type: 'UINT64', isList: false, name };
      default:
        return { type: 'CHARBUF', isList: false, name };
    }
  }

  private values(left: OperandType, op: string, modified: boolean, right: Operand, leftNode: FieldOperand): void {
    const literals: StringLiteral[] = right.kind === 'string' ? [right] : right.kind === 'list' ? [...right.items] : [];
    const unsupported = operatorProblem({ kind: kindOfType(left.type), isList: left.isList }, op);
    if (unsupported) {
      this.error('COND_BAD_OPERATOR_FOR_FIELD', `${unsupported} (field ${left.name} is ${left.isList ? `a list of ${left.type}` : left.type})`, leftNode);
      return;
    }
    if ((op === 'bcontains' || op === 'bstartswith') && !modified) {
      for (const lit of literals) {
        if (!/^([0-9a-fA-F]{2})+$/.test(lit.value)) {
          this.error('COND_BAD_VALUE', `'${op}' expects hexadecimal bytes (e.g. 7f454c46), got '${lit.value}'`, lit);
        }
      }
      return;
    }
    // libsinsp reads every evt.type value as an event name, whatever the operator (contains, glob, regex, ...)
    if (this.source === 'syscall' && left.name === 'evt.type') {
      for (let k = 0; k < literals.length; k++) {
        const lit = literals[k];
        if (EVENT_TYPES.has(lit.value)) continue;
        const close = SYSCALL_EVENT_TYPES.filter((t) => editDistance(t, lit.value) <= 2).slice(0, 3);
        const hint = close.length > 0 ? ` (did you mean ${close.map((c) => `'${c}'`).join(', ')}?)` : '';
        this.error('COND_UNKNOWN_EVENT_TYPE', `unknown event type ${lit.value}${hint}`, lit);
      }
      return;
    }
    for (let k = 0; k < literals.length; k++) {
      const lit = literals[k];
      if (isUnsafeNaComparison(left.name, op, lit)) {
        this.warn('LOAD_UNSAFE_NA_CHECK', `comparing '${left.name}' with <NA> is unsafe: use '${left.name} exists' instead`, lit);
      }
      const problem = valueProblem(left.type, lit.value, op);
      if (problem) this.error('COND_BAD_VALUE', `${problem} for field ${left.name} (${left.type})`, lit);
      const badPattern = op === 'regex' ? regexProblem(lit.value) : undefined;
      if (badPattern) this.error('COND_BAD_VALUE', `invalid regex pattern: ${badPattern}: ${lit.value}`, lit);
    }
  }

  private error(code: CheckCode, message: string, node: Node): void {
    this.issues.push({ severity: 'error', code, message, node });
  }

  private warn(code: CheckCode, message: string, node: Node): void {
    this.issues.push({ severity: 'warning', code, message, node });
  }
}

function isUnsafeNaComparison(field: string, op: string, lit: StringLiteral): boolean {
  return (field.startsWith('ka.') || field.startsWith('jevt.')) && lit.value === '<NA>'
    && (['=', '==', '!=', 'in', 'intersects', 'pmatch'] as readonly Operator[]).includes(op as Operator);
}

/**
 * Why a literal cannot be a value of a field type, or undefined when it can, as libsinsp 0.25 parses values
 * (sinsp_filter_check::parse_filter_value): integers in decimal only (leading blanks and a sign allowed; the
 * double fields too), ports as plain digits, networks as an address with a prefix length, addresses without one.
 */
export function valueProblem(type: FieldType, value: string, _op: string): string | undefined {
  if (kindOfType(type) === 'number') {
    if (type === 'PORT') return /^[0-9]+$/.test(value) ? undefined : `'${value}' is not a valid port (digits only; Falco would look a name up in the node's /etc/services)`;
    return /^[ \t\n\r\f\v]*[+-]?[0-9]+$/.test(value) ? undefined : `'${value}' is not a valid number`;
  }
  if (type === 'BOOL') return value === 'true' || value === 'false' ? undefined : `'${value}' is not a valid boolean (true or false)`;
  if (type === 'IPADDR') return isAddress(value) ? undefined : `'${value}' is not a valid IP address (no prefix length: the field is an address)`;
  if (type === 'IPNET') return networkProblem(value);
  return undefined;
}

/** An IPv4 address in dotted form, or an IPv6 address without dots or zone, as inet_pton reads them. */
function isAddress(value: string): boolean {
  return value.includes('.') ? IPV4.test(value) : isIPv6WithoutDots(value);
}

// Four decimal octets without leading zeros (inet_pton refuses 010.0.0.1).
const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * Eight groups of one to four hex digits, or fewer around one `::`. Checked here rather than with `net.isIP`:
 * loading `net` (and the streams it pulls in) is a tenth of a `validate` run.
 */
function isIPv6WithoutDots(value: string): boolean {
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const count = groups.reduce((n, g) => n + g.length, 0);
  if (!groups.every((g) => g.every((group) => HEX_GROUP.test(group)))) return false;
  return halves.length === 1 ? count === 8 : count <= 7;
}

function networkProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return `'${value}' is not a valid network: give a prefix length (CIDR such as 10.0.0.0/8 or 10.0.0.1/32)`;
  const [ip, bits] = [value.slice(0, slash), value.slice(slash + 1)];
  const v4 = ip.includes('.');
  if (!isAddress(ip)) return `'${value}' is not a valid network (CIDR such as 10.0.0.0/8)`;
  if (!/^[ \t\n\r\f\v]*[+-]?[0-9]+$/.test(bits)) return `'${value}' is not a valid network: the prefix length '${bits}' is not a number`;
  const n = Number(bits);
  const [min, max] = v4 ? [0, 32] : [1, 128];
  return n >= min && n <= max ? undefined : `'${value}' is not a valid network: the prefix length must be ${min} to ${max}`;
}

/**
 * The ancestor fields (`proc.aname[2]`: 1 is the parent, 2 the grandparent, ...) parse their argument as a
 * number in libsinsp; Falco's field list does not say so, hence this list.
 */
const ANCESTOR_INDEX_FIELDS: ReadonlySet<string> = new Set([
  'proc.aname', 'proc.apid', 'proc.aexe', 'proc.aexepath', 'proc.acmdline', 'proc.aargs',
]);

function takesIndexOnly(info: CatalogueField): boolean {
  if (ANCESTOR_INDEX_FIELDS.has(info.name)) return true;
  return info.argForms !== undefined && !info.argForms.includes('key');
}
