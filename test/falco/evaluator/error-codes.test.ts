import { evaluator, rule } from './helpers';
import { EvaluatorError } from '../../../lib/falco/evaluator/evaluator';
import type { Expr } from '../../../lib/falco/language/ast';
import { TRANSFORMERS } from '../../../lib/falco/language/lexer';
import { parseCondition } from '../../../lib/falco/language/parser';

/** The code and message the evaluator refuses a condition with, when it compiles its rules. */
function refusal(condition: string | Expr): string {
  try {
    evaluator([typeof condition === 'string' ? rule('r', condition) : { ...rule('r', 'evt.num > 0'), condition }]);
  } catch (e) {
    if (e instanceof EvaluatorError) return e.message;
    throw e;
  }
  throw new Error('the condition was accepted');
}

describe('conditions the evaluator cannot run are refused with a code, naming the rule', () => {
  test.each([
    ['join(proc.name) = x', "EVAL_BAD_TRANSFORMER rule 'r': join() requires exactly 2 arguments: separator and list"],
    ['proc.name in shells', "EVAL_UNRESOLVED rule 'r': list 'shells' is not resolved: evaluate a loaded rule set"],
    ['spawned_process', "EVAL_UNRESOLVED rule 'r': macro 'spawned_process' is not resolved: evaluate a loaded rule set"],
    ['fd.types contains tcp', "EVAL_BAD_OPERATOR rule 'r': 'contains' operator not supported list filters (field 'fd.types' is a list of CHARBUF)"],
    ['proc.pid contains 1', "EVAL_BAD_OPERATOR rule 'r': 'contains' operator not supported for numeric filters (field 'proc.pid' is INT64)"],
    ['proc.name regex val(proc.pname)', "EVAL_BAD_OPERATOR rule 'r': operator 'regex' doesn't support right-hand side fields"],
    ['proc.pid = ten', "EVAL_BAD_VALUE rule 'r': 'ten' is not a number (decimal digits only) (field proc.pid has type INT64)"],
    // as the loader's checker and Falco 0.44.1 ("0x10 is not a valid number"); port names are refused too
    ['proc.pid = 0x10', "EVAL_BAD_VALUE rule 'r': '0x10' is not a number (decimal digits only) (field proc.pid has type INT64)"],
    ['fd.sport = https', "EVAL_BAD_VALUE rule 'r': 'https' is not a port number (digits only) (field fd.sport has type PORT)"],
    ['fd.sip = 1.2.3', "EVAL_BAD_VALUE rule 'r': '1.2.3' is not an IP address (field fd.sip has type IPADDR)"],
    ['proc.name regex "(a"', "EVAL_BAD_REGEX rule 'r': invalid regex pattern '(a': missing )"],
    ['proc.name regex "a\\\\d"', "EVAL_BAD_REGEX rule 'r': invalid regex pattern 'a\\d': '\\d' is not POSIX syntax, which libsinsp compiles regex with (RE2::POSIX)"],
  ])('%s', (condition, expected) => {
    expect(refusal(condition)).toBe(expected);
  });

  // conditions the parser never produces, built by hand (RuleEvaluator takes any Expr)
  test('a list under a single-value operator (EVAL_BAD_OPERAND)', () => {
    const inList = parseCondition('proc.name in (a, b)') as Expr & { op: string };
    expect(refusal({ ...inList, op: '=' } as Expr)).toBe("EVAL_BAD_OPERAND rule 'r': operator '=' takes a single value");
  });
  // EVAL_UNSUPPORTED_TRANSFORMER is reachable only through a hand-built AST: the evaluator runs every transformer
  // the parser admits (Falco 0.44's), so no rules file can produce it.
  const transformerCalls: Record<typeof TRANSFORMERS[number], string> = {
    tolower: 'tolower(proc.name) = bash',
    toupper: 'toupper(proc.name) = BASH',
    b64: 'b64(proc.name) = x',
    basename: 'basename(proc.exepath) = bash',
    len: 'len(proc.args) > 0',
    join: 'join(",", proc.args) = x',
    concat: 'concat(proc.name, proc.pname) = x',
    getopt: 'getopt(proc.args, "c:") exists',
  };
  test.each(TRANSFORMERS.map((t) => [t]))('the evaluator runs the parser\'s transformer %s()', (name) => {
    expect(() => evaluator([rule('r', transformerCalls[name])])).not.toThrow();
  });
  test('a transformer the evaluator does not run (EVAL_UNSUPPORTED_TRANSFORMER)', () => {
    const lower = parseCondition('tolower(proc.name) = bash') as Expr & { left: object };
    expect(refusal({ ...lower, left: { ...lower.left, name: 'rot13' } } as Expr))
      .toBe("EVAL_UNSUPPORTED_TRANSFORMER rule 'r': the evaluator does not support the rot13() transformer");
  });
});

describe('an audit EventList given as one event (EVAL_EVENT_LIST)', () => {
  test('is refused, not silently matched against nothing', () => {
    const audit = evaluator([{ ...rule('exec', 'ka.verb = create'), source: 'k8s_audit' }]);
    expect(() => audit.evaluate({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [] }, 'k8s_audit'))
      .toThrow(new EvaluatorError('EVAL_EVENT_LIST', 'an audit EventList holds several events: evaluate each of its items (see splitK8sAuditEvents)'));
  });
});
