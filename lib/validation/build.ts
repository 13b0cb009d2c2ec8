// The building blocks of the props schemas: strict objects with a did-you-mean, and value rules that carry
// their own error code and fix.
import { z } from 'zod';
import { EXPECTED_PREFIX, quote, RuleIssueParams } from './report';
import type { StackCode } from '../core/error-codes';
import { DetectionStackError } from '../core/errors';
import { editDistance } from '../falco/language/fields';

/**
 * The schema of one props type: every key known, unknown keys refused with the closest known one.
 * `typeName` is the TypeScript interface the schema mirrors (named in errors).
 */
export function props<S extends z.ZodRawShape>(typeName: string, shape: S): z.ZodObject<S, z.core.$strict> {
  const known = Object.keys(shape);
  const outline = `${typeName} { ${known.map((k) => (shape[k] as z.ZodType)._zod.optin === 'optional' ? `${k}?` : k).join(', ')} }`;
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return unknownKeyMessage(typeName, String(issue.keys[0]), known);
      // Read by the error report as what was expected (see EXPECTED_PREFIX).
      if (issue.code === 'invalid_type') return `${EXPECTED_PREFIX}${outline}`;
      return undefined;
    },
  });
}

function unknownKeyMessage(typeName: string, key: string, known: readonly string[]): string {
  const limit = Math.max(2, Math.floor(key.length / 4));
  const close = known
    .map((candidate) => ({ candidate, distance: editDistance(candidate.toLowerCase(), key.toLowerCase()) }))
    .filter((s) => s.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  const hint = close.length > 0
    ? ` (did you mean ${quote(close[0].candidate)}?)`
    : ` (its props: ${known.map((k) => quote(k)).join(', ')})`;
  return `${quote(key)} is not a prop of ${typeName}${hint}`;
}

/** Adds a value rule to a schema: when `test` fails, the error has `code`, `problem(value)` and `fix`. */
export function rule<T extends z.ZodType>(schema: T, code: StackCode, test: (value: z.output<T>) => boolean,
  problem: (value: z.output<T>) => string, fix: string): T {
  return schema.superRefine((value, ctx) => {
    if (!test(value)) {
      const params: RuleIssueParams = { code, fix };
      ctx.addIssue({ code: 'custom', message: problem(value), params });
    }
  });
}

/** A string matching `pattern` (and at most `maxLength` characters), with the project's error form. */
export function patterned(pattern: RegExp, maxLength: number, code: StackCode, what: string, fix: string): z.ZodString {
  return rule(z.string(), code, (v) => v.length <= maxLength && pattern.test(v), (v) => `${quote(v)} is not ${what}`, fix);
}

/** A plain object of arbitrary content (checked field by field by its own layer). */
export function plainObject<T>(what: string): z.ZodType<T> {
  return z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { error: `must be ${what}` });
}

/**
 * Adds an existing layer check (a function that throws a DetectionStackError) to a schema, so the rule stays
 * in one place and its code, problem and fix reach the user unchanged, at the schema's prop path.
 */
export function withCheck<T extends z.ZodType>(schema: T, check: (value: z.output<T>) => void): T {
  return schema.superRefine((value, ctx) => {
    try {
      check(value);
    } catch (e) {
      if (!(e instanceof DetectionStackError)) throw e;
      const params: RuleIssueParams = { code: e.code, fix: e.fix };
      ctx.addIssue({ code: 'custom', message: e.problem, params });
    }
  });
}
