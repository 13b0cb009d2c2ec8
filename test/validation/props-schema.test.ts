import { planStack } from '../../lib/stack/plan';
import { DetectionStackProps } from '../../lib/stack/props';
import { planErrorOf } from '../helpers/refusal';

const EKS = { cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' }, durable: { waived: { reason: 'not needed in this test' } } } as const;

/** Plans untyped props, as a JavaScript user or a YAML-fed program would pass them. */
function plan(props: unknown): () => unknown {
  return () => planStack(props as DetectionStackProps, 'stack');
}

const errorOf = planErrorOf;

describe('props are checked once, at the door (issue #14 reproducers)', () => {
  test.each<[string, unknown, string, string, RegExp]>([
    ['routing.teams as a string', { ...EKS, routing: { teams: 'payments' } }, 'DS-PROPS-010', 'stack/routing.teams', /must be a list, not a string/],
    ['routing.teams: [null]', { ...EKS, routing: { teams: [null] } }, 'DS-PROPS-010', 'stack/routing.teams[0]', /must be TeamProps \{ name, namespaces, receivers \}, not null/],
    ['productNamespaces as a string', { ...EKS, sensors: { tetragon: { productNamespaces: 'billing' } } }, 'DS-PROPS-010', 'stack/sensors.tetragon.productNamespaces', /must be a list/],
    ['minimumPriority: 5', { ...EKS, sensors: { falco: { minimumPriority: 5 } } }, 'DS-PROPS-012', 'stack/sensors.falco.minimumPriority', /is the number 5, not one of the allowed values/],
    ['a custom rule with tags: [1]', { ...EKS, sensors: { falco: { customRules: [{ owner: 'x', rule: { kind: 'rule', name: 'r', tags: [1] } }] } } },
      'DS-PROPS-010', 'stack/sensors.falco.customRules[0].rule.tags[0]', /must be a string, not the number 1/],
    ['a suppression reason: 5', { ...EKS, suppressions: [{ id: 'DS-X', reason: 5 }] }, 'DS-PROPS-010', 'stack/suppressions[0].reason', /must be a string/],
    ['cluster.name: 9', { cluster: { name: 9, provider: 'eks' } }, 'DS-PROPS-010', 'stack/cluster.name', /must be a string, not the number 9/],
    ['props undefined', undefined, 'DS-PROPS-004', 'stack', /the props are missing/],
    ['props null', null, 'DS-PROPS-010', 'stack', /must be DetectionStackProps \{ cluster, namespace\?/],
    ['a missing cluster.name (never the string "undefined")', { cluster: { provider: 'eks' } }, 'DS-PROPS-004', 'stack/cluster.name', /cluster\.name is missing/],
    ['namespace: [\'falco\'] (never coerced to a string)', { ...EKS, namespace: ['falco'] }, 'DS-PROPS-010', 'stack/namespace', /must be a string, not a list/],
    ['a misspelt prop', { ...EKS, sensors: { falco: { minimumPriorty: 'NOTICE' } } }, 'DS-PROPS-011', 'stack/sensors.falco.minimumPriorty',
      /'minimumPriorty' is not a prop of FalcoSensorProps \(did you mean 'minimumPriority'\?\)/],
    ['an unknown top-level prop', { ...EKS, sensor: {} }, 'DS-PROPS-011', 'stack/sensor', /did you mean 'sensors'\?/],
    ['a prop with no close name lists the known ones', { ...EKS, cluster: { ...EKS.cluster, zzzzzzzz: 1 } }, 'DS-PROPS-011', 'stack/cluster.zzzzzzzz',
      /its props: 'name', 'provider', 'region'/],
    ['a Secret reference without key', { ...EKS, routing: { sidekick: { outputs: { webhook: { address: { name: 'hook' } } } } } },
      'DS-PROPS-004', 'stack/routing.sidekick.outputs.webhook.address.key', /is missing/],
    ['NaN for a number', { ...EKS, routing: { sidekick: { replicas: NaN } } }, 'DS-PROPS-010', 'stack/routing.sidekick.replicas', /must be an integer|must be a number/],
  ])('%s', (_name, props, code, where, problem) => {
    const error = errorOf(props);
    expect(error).toMatchObject({ code, where });
    expect(error.problem).toMatch(problem);
    expect(error.fix.length).toBeGreaterThan(5);
    expect(error.message).toBe(`${code} at ${where}: ${error.problem}. Fix: ${error.fix}`);
  });

  test('the layer checks keep their codes, now at the door: provider, cluster name, namespace', () => {
    expect(plan({ cluster: { name: 'c', provider: 'gke' } })).toThrow(/^DS-PROPS-003 at stack\/cluster\.provider: unknown provider 'gke'/);
    expect(plan({ cluster: { name: 'prod eu', provider: 'eks' } })).toThrow(/^DS-PROPS-002 at stack\/cluster\.name/);
    expect(plan({ ...EKS, namespace: 'Falco' })).toThrow(/^DS-PROPS-001 at stack\/namespace/);
  });

  test('a wrong type never echoes the value: a string given for a Secret reference is the credential', () => {
    const error = errorOf({ ...EKS, routing: { sidekick: { outputs: { pagerduty: { routingKey: 'R0UT1NGK3Y' } } } } });
    expect(error.code).toBe('DS-PROPS-010');
    expect(error.message).not.toContain('R0UT1NGK3Y');
  });

  test('no planner runs before the door: a bad type deep in one layer is reported before another layer\'s value errors', () => {
    // sensors.falco.image.tag 'latest' is a Falco layer error; routing.teams is a type error the schema sees first.
    const error = errorOf({ ...EKS, sensors: { falco: { image: { tag: 'latest' } } }, routing: { teams: 'payments' } });
    expect(error.code).toBe('DS-PROPS-010');
  });

  test('an own __proto__ key anywhere is refused (record schemas skip it; a spread would make it a prototype)', () => {
    const props = JSON.parse('{"cluster":{"name":"prod","provider":"eks"},"durable":{"waived":{"reason":"not needed in this test"}},'
      + '"routing":{"alertmanager":{"mode":"operator","operator":{"alertmanagerUrls":["http://am.monitoring.svc:9093"],"configLabels":{"__proto__":[]}}}}}');
    expect(errorOf(props)).toMatchObject({ code: 'DS-PROPS-011', where: 'stack/routing.alertmanager.operator.configLabels.__proto__' });
  });

  test('a TracingPolicy field named like an Object member (constructor) is refused at the door, not a crash at synth', () => {
    const policy = { apiVersion: 'cilium.io/v1alpha1', kind: 'TracingPolicy', metadata: { name: 'p', constructor: null }, spec: { kprobes: [{ call: 'sys_ptrace', syscall: true }] } };
    const error = errorOf({ ...EKS, sensors: { tetragon: { detections: [{ id: 'p', pattern: 'p', owner: 'sec', policies: [policy] }] } } });
    expect(error).toMatchObject({ code: 'DS-PROPS-011', where: 'stack/sensors.tetragon.detections[0].policies[0].metadata.constructor' });
  });

  test('valid props still plan', () => {
    expect(planStack({ ...EKS, sensors: { falco: { minimumPriority: 'WARNING', nodeSelector: { 'kubernetes.io/os': 'linux' } } } }, 'stack').falco)
      .toBeDefined();
  });
});
