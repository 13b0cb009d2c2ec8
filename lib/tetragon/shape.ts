// The structure of a TracingPolicy document as data, so that loaded YAML can be checked field by field
// (unknown fields, wrong types, unknown enum values) with the path of each mistake.
import {
  ACTIONS, ARG_OPERATORS, ARG_TYPES, BINARY_OPERATORS, CAPABILITY_SETS, LABEL_SELECTOR_OPERATORS, LIST_TYPES,
  NAMESPACE_TYPES, SET_OPERATORS,
} from './vocabulary';

export type Shape =
  | { readonly kind: 'string'; readonly oneOf?: readonly string[] }
  | { readonly kind: 'integer'; readonly minimum?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'array'; readonly items: Shape; readonly maxItems?: number }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Shape>>; readonly required?: readonly string[] }
  | { readonly kind: 'map'; readonly values: Shape };

const str = (oneOf?: readonly string[]): Shape => ({ kind: 'string', oneOf });
const int = (minimum?: number): Shape => ({ kind: 'integer', minimum });
const bool: Shape = { kind: 'boolean' };
const arr = (items: Shape, maxItems?: number): Shape => ({ kind: 'array', items, maxItems });
const obj = (fields: Record<string, Shape>, required: string[] = []): Shape => ({ kind: 'object', fields, required });

const labelSelector = obj({
  matchLabels: { kind: 'map', values: str() },
  matchExpressions: arr(obj({ key: str(), operator: str(LABEL_SELECTOR_OPERATORS), values: arr(str()) }, ['key', 'operator'])),
});

const arg = obj({
  index: int(0),
  type: str(ARG_TYPES),
  sizeArgIndex: int(0),
  returnCopy: bool,
  maxData: bool,
  label: str(),
  resolve: str(),
  btfType: str(),
  btfTypeModule: str(),
  source: str(),
}, ['index', 'type']);

const argSelector = obj({ index: int(0), operator: str(ARG_OPERATORS), values: arr(str()), args: arr(int(0)) }, ['operator']);

const action = obj({
  action: str(ACTIONS),
  argError: int(),
  argFqdn: str(),
  argIndex: int(),
  argNewAddr: int(),
  argNewOffset: int(),
  argNewSymbol: str(),
  argRegs: arr(str()),
  argSig: int(),
  argSock: int(),
  argUrl: str(),
  argValue: int(),
  imaHash: bool,
  kernelStackTrace: bool,
  rateLimit: str(),
  rateLimitScope: str(),
  userStackTrace: bool,
}, ['action']);

const binaries = arr(obj({ operator: str(BINARY_OPERATORS), values: arr(str()), followChildren: bool }, ['operator', 'values']), 1);
const capabilities = arr(obj({
  type: str(CAPABILITY_SETS), operator: str(SET_OPERATORS), values: arr(str()), isNamespaceCapability: bool,
}, ['operator', 'values']));

export const SELECTOR_SHAPE = obj({
  label: str(),
  macros: arr(str()),
  matchArgs: arr(argSelector),
  matchData: arr(argSelector),
  matchReturnArgs: arr(argSelector),
  matchPIDs: arr(obj({ operator: str(SET_OPERATORS), values: arr(int()), followForks: bool, isNamespacePID: bool }, ['operator', 'values'])),
  matchBinaries: binaries,
  matchParentBinaries: binaries,
  matchNamespaces: arr(obj({ namespace: str(NAMESPACE_TYPES), operator: str(SET_OPERATORS), values: arr(str()) }, ['namespace', 'operator', 'values'])),
  matchCapabilities: capabilities,
  matchNamespaceChanges: arr(obj({ operator: str(SET_OPERATORS), values: arr(str()) }, ['operator', 'values'])),
  matchCapabilityChanges: capabilities,
  matchActions: arr(action),
  matchReturnActions: arr(action),
  matchWorkloads: obj({ podSelector: labelSelector, containerSelector: labelSelector, hostSelector: labelSelector }),
});

const common = { args: arr(arg), selectors: arr(SELECTOR_SHAPE), message: str(), tags: arr(str(), 16) };
const ignore = obj({ callNotFound: bool });
const kprobe = obj({
  ...common, call: str(), syscall: bool, return: bool, returnArg: arg, returnArgAction: str(), data: arr(arg), ignore,
}, ['call']);

export const SPEC_SHAPE = obj({
  kprobes: arr(kprobe),
  fentries: arr(kprobe),
  tracepoints: arr(obj({ ...common, subsystem: str(), event: str(), raw: bool }, ['subsystem', 'event'])),
  lsmhooks: arr(obj({ ...common, hook: str() }, ['hook'])),
  uprobes: arr(obj({
    ...common,
    path: str(),
    symbols: arr(str()),
    offsets: arr(int()),
    addrs: arr(int()),
    refCtrOffsets: arr(int()),
    binaryDigests: arr(str()),
    btfPath: str(),
    return: bool,
    returnArg: arg,
    data: arr(arg),
    ignore: obj({ digestVerificationFailure: bool }),
  }, ['path'])),
  usdts: arr(obj({ ...common, path: str(), provider: str(), name: str(), btfPath: str() }, ['path', 'provider', 'name'])),
  enforcers: arr(obj({ calls: arr(str()) }, ['calls'])),
  lists: arr(obj({ name: str(), values: arr(str()), type: str(LIST_TYPES), pattern: str(), validated: bool }, ['name'])),
  options: arr(obj({ name: str(), value: str() }, ['name'])),
  podSelector: labelSelector,
  containerSelector: labelSelector,
  hostSelector: labelSelector,
  nodeSelector: labelSelector,
  selectorsMacros: { kind: 'map', values: SELECTOR_SHAPE },
  loader: bool,
});

const metadata = obj({
  name: str(), namespace: str(), labels: { kind: 'map', values: str() }, annotations: { kind: 'map', values: str() },
}, ['name']);

export const POLICY_SHAPE = obj({ apiVersion: str(), kind: str(), metadata, spec: SPEC_SHAPE }, ['apiVersion', 'kind', 'metadata', 'spec']);

/** A structural mistake: where (a policy path like `spec.kprobes[0].args[1].type`) and what. */
export interface ShapeIssue {
  readonly path: string;
  readonly message: string;
}

/** Checks `value` against `shape`; returns every mistake (unknown field, wrong type, unknown value, missing field). */
export function checkShape(value: unknown, shape: Shape, path: string): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  visit(value, shape, path, issues);
  return issues;
}

function visit(value: unknown, shape: Shape, path: string, issues: ShapeIssue[]): void {
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') {issues.push({ path, message: `expected a string, got ${describe(value)}` });} else if (shape.oneOf && !shape.oneOf.includes(value)) {
        issues.push({ path, message: `'${value}' is not one of ${shape.oneOf.join(', ')}` });
      }
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) issues.push({ path, message: `expected an integer, got ${describe(value)}` });
      else if (shape.minimum !== undefined && value < shape.minimum) issues.push({ path, message: `must be at least ${shape.minimum}` });
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.push({ path, message: `expected true or false, got ${describe(value)}` });
      return;
    case 'array':
      if (!Array.isArray(value)) {
        issues.push({ path, message: `expected a list, got ${describe(value)}` });
        return;
      }
      if (shape.maxItems !== undefined && value.length > shape.maxItems) {
        issues.push({ path, message: `at most ${shape.maxItems} entr${shape.maxItems === 1 ? 'y is' : 'ies are'} allowed, got ${value.length}` });
      }
      value.forEach((item, i) => visit(item, shape.items, `${path}[${i}]`, issues));
      return;
    case 'map':
      if (!isPlainObject(value)) {
        issues.push({ path, message: `expected a mapping, got ${describe(value)}` });
        return;
      }
      for (const [k, v] of Object.entries(value)) visit(v, shape.values, `${path}.${k}`, issues);
      return;
    case 'object':
      if (!isPlainObject(value)) {
        issues.push({ path, message: `expected a mapping, got ${describe(value)}` });
        return;
      }
      for (const required of shape.required ?? []) {
        if (!Object.hasOwn(value, required)) issues.push({ path, message: `'${required}' is required` });
      }
      for (const [k, v] of Object.entries(value)) {
        // Own fields only: 'constructor' or '__proto__' must not find Object.prototype's members.
        const field = Object.hasOwn(shape.fields, k) ? shape.fields[k] : undefined;
        const at = path ? `${path}.${k}` : k;
        if (!field) issues.push({ path: at, message: `unknown field '${k}'; known fields: ${Object.keys(shape.fields).join(', ')}` });
        else visit(v, field, at, issues);
      }
      return;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
