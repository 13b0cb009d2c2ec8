import {
  ALL_OPERATORS, COMPARISON_OPERATORS, isModifiedOperator, isNumberToken, isOperator, isToken, LIST_OPERATORS,
  operatorNeedsBlank, UNARY_OPERATORS,
} from '../../../lib/falco/language/lexer';
import { parseCondition } from '../../../lib/falco/language/parser';

describe('the lexer defines every token once', () => {
  test('ALL_OPERATORS holds every operator once, a longer one before its prefix', () => {
    expect([...ALL_OPERATORS].sort()).toEqual([...COMPARISON_OPERATORS, ...LIST_OPERATORS, ...UNARY_OPERATORS].sort());
    for (const [i, op] of ALL_OPERATORS.entries()) {
      for (const later of ALL_OPERATORS.slice(i + 1)) expect(later.startsWith(op) && later !== op).toBe(false);
    }
  });

  test('every operator the lexer lists is read by the parser', () => {
    for (const op of ALL_OPERATORS) {
      const right = op === 'exists' ? '' : LIST_OPERATORS.includes(op as never) ? ' (a)' : ' 1';
      const parsed = parseCondition(`proc.pid ${op}${right}`);
      expect(parsed).toMatchObject({ op });
    }
  });

  test('token shapes', () => {
    expect(isToken('fieldName', 'proc.aname')).toBe(true);
    expect(isToken('fieldName', 'proc')).toBe(false);
    expect(isToken('identifier', 'shell_binaries')).toBe(true);
    expect(isToken('identifier', '_x')).toBe(false);
    expect(isToken('bareString', 'a,b')).toBe(false);
    expect(isNumberToken('0x1F')).toBe(true);
    expect(isNumberToken('1e5')).toBe(false);
  });

  test('operators: modified forms and the blank a word operator needs', () => {
    expect(isOperator('pmatch')).toBe(true);
    expect(isOperator('startswith oneof')).toBe(false);
    expect(isModifiedOperator('startswith oneof')).toBe(true);
    expect(isModifiedOperator('< oneof')).toBe(false);
    expect(isModifiedOperator('startswith  oneof')).toBe(false);
    expect(operatorNeedsBlank('glob')).toBe(true);
    expect(operatorNeedsBlank('in')).toBe(false);
    expect(operatorNeedsBlank('=')).toBe(false);
  });
});
