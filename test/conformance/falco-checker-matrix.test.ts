import { falcoBinary, falcoValidate, scratchDir } from './falco-support';
import { mapLimit } from './falco-sysdig-support';
import { RuleEvaluator } from '../../lib/falco/evaluator/evaluator';
import { lookupField } from '../../lib/falco/language/fields';
import { isNumericOperator } from '../../lib/falco/language/lexer';
import { kindOfType, operatorProblem } from '../../lib/falco/language/operators';
import { parseCondition } from '../../lib/falco/language/parser';
import { loadRuleFiles } from '../../lib/falco/rules/loader';

/**
 * What the checker refuses in a condition, judged by real Falco 0.44.1 (`falco -V`, one rule per file): every
 * operator on a field of every syscall field type, values at the edges of each type's syntax (numbers, ports,
 * addresses, networks, booleans), evt.type values under every operator, and regex patterns (RE2's syntax). Ours and Falco's verdicts must be equal
 * for each condition, and where both refuse, ours names the same kind of problem. The operator table both the
 * checker and the evaluator read (lib/falco/language/operators.ts) is judged here too: `exists` on every field
 * type, list fields and transformers' results, the rest as the table says.
 */

/** One field of each type of the syscall catalogue, with a value of that type. */
const FIELDS: readonly (readonly [string, string])[] = [
  ['evt.rawtime', '1'], ['container.privileged', 'true'], ['evt.buffer', 'abc'], ['proc.name', 'abc'], ['fd.types', 'abc'],
  ['thread.cpu', '1'], ['evt.cpu', '1'], ['fd.dev', '1'], ['fd.num', '1'], ['fd.cip', '10.0.0.1'], ['fd.net', '10.0.0.0/8'],
  ['fd.sport', '1'], ['evt.deltatime', '1'], ['evt.count', '1'], ['evt.num', '1'],
];
const OPERATORS = ['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith',
  'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', 'exists'];

function check(field: string, op: string, value: string): string {
  if (op === 'exists') return `${field} exists`;
  if (op === 'in' || op === 'intersects' || op === 'pmatch') return `${field} ${op} (${value})`;
  if (op === 'bcontains' || op === 'bstartswith') return `${field} ${op} 6162`;
  // the grammar takes only a number after these: the operator, not the value, is what is judged
  if (isNumericOperator(op)) return `${field} ${op} 1`;
  return `${field} ${op} ${op === 'regex' ? `"${value}"` : value}`;
}

const OPERATOR_CASES = FIELDS.flatMap(([field, value]) => OPERATORS.map((op) => check(field, op, value)));

/** Operators on transformers' results, list fields and fields with an argument. */
const OPERAND_CASES = [
  'tolower(proc.name) exists', 'len(fd.types) exists', 'toupper(fd.types) exists', 'proc.aname[2] exists', 'evt.arg.flags exists',
  'evt.rawarg.res exists', 'tolower(fd.types) = a', 'tolower(fd.types) in (a)', 'tolower(fd.types) intersects (a)', 'len(fd.types) > 1',
  'len(proc.name) contains 1', 'basename(proc.exepath) glob "ba*"', 'fd.types pmatch (abc)', 'fd.types startswith oneof (a)',
];

/** Whether the evaluator refuses a condition's operator (compiling it as a rule). */
function evaluatorVerdict(cond: string): string {
  try {
    new RuleEvaluator([{ name: 'R', condition: parseCondition(`evt.type = open and ${cond}`), output: 'o', priority: 'WARNING' }]);
    return 'ok';
  } catch (e) {
    return /EVAL_BAD_OPERATOR/.test((e as Error).message) ? 'operator' : 'ok';
  }
}

const VALUE_CASES = [
  // integers (and double fields): decimal only, a sign and leading blanks allowed
  'proc.pid = -1', 'proc.pid = +5', 'proc.pid = " 5"', 'proc.pid = "5 "', 'proc.pid = 0x10', 'proc.pid = 5abc', 'proc.pid = 1e3', 'proc.pid = -',
  'user.uid = -1', 'fd.num = 99999999999999999999', 'evt.rawtime = -1',
  'thread.cpu = 5', 'thread.cpu = 1.5', 'thread.cpu = -1.5', 'thread.cpu = .5',
  // ports: plain digits
  'fd.sport = 80', 'fd.sport = 65536', 'fd.sport = -1', 'fd.sport in (80, -1)', 'fd.sport > -1', 'fd.sport = 0x50', 'fd.sport = +80',
  'fd.sport = 80abc', 'fd.sport = 00080',
  // networks: an address with a prefix length
  'fd.net = 10.0.0.0/8', 'fd.net = 10.0.0.1', 'fd.snet in (10.0.0.1, 10.0.0.0/8)', 'fd.net = ::1', 'fd.net = "::1/128"', 'fd.net = "::/0"',
  'fd.net = "fe80::/129"', 'fd.net = 10.0.0.0/33', 'fd.net = 10.0.0.0/0', 'fd.net = 10.0.0.0/-1', 'fd.net = 10.0.0/8', 'fd.net = "10.0.0.0/"',
  'fd.net = 10.0.0.0/8/1',
  // addresses: no prefix length
  'fd.cip = 10.0.0.1', 'fd.cip = ::1', 'fd.cip = 10.0.0.0/8', 'fd.cip = 1.2.3', 'fd.cip = 010.0.0.1', 'fd.cip = "::ffff:1.2.3.4"',
  'fd.cip = "fe80::1%eth0"', 'fd.cip = "1.2.3.4 "', 'fd.cip = "1:2:3:4:5:6:7:8"', 'fd.cip = "1:2:3:4:5:6:7:8:9"', 'fd.cip = "1:2:3:4:5:6:7"',
  'fd.cip = "1::2::3"', 'fd.cip = "::"', 'fd.cip = "1:2:3:4:5:6:7::"', 'fd.cip = "::1:2:3:4:5:6:7"', 'fd.cip = "1:2:3:4::5:6:7:8"',
  'fd.cip = "12345::1"', 'fd.cip = "FE80::ABCD"', 'fd.cip = ":1::2"', 'fd.cip = "1::2:"', 'fd.cip = ":::"', 'fd.cip = "g::1"', 'fd.cip = 256.1.1.1',
  'fd.cip = 1.2.3.4.5', 'fd.cip = "0.0.0.0"', 'fd.cip = "1.2.3."', 'fd.net = "2001:db8::/32"', 'fd.net = "2001:db8:::/32"',
  // booleans
  'container.privileged = true', 'container.privileged = TRUE', 'container.privileged = 1',
  // evt.type values are event names under every operator
  'evt.type contains open', 'evt.type contains nosuch', 'evt.type startswith ope', 'evt.type glob "open*"', 'evt.type pmatch (open)',
  'evt.type pmatch (nosuch)', 'evt.type regex "open"', 'evt.type regex "nosuch"', 'evt.type icontains OPEN', 'evt.type endswith at',
  'evt.type intersects (nosuch)', 'evt.type in (openat, nosuch)', 'evt.type != nosuch', 'evt.type startswith "openat"',
  'evt.type startswith oneof (nosuch, open)', 'evt.type startswith oneof (open, openat)', 'proc.pid startswith oneof (1)',
  // regex patterns: RE2 with POSIX syntax (stacked repetitions allowed, Perl classes and (?...) groups refused)
  ...['(a', 'a{1001}', 'a{2,1}', '[z-a]', '(?=a)', '(?P<n>a)', '(?i)abc', '\\\\1', '\\\\d', '\\\\p{Greek}', '\\\\C', 'a**', 'a+?', 'a?*',
    'a{2}*', '(ab)**', '[ab]+*', 'x*', '^bash$', '', '[[:alpha:]]+', 'a|b', '[0-9]+\\\\.[0-9]+'].map((p) => `proc.name regex "${p}"`),
];

/** The kind of problem a message names, on either side. */
function kind(message: string): string {
  if (/operator not supported/.test(message)) return 'operator';
  if (/unknown event type/.test(message)) return 'event type';
  if (/invalid regex pattern/.test(message)) return 'regex';
  return 'value';
}

const scratch = scratchDir('falco-checker-matrix-');
afterAll(() => scratch.dispose());

describe('the checker against real Falco 0.44.1: operators by field type, values, event types', () => {
  const verdicts = new Map<string, { falco: string; ours: string }>();

  beforeAll(async () => {
    falcoBinary();
    const cases = [...OPERATOR_CASES, ...OPERAND_CASES, ...VALUE_CASES];
    await mapLimit(cases, 2, async (cond, i) => {
      const content = `- rule: R\n  desc: d\n  condition: ${JSON.stringify(`evt.type = open and ${cond}`)}\n  output: o\n  priority: WARNING\n`;
      const [falco] = await falcoValidate([scratch.write(`c${i}.yaml`, content)]);
      const ours = loadRuleFiles([{ name: 'c.yaml', content }]);
      const ourError = ours.diagnostics.find((d) => d.severity === 'error');
      verdicts.set(cond, {
        falco: falco.successful ? 'ok' : kind(falco.errors[0].message),
        ours: ourError ? kind(ourError.message) : 'ok',
      });
    });
  }, 300_000);

  test('every operator on every field type: accepted or refused alike', () => {
    expect(OPERATOR_CASES.length).toBe(300);
    const refused = OPERATOR_CASES.filter((c) => verdicts.get(c)!.falco !== 'ok');
    expect(refused.length).toBeGreaterThan(100);
    expect(OPERATOR_CASES.filter((c) => verdicts.get(c)!.falco !== verdicts.get(c)!.ours).map((c) => `${c}: ${JSON.stringify(verdicts.get(c))}`)).toEqual([]);
  });

  test('the operator table: Falco refuses an operator on a field of a type exactly where the table does', () => {
    const disagreements = FIELDS.flatMap(([field, value]) => OPERATORS.map((op) => {
      const info = lookupField('syscall', field)!;
      const table = operatorProblem({ kind: kindOfType(info.field.type), isList: info.field.isList }, op) === undefined ? 'ok' : 'operator';
      const falco = verdicts.get(check(field, op, value))!.falco;
      return (falco === 'operator') === (table === 'operator') ? undefined : `${check(field, op, value)}: table ${table}, falco ${falco}`;
    })).filter((d) => d !== undefined);
    expect(disagreements).toEqual([]);
    const exists = FIELDS.map(([field, value]) => verdicts.get(check(field, 'exists', value))!.falco);
    expect(exists).toEqual(FIELDS.map(() => 'ok'));
  });

  test('the evaluator refuses an operator exactly where Falco does, also on transformers, list fields and arguments', () => {
    const cases = [...OPERATOR_CASES, ...OPERAND_CASES];
    const operatorOf = (v: string) => (v === 'operator' ? 'operator' : 'ok');
    expect(cases.filter((c) => operatorOf(verdicts.get(c)!.falco) !== evaluatorVerdict(c)).map((c) => `${c}: falco ${verdicts.get(c)!.falco}, evaluator ${evaluatorVerdict(c)}`)).toEqual([]);
    expect(OPERAND_CASES.filter((c) => verdicts.get(c)!.falco === 'operator').length).toBeGreaterThan(3);
    expect(OPERAND_CASES.filter((c) => verdicts.get(c)!.falco !== verdicts.get(c)!.ours).map((c) => `${c}: ${JSON.stringify(verdicts.get(c))}`)).toEqual([]);
  });

  test('values at the edges of each type, evt.type values and regex patterns: accepted or refused alike, for the same reason', () => {
    expect(VALUE_CASES.filter((c) => verdicts.get(c)!.falco === 'ok').length).toBeGreaterThan(15);
    expect(VALUE_CASES.filter((c) => verdicts.get(c)!.falco !== 'ok').length).toBeGreaterThan(30);
    expect(VALUE_CASES.filter((c) => verdicts.get(c)!.falco !== verdicts.get(c)!.ours).map((c) => `${c}: ${JSON.stringify(verdicts.get(c))}`)).toEqual([]);
  });
});
