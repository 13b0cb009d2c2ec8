import type { Operator } from './lexer';

/**
 * Which operators a field takes, by the kind of its type: the one table the checker (./checker.ts) and the
 * evaluator (../evaluator/compile.ts) both read. It is libsinsp 0.25's flt_is_comparable
 * (userspace/libsinsp/filter_compare.cpp) and its list-field rule, as real Falco 0.44.1 applies them
 * (`falco -V`, test/conformance/falco-checker-matrix.test.ts): numbers and booleans compare, strings also match
 * text, buffers match bytes, addresses and networks compare for equality; a field with several values (a list
 * field, or a transformer of one) takes only `in` and `intersects`. `exists` takes every field: of any type, a
 * list field, a field with an argument or a transformer's result. `==` is `=`.
 */

/** How a field's values are compared: the families of libsinsp's parameter types. */
export type ValueKind = 'string' | 'number' | 'bool' | 'ipaddr' | 'ipnet' | 'bytes';

/** The libsinsp types of each kind, as `falco --list --format json` names them. */
const TYPES_BY_KIND: Readonly<Record<ValueKind, readonly string[]>> = {
  string: ['CHARBUF', 'FSPATH', 'FSRELPATH', 'STRING'],
  number: [
    'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'ERRNO', 'FD', 'PID', 'SYSCALLID',
    'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'DOUBLE', 'MODE', 'ENUMFLAGS8',
    'ENUMFLAGS16', 'ENUMFLAGS32', 'UID', 'GID', 'L4PROTO',
  ],
  bool: ['BOOL'],
  ipaddr: ['IPADDR', 'IPV4ADDR', 'IPV6ADDR'],
  ipnet: ['IPNET', 'IPV4NET', 'IPV6NET'],
  bytes: ['BYTEBUF'],
};

const KIND_OF_TYPE: ReadonlyMap<string, ValueKind> = new Map(
  (Object.entries(TYPES_BY_KIND) as [ValueKind, readonly string[]][]).flatMap(([kind, types]) => types.map((t): [string, ValueKind] => [t, kind])),
);

/**
 * The kind of a field type (`CHARBUF`, `UINT64`, `PT_IPNET`, or a plugin's `string`, `uint64`), or undefined for
 * `DYNAMIC` (`evt.rawarg.*`, typed per event) and types not known here.
 */
export function kindOfType(fieldType: string): ValueKind | undefined {
  return KIND_OF_TYPE.get(fieldType) ?? KIND_OF_TYPE.get(fieldType.toUpperCase().replace(/^PT_/, ''));
}

/** What each kind of single-valued field takes, with the name libsinsp's error message gives the kind. */
export const OPERATORS_BY_KIND: Readonly<Record<ValueKind, { readonly family: string; readonly operators: ReadonlySet<Operator> }>> = {
  string: {
    family: 'string',
    operators: new Set<Operator>(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith',
      'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', 'exists']),
  },
  number: { family: 'numeric', operators: new Set<Operator>(['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'exists']) },
  bool: { family: 'numeric', operators: new Set<Operator>(['=', '==', '!=', 'in', 'intersects', 'exists']) },
  ipaddr: { family: 'ip address and network', operators: new Set<Operator>(['=', '==', '!=', 'in', 'intersects', 'exists']) },
  ipnet: { family: 'ip address and network', operators: new Set<Operator>(['=', '==', '!=', 'in', 'intersects', 'exists']) },
  bytes: {
    family: 'buffer',
    operators: new Set<Operator>(['=', '==', '!=', 'contains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'in',
      'intersects', 'exists']),
  },
};

/** What a field with several values takes, whatever its type. */
export const LIST_FIELD_OPERATORS: ReadonlySet<Operator> = new Set<Operator>(['in', 'intersects', 'exists']);

/**
 * Why a field of this kind cannot take the operator, in libsinsp's words, or undefined when it can. A kind not
 * known (`DYNAMIC`) is not judged here.
 */
export function operatorProblem(field: { readonly kind: ValueKind | undefined; readonly isList: boolean }, op: string): string | undefined {
  const shown = op === '==' ? '=' : op;
  if (field.isList) return LIST_FIELD_OPERATORS.has(op as Operator) ? undefined : `'${shown}' operator not supported list filters`;
  if (field.kind === undefined) return undefined;
  const { family, operators } = OPERATORS_BY_KIND[field.kind];
  return operators.has(op as Operator) ? undefined : `'${shown}' operator not supported for ${family} filters`;
}
