import { App, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { FALCO_AUDIT_RULES_SOURCE } from '../../lib/checks/falco-audit-rules-source';
import { FALCO_CUSTOM_RULES_LOAD } from '../../lib/checks/falco-custom-rules-load';
import { FALCO_CUSTOM_RULES_WARNINGS } from '../../lib/checks/falco-custom-rules-warnings';
import type { FalcoCustomRule } from '../../lib/falco/sensor/props';
import { planStack } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

const rule = (name: string, condition: string, extra: Partial<FalcoCustomRule['rule']> = {}): FalcoCustomRule => ({
  owner: 'payments',
  rule: { kind: 'rule', name, desc: 'd', condition, output: 'x (proc.cmdline=%proc.cmdline)', priority: 'WARNING', ...extra },
});
const stack = (customRules: FalcoCustomRule[], extra: Partial<DetectionStackProps> = {}): DetectionStackProps => ({
  cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
  sensors: { falco: { customRules, loadDefaultRules: false } },
  ...extra,
});
const SHELL = 'evt.type = execve and proc.name = bash';

describe('DS-FALCO-102 custom rules load as Falco would load them', () => {
  test('compliant: a rule with known fields', () => {
    expect(FALCO_CUSTOM_RULES_LOAD.evaluate(planStack(stack([rule('shell', SHELL)]), 's')))
      .toEqual([{ status: 'compliant', path: 's/sensors.falco.customRules' }]);
  });

  test('non-compliant: an unknown field, reported with the rendered file, line and column', () => {
    const outcomes = FALCO_CUSTOM_RULES_LOAD.evaluate(planStack(stack([rule('typo', 'evt.type = execve and proc.nmae = bash')]), 's'));
    expect(outcomes).toEqual([{
      status: 'non-compliant',
      path: "s/sensors.falco.customRules[rule 'typo']",
      message: expect.stringMatching(/^detection-stack-custom-rules\.yaml:\d+:\d+: \w+ .*proc\.nmae/),
    }]);
  });

  test('an undefined macro is an error without the default rules, and left to Falco when they load first', () => {
    const usesDefaultMacro = [rule('spawn', 'spawned_process and proc.name = bash')];
    expect(FALCO_CUSTOM_RULES_LOAD.evaluate(planStack(stack(usesDefaultMacro), 's'))[0])
      .toMatchObject({ status: 'non-compliant', message: expect.stringMatching(/COND_UNDEFINED_MACRO/) });
    const withDefaults = stack(usesDefaultMacro, { sensors: { falco: { customRules: usesDefaultMacro, loadDefaultRules: true } } });
    expect(FALCO_CUSTOM_RULES_LOAD.evaluate(planStack(withDefaults, 's'))).toEqual([{ status: 'compliant', path: 's/sensors.falco.customRules' }]);
  });

  test('a broken rule fails cdk8s synth with the check ID', () => {
    const app = new App({ outdir: Testing.app().outdir });
    new DetectionStack(app, 'bad', stack([rule('typo', 'evt.type = execve and proc.nmae = bash')]));
    expect(() => app.synth()).toThrow(/DS-FALCO-102/);
  });
});

describe('DS-FALCO-103 rules Falco would warn about', () => {
  test('compliant: restricted to an event type', () => {
    expect(FALCO_CUSTOM_RULES_WARNINGS.evaluate(planStack(stack([rule('shell', SHELL)]), 's'))[0].status).toBe('compliant');
  });
  test('non-compliant: no evt.type restriction (LOAD_NO_EVTTYPE)', () => {
    expect(FALCO_CUSTOM_RULES_WARNINGS.evaluate(planStack(stack([rule('any', 'proc.name = bash')]), 's')))
      .toEqual([{ status: 'non-compliant', path: "s/sensors.falco.customRules[rule 'any']", message: expect.stringMatching(/LOAD_NO_EVTTYPE/) }]);
  });
});

describe('k8s_audit custom rules run where the k8saudit plugin runs', () => {
  const auditRule = rule('exec into billing', 'ka.verb = create and ka.target.subresource = exec and ka.target.namespace = billing',
    { source: 'k8s_audit', output: 'exec (user=%ka.user.name)' });

  test('DS-FALCO-104 non-compliant: no k8saudit plugin (OKE has none)', () => {
    const plan = planStack({ cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, sensors: { falco: { customRules: [auditRule] } } }, 's');
    expect(FALCO_AUDIT_RULES_SOURCE.evaluate(plan)).toEqual([{
      status: 'non-compliant', path: 's/sensors.falco.customRules', message: expect.stringMatching(/1 k8s_audit rule\(s\) will not run \(exec into billing\)/),
    }]);
    expect(plan.falco?.rules.items).toEqual([]);
  });

  test('DS-FALCO-104 compliant: the EKS k8saudit plugin runs them, never the node sensor', () => {
    const props = stack([rule('shell', SHELL), auditRule], { audit: { kubernetes: { falcoPlugin: {} } } });
    const plan = planStack(props, 's');
    expect(FALCO_AUDIT_RULES_SOURCE.evaluate(plan)).toEqual([{ status: 'compliant', path: 's/sensors.falco.customRules' }]);
    expect(plan.falco?.rules.items.map((i) => (i as { name: string }).name)).toEqual(['shell']);
    expect(plan.falco?.auditRules.items.map((i) => (i as { name: string }).name)).toEqual(['exec into billing']);

    const notUnderTest = ['DS-DURABLE-100', 'DS-ROUTE-101'].map((id) => ({ id, reason: 'another layer, not under test here' }));
    const objects = Testing.synth(new DetectionStack(Testing.app(), 'eks', { ...props, suppressions: notUnderTest }));
    const config = parse(objects.find((o) => o.metadata.name === 'falco-k8saudit-config').data['falco.yaml']);
    expect(config.rules_files[1]).toBe('/etc/falco-k8saudit-rules/detection-stack-k8s-audit-rules.yaml');
    const rules = parse(objects.find((o) => o.metadata.name === 'falco-k8saudit-rules').data['detection-stack-k8s-audit-rules.yaml']);
    expect(rules.map((r: { rule: string }) => r.rule)).toEqual(['exec into billing']);
  });

  test('a source with no event source in the stack is refused at once', () => {
    expect(() => planStack(stack([rule('ct', 'ct.name = x', { source: 'aws_cloudtrail' })]), 's'))
      .toThrow(/DS-FALCO-008 at s\/sensors\.falco\.customRules\[0\]\.rule\.source: source 'aws_cloudtrail'/);
  });
});
