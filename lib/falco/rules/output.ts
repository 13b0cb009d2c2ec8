import { fieldsOf, lookupField } from '../language/fields';

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
  for (const m of output.matchAll(TOKEN_RE)) {
    refs.push(m[2] === undefined
      ? { name: m[1], offset: m.index ?? 0, token: m[0] }
      : { name: m[1], arg: m[2], offset: m.index ?? 0, token: m[0] });
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
  for (const ref of outputFieldRefs(output)) {
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
