import * as fc from 'fast-check';
import { testFieldTypes } from './helpers';
import { compileConditionFast } from '../../../lib/falco/evaluator/codegen';
import { compileCondition } from '../../../lib/falco/evaluator/compile';
import { RuleEvaluator, catalogueFieldTypes } from '../../../lib/falco/evaluator/evaluator';
import { Expr } from '../../../lib/falco/language/ast';
import { and, eq, exists, field, ge, gt, inList, le, lt, neq, not, or, startsWith, contains, endsWith } from '../../../lib/falco/language/build';

/**
 * The generated condition functions (the fast path for flat events) must decide exactly as the
 * closure compiler does, for any condition and any event, including odd values: missing fields,
 * null, numbers as strings, arrays, and values full of quotes and backslashes.
 */

const STRING_FIELDS = ['proc.name', 'fd.name', 'proc.cmdline'];
const NUMBER_FIELDS = ['proc.pid', 'user.uid', 'fd.sport'];
const WORDS = ['bash', 'sh', '/etc/passwd', 'a"b', "it's", 'back\\slash', '${x}', '`id`', ');process.exit(1);//', ''];

const word = fc.constantFrom(...WORDS);
const smallNumber = fc.integer({ min: -2, max: 70000 });

const stringCheck: fc.Arbitrary<Expr> = fc
  .tuple(fc.constantFrom(...STRING_FIELDS), word, fc.array(word, { minLength: 1, maxLength: 4 }), fc.nat(6))
  .map(([f, w, ws, k]) => [eq(f, w), neq(f, w), inList(f, ws), startsWith(f, w), contains(f, w), endsWith(f, w), exists(f)][k]);
const numberCheck: fc.Arbitrary<Expr> = fc
  .tuple(fc.constantFrom(...NUMBER_FIELDS), smallNumber, fc.array(smallNumber, { minLength: 1, maxLength: 3 }), fc.nat(6))
  .map(([f, n, ns, k]) => [eq(f, n), neq(f, n), lt(f, n), le(f, n), gt(f, n), ge(f, n), inList(f, ns)][k]);
const boolCheck: fc.Arbitrary<Expr> = fc.boolean().map((b) => eq('proc.is_exe_upper_layer', b ? 'true' : 'false'));

const condition: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    stringCheck, numberCheck, boolCheck,
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => and(a, b)),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => or(a, b)),
    tie('expr').map((a) => not(a)),
  ),
})).expr;

const anyValue = fc.oneof(
  word, smallNumber, smallNumber.map(String), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.array(word, { maxLength: 2 }),
);
const event = fc.record({
  'proc.name': anyValue,
  'fd.name': anyValue,
  'proc.cmdline': anyValue,
  'proc.pid': anyValue,
  'user.uid': anyValue,
  'fd.sport': anyValue,
  'proc.is_exe_upper_layer': anyValue,
}, { requiredKeys: [] });

const TYPES = (source: string, name: string) => testFieldTypes(source, name) ?? catalogueFieldTypes(source, name);

describe('generated conditions', () => {
  it('decide as the closure compiler does, for any condition and event', () => {
    fc.assert(fc.property(condition, fc.array(event, { minLength: 1, maxLength: 5 }), (expr, events) => {
      const fast = compileConditionFast(expr, 'syscall', TYPES);
      const slow = compileCondition(expr, 'syscall', TYPES);
      for (const e of events) expect(fast(e)).toBe(slow(e));
    }), { numRuns: 400 });
  });

  it('cannot be changed in structure by values: a value that looks like code is compared as a string', () => {
    const payload = '"); globalThis.pwned = true; ("';
    const check = compileConditionFast(eq('proc.name', payload), 'syscall', TYPES);
    expect(check({ 'proc.name': payload })).toBe(true);
    expect(check({ 'proc.name': 'bash' })).toBe(false);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    const odd = field('proc.name');
    expect(compileConditionFast(eq(odd, '\u2028\u2029'), 'syscall', TYPES)({ 'proc.name': '\u2028\u2029' })).toBe(true);
  });

  it('uses the field catalogue by default for typed comparisons', () => {
    const typed = and(eq('fd.sport', 443), gt('proc.pid', 10), eq('fd.sip', '10.0.0.1'));
    const ev = new RuleEvaluator([{ name: 'r', condition: typed, output: 'x', priority: 'WARNING' }]);
    expect(ev.evaluate({ 'fd.sport': '443', 'proc.pid': 11, 'fd.sip': '10.0.0.1' })).toHaveLength(1);
    expect(ev.evaluate({ 'fd.sport': 443, 'proc.pid': '9', 'fd.sip': '10.0.0.1' })).toHaveLength(0);
    expect(catalogueFieldTypes('syscall', 'proc.pid')).toEqual({ type: 'INT64', isList: false });
    expect(catalogueFieldTypes('k8s_audit', 'ka.user.groups')?.isList).toBe(true);
  });
});
