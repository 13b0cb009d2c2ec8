// Turns the first schema issue into the project's error form: code, construct path + prop path, problem, fix.
import type { z } from 'zod';
import type { StackCode } from '../core/error-codes';
import { DetectionStackError } from '../core/errors';

/** Codes of the schema layer (the value rules of each layer keep their own codes). */
export const SCHEMA_ERROR_CODES = {
  /** A required prop is missing (or the props themselves). */
  missing: 'DS-PROPS-004',
  /** A prop has the wrong type: a string where a list is expected, a number for a string, null, ... */
  wrongType: 'DS-PROPS-010',
  /** A prop the type does not have (a misspelling, or a prop of another type). */
  unknownKey: 'DS-PROPS-011',
  /** A value outside the allowed ones (an enum, a literal). */
  notAllowed: 'DS-PROPS-012',
} as const;

/** Parameters of the custom issues the schemas raise: the code and fix of the rule that failed. */
export interface RuleIssueParams {
  readonly code: StackCode;
  readonly fix: string;
}

/** Marks a schema's own description of what it expects (an object outline), in place of zod's type name. */
export const EXPECTED_PREFIX = 'expected: ';

/** Validates `value` against `schema`; throws a DetectionStackError for the first problem found. */
export function validateProps<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const hostile = hostileShape(value);
  if (hostile) throw new DetectionStackError(hostile.code, propPath(where, hostile.path), hostile.problem, hostile.fix);
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw toDetectionStackError(result.error.issues[0], where);
}

/** Deepest nesting of objects and lists the props may have (the deepest props type, a TracingPolicy's selectors, has about 15). */
export const MAX_PROPS_DEPTH = 64;
/**
 * Longest string a prop may hold, in UTF-8 bytes: no Kubernetes object holds more (a ConfigMap's or a Secret's
 * data is at most 1 MiB, kubernetes pkg/apis/core/validation ValidateConfigMap, MaxSecretSize).
 */
export const MAX_PROP_STRING_BYTES = 1024 * 1024;

interface HostileShape {
  readonly code: StackCode;
  readonly path: PropertyKey[];
  readonly problem: string;
  readonly fix: string;
}

/**
 * What no schema should meet, found before the schema walks the props (it recurses, and record schemas skip
 * `__proto__`): an own `__proto__` key (JSON.parse and defineProperty make them; a later spread would turn it into a
 * prototype), an own `constructor` key (cdk8s renders no object that has one), nesting deeper than
 * {@link MAX_PROPS_DEPTH} and strings longer than {@link MAX_PROP_STRING_BYTES}. Iterative: a 10,000-deep object
 * is an error, not a stack overflow. A cycle is left to the schema (it meets an unknown key or a wrong type first).
 */
function hostileShape(root: unknown): HostileShape | undefined {
  const seen = new Set<object>();
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > MAX_PROP_STRING_BYTES / 3 && Buffer.byteLength(value) > MAX_PROP_STRING_BYTES) {
        return {
          code: 'DS-PROPS-013',
          path,
          problem: `${propName(path)} is a string of ${megabytes(Buffer.byteLength(value))} MiB, above the 1 MiB a Kubernetes ConfigMap or Secret holds`,
          fix: 'keep the value under 1 MiB: split rules into several, or mount large files from a ConfigMap you manage',
        };
      }
      continue;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (path.length >= MAX_PROPS_DEPTH) {
      return {
        code: 'DS-PROPS-013',
        path,
        problem: `${propName(path)} is nested deeper than ${MAX_PROPS_DEPTH} levels, deeper than any props type`,
        fix: 'give the value the shape its props type documents',
      };
    }
    for (const key of ['__proto__', 'constructor']) {
      if (Object.hasOwn(value, key)) {
        return {
          code: SCHEMA_ERROR_CODES.unknownKey,
          path: [...path, key],
          problem: `${quote(key)} is not a prop of any props type`,
          fix: key === '__proto__' ? 'remove it (spread into an object it would replace the object\'s prototype)'
            : 'remove it or rename the key (cdk8s renders no object with an own \'constructor\' key)',
        };
      }
    }
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      stack.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
    }
  }
  return undefined;
}

function megabytes(bytes: number): string {
  return (Math.ceil(bytes / 2 ** 20 * 100) / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** The error for one issue; `where` is the construct path the issue's prop path is appended to. */
export function toDetectionStackError(issue: z.core.$ZodIssue, where: string, prefix: readonly PropertyKey[] = []): DetectionStackError {
  const path = [...prefix, ...issue.path];
  const at = propPath(where, path);
  const name = propName(path);
  switch (issue.code) {
    case 'custom': {
      if (issue.input === undefined && issue.params === undefined) {
        // A custom type (the stack definition, a provider, a resource) says what it must be: the fix says the same.
        const wanted = issue.message.startsWith('must be ') ? issue.message.slice('must be '.length) : undefined;
        return new DetectionStackError(SCHEMA_ERROR_CODES.missing, at, `${name} is missing`, wanted ? `set ${name} to ${wanted}` : `set ${name}`);
      }
      const params = issue.params as RuleIssueParams | undefined;
      return new DetectionStackError(params?.code ?? SCHEMA_ERROR_CODES.wrongType, at, issue.message,
        params?.fix ?? 'see the type of this prop in the README');
    }
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      return new DetectionStackError(SCHEMA_ERROR_CODES.unknownKey, propPath(where, [...path, key]), issue.message,
        'remove it, or correct its spelling');
    }
    case 'invalid_union': {
      // The branch the value took (its own type matched, a field inside did not) says what is wrong.
      const taken = issue.errors.filter((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
      if (taken.length === 1) return toDetectionStackError(taken[0][0], where, path);
      const expected = issue.errors.flatMap((branch) => branch.filter((i) => i.path.length === 0 && i.code === 'invalid_type')
        .map((i) => expectedOf(i as z.core.$ZodIssueInvalidType)));
      const wanted = expected.length > 0 ? unique(expected).join(' or ') : 'one of the documented forms';
      // A required prop of several forms (a string or a Secret reference, a value or a Pulumi Output) left out.
      if (issue.input === undefined && path.length > 0) {
        return new DetectionStackError(SCHEMA_ERROR_CODES.missing, at, `${name} is missing`, `set ${name} to ${wanted}`);
      }
      return wrongType(at, name, wanted, issue.input);
    }
    case 'invalid_type': {
      const expected = expectedOf(issue);
      if (issue.input === undefined && !('received' in issue)) {
        if (path.length === 0) {
          return new DetectionStackError(SCHEMA_ERROR_CODES.missing, at, 'the props are missing', 'pass the props object');
        }
        return new DetectionStackError(SCHEMA_ERROR_CODES.missing, at, `${name} is missing`, `set ${name} to ${expected}`);
      }
      return wrongType(at, name, expected, issue.input, (issue as { received?: string }).received);
    }
    case 'invalid_value':
      return new DetectionStackError(SCHEMA_ERROR_CODES.notAllowed, at,
        `${name} is ${typeof issue.input === 'string' ? quote(issue.input) : describeReceived(issue.input)}, not one of the allowed values`,
        `use one of ${issue.values.map((v) => quote(v)).join(', ')}`);
    case 'invalid_key':
      return toDetectionStackError(issue.issues[0] as z.core.$ZodIssue, where, path);
    default:
      return new DetectionStackError(SCHEMA_ERROR_CODES.wrongType, at, `${name} is not valid (${issue.message})`,
        'see the type of this prop in the README');
  }
}

function wrongType(at: string, name: string, expected: string, input: unknown, received?: string): DetectionStackError {
  return new DetectionStackError(SCHEMA_ERROR_CODES.wrongType, at,
    `${name} must be ${expected}, not ${received ?? describeReceived(input)}`, `give ${expected}`);
}

/** `stack/routing.teams[0].name`: the construct path, then the prop path in TypeScript notation. */
export function propPath(where: string, path: readonly PropertyKey[]): string {
  if (path.length === 0) return where;
  return `${where}/${path.map((p, i) => segment(p, i === 0)).join('')}`;
}

function propName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the props' : path.map((p, i) => segment(p, i === 0)).join('');
}

function segment(p: PropertyKey, first: boolean): string {
  if (typeof p === 'number') return `[${p}]`;
  const key = String(p);
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return first ? key : `.${key}`;
  return `[${quote(key)}]`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
  map: 'an object',
  null: 'null',
};

/** What a type issue expected: the schema's own outline where it gave one, else zod's type name in words. */
function expectedOf(issue: z.core.$ZodIssueInvalidType): string {
  return issue.message.startsWith(EXPECTED_PREFIX) ? issue.message.slice(EXPECTED_PREFIX.length) : describeExpected(issue.expected);
}

function describeExpected(expected: string): string {
  return EXPECTED[expected] ?? `a ${expected}`;
}

/** What was given, without echoing strings where a type is wrong (a string given for a Secret reference is the credential). */
function describeReceived(input: unknown): string {
  if (input === null) return 'null';
  if (input === undefined) return 'missing';
  if (Array.isArray(input)) return 'a list';
  switch (typeof input) {
    case 'string': return 'a string';
    case 'number': return Number.isFinite(input) ? `the number ${input}` : `the number ${String(input)}`;
    case 'boolean': return `${input}`;
    case 'object': return 'an object';
    default: return `a ${typeof input}`;
  }
}

/** A value quoted for a message: JSON string escapes, so control characters and quotes never print raw. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `'${JSON.stringify(shown).slice(1, -1).replace(/'/g, '\\\'')}'`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
