import { parseCondition, printCondition, quoteString, UnrepresentableValueError } from '../../../lib/falco';
import type { Expr } from '../../../lib/falco';

/** The error a call throws, or a failure when it throws none. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
}

describe('a value no condition text can carry (COND_UNREPRESENTABLE_VALUE)', () => {
  test('quoteString refuses a NUL character with the code and the value', () => {
    const e = thrown(() => quoteString('bash\0-i'));
    expect(e).toBeInstanceOf(UnrepresentableValueError);
    expect(e).toMatchObject({ code: 'COND_UNREPRESENTABLE_VALUE', value: 'bash\0-i' });
    expect((e as Error).message).toBe('the value "bash\\u0000-i" contains a NUL character, which a Falco condition cannot carry');
  });

  test('printing a condition whose value was changed to hold a NUL refuses it rather than cutting the value short', () => {
    const parsed = parseCondition('proc.name = bash') as Expr & { right: { value: string } };
    const changed = { ...parsed, right: { ...parsed.right, value: 'ba\0sh' } } as Expr;
    expect(thrown(() => printCondition(changed))).toMatchObject({ code: 'COND_UNREPRESENTABLE_VALUE' });
    expect(printCondition(parsed)).toBe('proc.name = bash');
  });
});
