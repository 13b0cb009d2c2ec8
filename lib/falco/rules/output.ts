import { checkCondition } from '../language/checker';
import { fieldsOf, lookupField } from '../language/fields';
import { TRANSFORMERS } from '../language/lexer';
import { parseCondition } from '../language/parser';

/** A problem in a rule's output format; `offset` is where its `%` token starts in the output. */
export interface OutputIssue {
  readonly severity: 'error' | 'warning';
  readonly code: 'OUTPUT_UNKNOWN_FIELD' | 'LOAD_DEPRECATED_ITEM';
  readonly message: string;
  readonly offset: number;
}

/** A `%field` reference of an output format. */
export interface OutputFieldRef {
  /** The field name as written, e.g. `proc.aname`, `evt.arg.flags`. */
  readonly name: string;
  /** The argument between brackets, e.g. `2` in `%proc.aname[2]`. */
  readonly arg?: string;
  /** Where the `%` is. */
  readonly offset: number;
  /** The whole token, e.g. `%proc.aname[2]`. */
  readonly token: string;
}

const TOKEN_RE = /%([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)*)(?:\[([^\]]*)\])?/g;

/** The `%field` references of an output format, in order. */
export function outputFieldRefs(output: string): OutputFieldRef[] {
  const refs: OutputFieldRef[] = [];
  // exec rather than matchAll: no iterator (the CLI runs interpreted, see cli/input.ts)
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(output); m !== null; m = TOKEN_RE.exec(output)) {
    refs.push(m[2] === undefined
      ? { name: m[1], offset: m.index, token: m[0] }
      : { name: m[1], arg: m[2], offset: m.index, token: m[0] });
  }
  return refs;
}

/**
 * Checks the `%field` references of an output against the source's fields. Like libsinsp's
 * formatter, a token is accepted when a field name is a prefix of it (`%user.names` is
 * `%user.name` followed by `s`); `%container.info` is accepted with Falco's deprecation warning.
 */
export function outputFieldProblems(output: string, source: string): OutputIssue[] {
  const fields = fieldsOf(source);
  if (fields.length === 0) return [];
  const issues: OutputIssue[] = [];
  const refs = outputFieldRefs(output);
  issues.push(...strayPercents(output, refs), ...transformerProblems(output, refs, source));
  for (const ref of refs) {
    if (ref.arg === undefined && output[ref.offset + ref.token.length] === '(' && isTransformer(ref.name)) continue;
    if (ref.name === 'container.info') {
      issues.push({
        severity: 'warning',
        code: 'LOAD_DEPRECATED_ITEM',
        message: '%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. '
          + 'The container plugin will automatically add required fields to the output message.',
        offset: ref.offset,
      });
      continue;
    }
    if (lookupField(source, ref.name) || fields.some((f) => ref.name.startsWith(f.name))) continue;
    issues.push({
      severity: 'error',
      code: 'OUTPUT_UNKNOWN_FIELD',
      message: `invalid formatting token %${ref.name}: the ${source} source has no field '${ref.name}'`,
      offset: ref.offset,
    });
  }
  return issues;
}

const isTransformer = (name: string): boolean => (TRANSFORMERS as readonly string[]).includes(name);

const invalidToken = (offset: number, what: string): OutputIssue => ({
  severity: 'error', code: 'OUTPUT_UNKNOWN_FIELD', message: `invalid formatting token at ${what}`, offset,
});

/** A `%` that starts no field token (`100%`, `%%`, `a % b`): libsinsp's formatter refuses the output. */
function strayPercents(output: string, refs: readonly OutputFieldRef[]): OutputIssue[] {
  const starts = new Set(refs.map((r) => r.offset));
  const issues: OutputIssue[] = [];
  for (let i = output.indexOf('%'); i >= 0; i = output.indexOf('%', i + 1)) {
    // `%NNfield` pads the field to NN characters.
    const padded = /^%\d+[a-zA-Z]/.test(output.slice(i));
    if (!starts.has(i) && !padded) issues.push(invalidToken(i, `'${output.slice(i, i + 12)}': '%' starts no field`));
  }
  return issues;
}

/**
 * `%tolower(proc.name)`: the transformer must be one libsinsp knows (not `val`), its brackets must close and what
 * they hold must be a field (or transformer) of the source, as in a condition.
 */
function transformerProblems(output: string, refs: readonly OutputFieldRef[], source: string): OutputIssue[] {
  const issues: OutputIssue[] = [];
  for (const ref of refs) {
    const open = ref.offset + ref.token.length;
    if (ref.arg !== undefined || output[open] !== '(' || ref.name.includes('.')) continue;
    let depth = 0;
    let close = -1;
    for (let i = open; i < output.length; i++) {
      if (output[i] === '(') {depth++;} else if (output[i] === ')' && --depth === 0) {
        close = i;
        break;
      }
    }
    const call = close < 0 ? output.slice(ref.offset + 1) : output.slice(ref.offset + 1, close + 1);
    if (!isTransformer(ref.name) || close < 0) {
      issues.push(invalidToken(ref.offset, `'%${call}': ${close < 0 ? 'the bracket does not close' : `'${ref.name}' is not a transformer`}`));
      continue;
    }
    try {
      const problems = checkCondition(parseCondition(`${call} exists`), source).filter((p) => p.severity === 'error');
      if (problems.length > 0) issues.push(invalidToken(ref.offset, `'%${call}': ${problems[0].message}`));
    } catch (e) {
      issues.push(invalidToken(ref.offset, `'%${call}': ${(e as Error).message}`));
    }
  }
  return issues;
}
