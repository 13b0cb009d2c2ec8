import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { FALCO_AUDIT_RULES_SOURCE } from '../../lib/checks/ds-falco-104';
import { planStack } from '../../lib/stack/plan';
import { customRulesStack, namedRule, SHELL } from '../helpers/check-fixtures';

describe('DS-FALCO-104 k8s_audit custom rules run where the k8saudit plugin runs', () => {
  const auditRule = namedRule('exec into billing', 'ka.verb = create and ka.target.subresource = exec and ka.target.namespace = billing',
    { source: 'k8s_audit', output: 'exec (user=%ka.user.name)' });

  test('non-compliant: no k8saudit plugin (OKE has none)', () => {
    const plan = planStack({ cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' }, sensors: { falco: { customRules: [auditRule] } } }, 's');
    expect(FALCO_AUDIT_RULES_SOURCE.evaluate(plan)).toEqual([{
      status: 'non-compliant', path: 's/sensors.falco.customRules', message: expect.stringMatching(/1 k8s_audit rule\(s\) will not run \(exec into billing\)/),
    }]);
    expect(plan.falco?.rules.items).toEqual([]);
  });

  test('compliant: the EKS k8saudit plugin runs them, never the node sensor', () => {
    const props = customRulesStack([namedRule('shell', SHELL), auditRule], { audit: { kubernetes: { falcoPlugin: {} } } });
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

  test('non-compliant at packs, not customRules, when the k8s_audit rules come from the k8s-audit pack; the fix names their IDs', () => {
    const plan = planStack({
      cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
      sensors: { falco: { customRules: [auditRule] } },
      packs: { namespaces: ['billing'], defaultOwner: 'payments', packs: ['k8s-audit'] },
    }, 's');
    const packAudit = (plan.packs?.rules ?? []).filter((r) => r.source === 'k8s_audit');
    expect(packAudit.length).toBeGreaterThan(0);
    const outcomes = FALCO_AUDIT_RULES_SOURCE.evaluate(plan);
    expect(outcomes.map((o) => [o.status, o.path])).toEqual([
      ['non-compliant', 's/sensors.falco.customRules'],
      ['non-compliant', 's/packs'],
    ]);
    const [own, fromPacks] = outcomes as Array<{ message: string }>;
    expect(own.message).toMatch(/^1 k8s_audit rule\(s\) will not run \(exec into billing\)/);
    expect(fromPacks.message).toContain(`${packAudit.length} k8s_audit pack rule(s) will not run (${packAudit.map((r) => r.name).join(', ')})`);
    expect(fromPacks.message).toContain(`packs.disabledRules: [${packAudit.map((r) => `'${r.id}'`).join(', ')}]`);
    expect(fromPacks.message).not.toContain('exec into billing');
    expect(FALCO_AUDIT_RULES_SOURCE.fix).toContain('packs.disabledRules');
  });

  test('a source with no event source in the stack is refused at once', () => {
    expect(() => planStack(customRulesStack([namedRule('ct', 'ct.name = x', { source: 'aws_cloudtrail' })]), 's'))
      .toThrow(/DS-FALCO-008 at s\/sensors\.falco\.customRules\[0\]\.rule\.source: source 'aws_cloudtrail'/);
  });
});
