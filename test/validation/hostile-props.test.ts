// #14, new hostile props: 10,000-deep nesting, 50 MB strings, keys named like Object members, terminal escapes.
// Every outcome is a synth or a DetectionStackError at the door, fast, with a bounded message.
import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { boundedMessageText, MESSAGE_TEXT_MAX } from '../../lib/core/errors';
import { planStack } from '../../lib/stack/plan';
import { MAX_PROP_STRING_BYTES, MAX_PROPS_DEPTH } from '../../lib/validation/report';
import { planErrorOf } from '../helpers/refusal';

const EKS = { cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' }, durable: { waived: { reason: 'not needed in this test' } } } as const;
const OWNER = { unowned: 'the hostile test owns nothing at all' };
const MIB = 1024 * 1024;

const errorOf = planErrorOf;

/** `{ a: { a: ... 'x' } }` (or `[[...'x']]`), `depth` levels, built without recursion. */
function nested(depth: number, list = false): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = list ? [value] : { a: value };
  return value;
}

const policy = (spec: unknown) => ({ apiVersion: 'cilium.io/v1alpha1' as const, kind: 'TracingPolicy' as const, metadata: { name: 'p' }, spec: spec as never });
const withRule = (rule: Record<string, unknown>) => ({
  ...EKS,
  sensors: { falco: { customRules: [{ owner: OWNER, rule: { kind: 'rule', name: 'r', desc: 'd', condition: 'evt.type = execve', output: 'o', priority: 'WARNING', ...rule } }] } },
});

describe('10,000-deep props are an error at the door, never a stack overflow', () => {
  test.each<[string, unknown, string]>([
    ['an unknown prop holding a 10,000-deep object', { ...EKS, extra: nested(10_000) }, 'stack/extra'],
    ['cluster.name a 10,000-deep object', { ...EKS, cluster: { ...EKS.cluster, name: nested(10_000) } }, 'stack/cluster.name'],
    ['a TracingPolicy spec a 10,000-deep list', { ...EKS, sensors: { tetragon: { detections: [{ id: 'p', pattern: 'p', owner: 'sec', policies: [policy({ kprobes: nested(10_000, true) })] }] } } },
      'stack/sensors.tetragon.detections[0].policies[0].spec.kprobes'],
    ['a 100,000-deep list', { ...EKS, suppressions: nested(100_000, true) }, 'stack/suppressions'],
  ])('%s', (_name, props, prefix) => {
    const error = errorOf(props);
    expect(error.code).toBe('DS-PROPS-013');
    expect(error.where.startsWith(prefix)).toBe(true);
    expect(error.problem).toMatch(new RegExp(`is nested deeper than ${MAX_PROPS_DEPTH} levels`));
    expect(error.message.length).toBeLessThan(2 * MESSAGE_TEXT_MAX);
  });

  test('the deepest props a stack has (a TracingPolicy\'s selectors) are far from the bound', () => {
    const spec = { kprobes: [{ call: 'sys_ptrace', syscall: true, args: [{ index: 0, type: 'int' }], selectors: [{ matchArgs: [{ index: 0, operator: 'Equal', values: ['1'] }] }] }] };
    expect(() => planStack({ ...EKS, sensors: { tetragon: { detections: [{ id: 'p', pattern: 'p', owner: 'sec', policies: [policy(spec)] }] } } }, 'stack')).not.toThrow();
  });

  test('a cycle is refused by the schema (an unknown key), not followed forever', () => {
    const props: Record<string, unknown> = { ...EKS, routing: { teams: [] } };
    (props.routing as Record<string, unknown>).self = props;
    expect(errorOf(props)).toMatchObject({ code: 'DS-PROPS-011', where: 'stack/routing.self' });
  });
});

describe('strings over 1 MiB are refused at the door (no ConfigMap holds them); messages stay short', () => {
  const big = 'x'.repeat(50 * MIB);

  test.each<[string, unknown, string]>([
    ['a 50 MB cluster name', { ...EKS, cluster: { ...EKS.cluster, name: big } }, 'stack/cluster.name'],
    ['a 50 MB rule condition (it hung the loader check)', withRule({ condition: `evt.type = ${big}` }), 'stack/sensors.falco.customRules[0].rule.condition'],
    ['a 50 MB rule name', withRule({ name: big }), 'stack/sensors.falco.customRules[0].rule.name'],
    ['a 50 MB suppression reason', { ...EKS, suppressions: [{ id: 'DS-ROUTE-102', reason: big }] }, 'stack/suppressions[0].reason'],
  ])('%s', (_name, props, where) => {
    const error = errorOf(props);
    expect(error).toMatchObject({ code: 'DS-PROPS-013', where });
    expect(error.problem).toMatch(/is a string of 50(\.01)? MiB, above the 1 MiB a Kubernetes ConfigMap or Secret holds$/);
    expect(error.message.length).toBeLessThan(1000);
  });

  test('the bound counts UTF-8 bytes: 1 MiB of characters is accepted by the door, one byte more is not', () => {
    const exactly = 'a'.repeat(MAX_PROP_STRING_BYTES - 2);
    expect(errorOf({ ...EKS, suppressions: [{ id: 'DS-ROUTE-102', reason: `${exactly}é` }], extra: 1 }).code).toBe('DS-PROPS-011');
    expect(errorOf({ ...EKS, suppressions: [{ id: 'DS-ROUTE-102', reason: `${exactly}éa` }] }).code).toBe('DS-PROPS-013');
  });

  test('a long value in any later check is shown bounded: its start, how much is left out, its end', () => {
    const name = `prod-${'y'.repeat(10_000)}-end`;
    const error = errorOf({ ...EKS, cluster: { ...EKS.cluster, name: `${name}!` } });
    expect(error.code).toBe('DS-PROPS-002');
    expect(error.problem.length).toBeLessThan(MESSAGE_TEXT_MAX + 100);
    expect(error.problem).toMatch(/^cluster name 'prod-y+\.\.\.\(\d+ characters left out\)\.\.\.y+-end!' is not valid$/);
  });
});

describe('keys named like Object members', () => {
  test('an own constructor key is refused at the door: cdk8s cannot render an object that has one (it failed at synth)', () => {
    const error = errorOf({ ...EKS, sensors: { falco: { nodeSelector: { constructor: 'x' } } } });
    expect(error).toMatchObject({ code: 'DS-PROPS-011', where: 'stack/sensors.falco.nodeSelector.constructor' });
    expect(error.fix).toMatch(/cdk8s renders no object with an own 'constructor' key/);
  });

  test('an own __proto__ key from JSON.parse, at the top, is refused', () => {
    const props = JSON.parse(`{"cluster":${JSON.stringify(EKS.cluster)},"durable":${JSON.stringify(EKS.durable)},"__proto__":{"namespace":"x"}}`) as unknown;
    expect(errorOf(props)).toMatchObject({ code: 'DS-PROPS-011', where: 'stack/__proto__' });
  });

  test('toString and hasOwnProperty as label keys are labels like any other', () => {
    const stack = new DetectionStack(Testing.app(), 's', { ...EKS, sensors: { falco: { nodeSelector: { toString: 'x', hasOwnProperty: 'y' } } } });
    const daemonSet = Testing.synth(stack).find((o) => o.kind === 'DaemonSet');
    expect(daemonSet.spec.template.spec.nodeSelector).toEqual({ hasOwnProperty: 'y', toString: 'x' });
  });

  test('a rule named constructor, a list named __proto__ and a macro named toString are written to the rules file as named', () => {
    const stack = new DetectionStack(Testing.app(), 's', {
      ...EKS,
      sensors: {
        falco: {
          customLists: [{ kind: 'list', name: '__proto__', items: ['bash'] }],
          customMacros: [{ kind: 'macro', name: 'toString', condition: 'evt.type = execve' }],
          customRules: [{ owner: OWNER, rule: { kind: 'rule', name: 'constructor', desc: 'd', condition: 'toString and proc.name in (__proto__)', output: 'o', priority: 'WARNING' } }],
        },
      },
    });
    const rules = Testing.synth(stack).filter((o) => o.kind === 'ConfigMap').flatMap((c) => Object.values(c.data as Record<string, string>)).join('\n');
    expect(rules).toContain('- list: __proto__');
    expect(rules).toContain('- macro: toString');
    expect(rules).toContain('- rule: constructor');
  });

  test('a team named constructor is a team (its Alertmanager receiver is named after it)', () => {
    const stack = new DetectionStack(Testing.app(), 's', {
      ...EKS,
      routing: { teams: [{ name: 'constructor', namespaces: ['billing'], receivers: { webhook: [{ url: { name: 'h', key: 'u' }, minimumPriority: 'Warning' }] } }] },
    });
    const text = JSON.stringify(Testing.synth(stack));
    expect(text).toMatch(/team-constructor|constructor-webhook|"constructor"/);
  });
});

describe('terminal escapes and long values in messages', () => {
  test('a prop value with escape sequences is printed escaped in the error', () => {
    const error = errorOf({ ...EKS, cluster: { ...EKS.cluster, name: 'prod\u001b]0;owned\u0007\r' } });
    expect(error.message).not.toMatch(/[\u001b\u0007\r]/);
    expect(error.problem).toContain('prod\\x1b]0;owned\\x07\\r');
  });

  test('boundedMessageText escapes control characters and bidi overrides, keeps line breaks, bounds the length', () => {
    expect(boundedMessageText('a\u001b[2Jb\u202ec\td\ne\u009b')).toBe('a\\x1b[2Jb\\u202ec\\td\ne\\x9b');
    const long = boundedMessageText(`${'s'.repeat(5000)}E`);
    expect(long.length).toBeLessThan(MESSAGE_TEXT_MAX + 50);
    expect(long).toMatch(/^s{1500}\.\.\.\(3001 characters left out\)\.\.\.s{499}E$/);
  });
});
