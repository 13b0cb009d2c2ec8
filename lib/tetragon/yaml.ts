// Load TracingPolicy YAML with positions, and emit policies as YAML.
import { Document, isNode, LineCounter, parseAllDocuments, stringify, visit } from 'yaml';
import type { TracingPolicy } from './model';
import { isPlainObject } from './shape';
import { PolicyIssue, PolicyValidationOptions, validateTracingPolicy } from './validate';

/** A policy issue placed in a file. */
export interface LocatedPolicyIssue extends PolicyIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface LoadedPolicies {
  /** Every valid policy of the file, in document order. */
  readonly policies: TracingPolicy[];
  /** Every problem, with file:line:col. Empty when the whole file is valid. */
  readonly issues: LocatedPolicyIssue[];
  /** Documents that are not Tetragon policies (e.g. a Pod next to the policy), left to other validators. */
  readonly skipped: number;
}

/** True when a parsed YAML document is a Tetragon policy (apiVersion cilium.io/...); the CLI dispatches on this. */
export function isTetragonDocument(doc: unknown): boolean {
  return isPlainObject(doc) && typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith('cilium.io/');
}

/** A document nested deeper than the YAML reader can follow (thousands of levels; a TracingPolicy has about ten). */
const TOO_DEEP = {
  code: 'DS-TETRA-001',
  path: '',
  message: 'YAML nested deeper than the reader follows (thousands of levels)',
  fix: 'write the policy as the CRD shapes it: a TracingPolicy nests about ten levels',
} as const;

/** Aliases that expand past the reader's bound (an alias bomb), or an alias without its anchor. */
const ALIASES = {
  code: 'DS-TETRA-001',
  path: '',
  message: 'YAML aliases expand to more nodes than the reader allows (an alias bomb?), or an alias has no anchor',
  fix: 'write the values out, or alias only small nodes with an anchor before the alias',
} as const;

/** The offset of the document's first alias node, if it has one. */
function firstAlias(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, { Alias: (_key, node) => { offset = node.range?.[0]; return visit.BREAK; } });
  return offset;
}

/**
 * Parses every YAML document of `text` as a TracingPolicy/TracingPolicyNamespaced and validates it.
 * Enforcement is accepted by default here: a file is what its author wrote; the opt-in applies to stacks.
 */
export function loadTracingPolicies(text: string, file: string, options: PolicyValidationOptions = { allowEnforcement: true }): LoadedPolicies {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const policies: TracingPolicy[] = [];
  const issues: LocatedPolicyIssue[] = [];
  let skipped = 0;
  const at = (offset: number) => lineCounter.linePos(offset);
  const documents = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    const pos = at(0);
    issues.push({ file, line: pos.line, col: pos.col, code: 'DS-TETRA-001', path: '', message: 'not a YAML stream', fix: 'write the policy as YAML' });
  }
  for (const doc of documents) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = at(e.pos[0]);
        issues.push(/Maximum call stack size exceeded/.test(e.message) ? { ...TOO_DEEP, file, line: pos.line, col: pos.col }
          : { file, line: pos.line, col: pos.col, code: 'DS-TETRA-001', path: '', message: `YAML syntax: ${e.message.split('\n')[0]}`, fix: 'correct the YAML syntax' });
      }
      continue;
    }
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      if (e instanceof ReferenceError) {
        // the yaml library's bound on alias expansion ("Excessive alias count ..."), or an alias with no anchor
        const pos = at(firstAlias(doc) ?? doc.contents.range?.[0] ?? 0);
        issues.push({ ...ALIASES, file, line: pos.line, col: pos.col });
        continue;
      }
      if (!(e instanceof RangeError)) throw e;
      const pos = at(doc.contents.range?.[0] ?? 0);
      issues.push({ ...TOO_DEEP, file, line: pos.line, col: pos.col });
      continue;
    }
    if (!isTetragonDocument(value)) {
      skipped += 1;
      continue;
    }
    const found = validateTracingPolicy(value, options);
    for (const issue of found) {
      const pos = at(offsetOf(doc, issue.path));
      issues.push({ ...issue, file, line: pos.line, col: pos.col });
    }
    if (found.length === 0) policies.push(value as TracingPolicy);
  }
  return { policies, issues, skipped };
}

/** The YAML of one policy (a single document, keys in model order). */
export function emitTracingPolicy(policy: TracingPolicy): string {
  return stringify(policy, { lineWidth: 0 });
}

/** Several policies as one multi-document YAML stream. */
export function emitTracingPolicies(policies: readonly TracingPolicy[]): string {
  return policies.map(emitTracingPolicy).join('---\n');
}

/** Splits `spec.kprobes[0].selectors[2].matchBinaries` into `['spec', 'kprobes', 0, 'selectors', 2, 'matchBinaries']`. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.').filter((p) => p.length > 0)) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      segments.push(part);
      continue;
    }
    if (m[1]) segments.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(idx[1]));
  }
  return segments;
}

/** Offset of the deepest node on `path` that exists in the document (falls back to the document start). */
function offsetOf(doc: Document, path: string): number {
  const segments = pathSegments(path);
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}
