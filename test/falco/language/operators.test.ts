import { RuleEvaluator } from '../../../lib/falco/evaluator/evaluator';
import { checkCondition } from '../../../lib/falco/language/checker';
import { GENERATED_FIELD_CATALOGUE } from '../../../lib/falco/language/fields-catalogue.generated';
import { ALL_OPERATORS } from '../../../lib/falco/language/lexer';
import { kindOfType, LIST_FIELD_OPERATORS, OPERATORS_BY_KIND, operatorProblem, ValueKind } from '../../../lib/falco/language/operators';
import { parseCondition } from '../../../lib/falco/language/parser';

/**
 * The one operator table (lib/falco/language/operators.ts). What it says is judged by real Falco 0.44.1 in
 * test/conformance/falco-checker-matrix.test.ts; here: its shape, and that the checker and the evaluator both
 * follow it for every operator on a field of every syscall field type.
 */

const SYSCALL = GENERATED_FIELD_CATALOGUE.syscall;

/** One single-valued field of each type of the syscall catalogue (no required argument), and one list field. */
const FIELDS = [
  ...[...new Set(SYSCALL.map((f) => f.type))].filter((t) => t !== 'DYNAMIC')
    .map((t) => SYSCALL.find((f) => f.type === t && !f.isList && f.arg !== 'required')!),
  SYSCALL.find((f) => f.name === 'fd.types')!,
];

function check(field: string, op: string): string {
  if (op === 'exists') return `${field} exists`;
  if (op === 'in' || op === 'intersects' || op === 'pmatch') return `${field} ${op} (1)`;
  if (op === 'bcontains' || op === 'bstartswith') return `${field} ${op} 6162`;
  return `${field} ${op} 1`;
}

function checkerRefuses(condition: string): boolean {
  return checkCondition(parseCondition(condition), 'syscall').some((i) => i.code === 'COND_BAD_OPERATOR_FOR_FIELD');
}

function evaluatorRefuses(condition: string): boolean {
  try {
    new RuleEvaluator([{ name: 'r', condition: parseCondition(condition), output: 'o', priority: 'WARNING' }]);
    return false;
  } catch (e) {
    return /EVAL_BAD_OPERATOR/.test((e as Error).message);
  }
}

describe('the operator table', () => {
  test('exists takes every kind of field and list fields; a list field takes only in and intersects besides', () => {
    for (const kind of Object.keys(OPERATORS_BY_KIND) as ValueKind[]) {
      expect(OPERATORS_BY_KIND[kind].operators.has('exists')).toBe(true);
      expect(operatorProblem({ kind, isList: false }, 'exists')).toBeUndefined();
      expect(operatorProblem({ kind, isList: true }, 'exists')).toBeUndefined();
    }
    expect([...LIST_FIELD_OPERATORS].sort()).toEqual(['exists', 'in', 'intersects']);
    expect(operatorProblem({ kind: 'string', isList: true }, '==')).toBe("'=' operator not supported list filters");
    expect(operatorProblem({ kind: undefined, isList: false }, 'contains')).toBeUndefined();
  });

  test("libsinsp's families and their operators", () => {
    expect(operatorProblem({ kind: 'number', isList: false }, 'contains')).toBe("'contains' operator not supported for numeric filters");
    expect(operatorProblem({ kind: 'bool', isList: false }, '<')).toBe("'<' operator not supported for numeric filters");
    expect(operatorProblem({ kind: 'ipnet', isList: false }, 'startswith')).toBe("'startswith' operator not supported for ip address and network filters");
    expect(operatorProblem({ kind: 'bytes', isList: false }, 'glob')).toBe("'glob' operator not supported for buffer filters");
    expect(operatorProblem({ kind: 'string', isList: false }, 'bcontains')).toBe("'bcontains' operator not supported for string filters");
    expect(OPERATORS_BY_KIND.string.operators.size).toBe(18);
    expect([...OPERATORS_BY_KIND.bytes.operators].sort()).toEqual(['!=', '=', '==', 'bcontains', 'bstartswith', 'contains', 'endswith', 'exists', 'in', 'intersects', 'startswith']);
  });

  test('every type of the syscall catalogue has a kind, except DYNAMIC (evt.rawarg.*, typed per event)', () => {
    const types = [...new Set(SYSCALL.map((f) => f.type))];
    expect(types.filter((t) => kindOfType(t) === undefined)).toEqual(['DYNAMIC']);
    expect(kindOfType('PT_UINT64')).toBe('number');
    expect(kindOfType('string')).toBe('string');
    expect(kindOfType('ipv6net')).toBe('ipnet');
  });

  test('the checker and the evaluator follow the table for every operator on a field of every type', () => {
    expect(FIELDS.length).toBe(15);
    const disagreements: string[] = [];
    let refused = 0;
    for (const field of FIELDS) {
      for (const op of ALL_OPERATORS) {
        const condition = check(field.name, op);
        const table = operatorProblem({ kind: kindOfType(field.type), isList: field.isList }, op) !== undefined;
        refused += table ? 1 : 0;
        const verdicts = { table, checker: checkerRefuses(condition), evaluator: evaluatorRefuses(condition) };
        if (verdicts.checker !== table || verdicts.evaluator !== table) disagreements.push(`${condition}: ${JSON.stringify(verdicts)}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(refused).toBeGreaterThan(100);
  });

  test.each([
    ['tolower(fd.types) = a', true],
    ['tolower(fd.types) in (a)', false],
    ['tolower(fd.types) exists', false],
    ['len(fd.types) > 1', false],
    ['len(proc.name) contains 1', true],
    ['proc.aname[2] exists', false],
  ])('a transformer or an argument: %s refused %s, by both', (condition, refused) => {
    expect(checkerRefuses(condition)).toBe(refused);
    expect(evaluatorRefuses(condition)).toBe(refused);
  });
});
