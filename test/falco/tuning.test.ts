import { parse } from 'yaml';
import { planStack, runChecks } from '../../lib';
import type { DetectionStackProps } from '../../lib';
import { STACK_CHECKS } from '../../lib/checks';
import { renderCustomRulesYaml } from '../../lib/falco/sensor/render';
import { FalcoRuleTuning, planTuning } from '../../lib/falco/tuning';
import { operatorDelivery } from '../../lib/operator';
import { coverageReport, renderReportMarkdown } from '../../lib/report';

const SHELL = 'Terminal shell in container';
const stack = (tuning: readonly FalcoRuleTuning[], extra: Partial<DetectionStackProps['sensors']> = {}): DetectionStackProps => ({
  cluster: { name: 'c1', provider: 'eks', region: 'eu-west-1' },
  sensors: { falco: { tuning, ...(extra?.falco ?? {}) } },
  durable: { waived: { reason: 'tuning tests need no bucket at all' } },
} as DetectionStackProps);

describe('tuning of the default rules', () => {
  test('each tuning is one override item after the custom rules, with its owner tag and only the keys it changes', () => {
    const plan = planStack(stack([
      { rule: SHELL, owner: 'platform', reason: 'kubectl exec is our break-glass path', priority: 'WARNING', exceptNamespaces: ['debug-tools'] },
      { rule: 'Packet socket created in container', owner: 'network', reason: 'the CNI agents open packet sockets', disable: true },
      {
        rule: 'Read sensitive file untrusted',
        owner: 'security',
        reason: 'only the production namespaces matter here',
        onlyNamespaces: ['payments', 'checkout'],
        appendCondition: 'not proc.name in (vault-agent)',
      },
    ]), 'stack');
    const rules = parse(renderCustomRulesYaml(plan.falco!));
    expect(rules).toEqual([
      {
        rule: SHELL,
        priority: 'WARNING',
        exceptions: [{ name: 'detection_stack_tuning_0_namespaces', fields: 'k8s.ns.name', comps: 'in', values: ['debug-tools'] }],
        tags: ['tuned-by:platform'],
        override: { exceptions: 'append', priority: 'replace', tags: 'append' },
      },
      { rule: 'Packet socket created in container', enabled: false, tags: ['tuned-by:network'], override: { enabled: 'replace', tags: 'append' } },
      {
        rule: 'Read sensitive file untrusted',
        condition: 'and (not proc.name in (vault-agent)) and k8s.ns.name in ("payments", "checkout")',
        tags: ['tuned-by:security'],
        override: { condition: 'append', tags: 'append' },
      },
    ]);
    expect(plan.falco!.tuning.map((t) => [t.rule, t.owner, t.changes])).toEqual([
      [SHELL, 'platform', ['except namespaces debug-tools', 'priority WARNING']],
      ['Packet socket created in container', 'network', ['disabled']],
      ['Read sensitive file untrusted', 'security', ['condition: and (not proc.name in (vault-agent))', 'only namespaces payments, checkout']],
    ]);
  });

  test('the items load after the default rule names without an error or warning (DS-FALCO-102/103 compliant)', () => {
    const plan = planStack(stack([{ rule: SHELL, owner: 'platform', reason: 'kubectl exec is our break-glass path', priority: 'WARNING' }]), 'stack');
    const run = runChecks(STACK_CHECKS, plan, []);
    expect(run.findings.filter((f) => f.id === 'DS-FALCO-102' || f.id === 'DS-FALCO-103')).toEqual([]);
  });

  test('a namespace value cannot change the appended condition: it is quoted', () => {
    const [t] = planTuning([{ rule: SHELL, owner: 'platform', reason: 'namespaces are validated', onlyNamespaces: ['a-b'] }], 'x', true);
    expect(t.item.condition).toBe('and k8s.ns.name in ("a-b")');
    expect(() => planTuning([{ rule: SHELL, owner: 'platform', reason: 'namespaces are validated', onlyNamespaces: ['a) or (1=1'] }], 'x', true))
      .toThrow(/^DS-FALCO-026 at x\[0\]\.onlyNamespaces\[0\]: 'a\) or \(1=1' is not a namespace name/);
  });

  test('an appended condition is a whole expression, parenthesised: a fragment that would reach outside is refused', () => {
    const [t] = planTuning([{ rule: SHELL, owner: 'platform', reason: 'a whole expression is kept', appendCondition: 'proc.name = a or proc.name = b' }], 'x', true);
    expect(t.item.condition).toBe('and (proc.name = a or proc.name = b)');
    expect(() => planTuning([{ rule: SHELL, owner: 'platform', reason: 'a fragment is refused here', appendCondition: 'proc.name = a) or (evt.num > 0' }], 'x', true))
      .toThrow(/^DS-FALCO-027 at x\[0\]\.appendCondition: the condition appended to 'Terminal shell in container' does not parse/);
  });

  test('a rule name that is not a default rule is refused, with the nearest name', () => {
    expect(() => planStack(stack([{ rule: 'terminal shell in containers', owner: 'platform', reason: 'a misspelt rule name', disable: true }]), 'stack'))
      .toThrow(/^DS-FALCO-016 at stack\/sensors\.falco\.tuning\[0\]\.rule: 'terminal shell in containers' is not a rule of Falco's default rules.*did you mean 'Terminal shell in container'\?/);
    expect(() => planTuning([{ rule: 'No such rule at all', owner: 'platform', reason: 'nothing near this name', disable: true }], 'x', true))
      .toThrow(/^DS-FALCO-016 at x\[0\]\.rule: .*Fix: give the exact name of a default rule/);
  });

  test('tuning without the default rules loaded is refused', () => {
    expect(() => planStack(stack([{ rule: SHELL, owner: 'platform', reason: 'nothing to tune here', disable: true }], { falco: { loadDefaultRules: false } }), 'stack'))
      .toThrow(/^DS-FALCO-031 at stack\/sensors\.falco\.tuning: tuning changes Falco's default rules, but loadDefaultRules is false/);
  });

  test.each([
    [{ owner: 'Platform Team' }, /^DS-FALCO-017 at x\[0\]\.owner: owner 'Platform Team'/],
    [{ reason: 'short' }, /^DS-FALCO-023 at x\[0\]\.reason: the reason for tuning 'Terminal shell in container' has 5 characters/],
    [{ disable: true, priority: 'DEBUG' }, /^DS-FALCO-024 at x\[0\]\.disable: .*disables the rule and also changes it/],
    [{}, /^DS-FALCO-025 at x\[0\]: the tuning of 'Terminal shell in container' changes nothing/],
  ])('an incomplete or contradictory tuning is refused: %j', (change, message) => {
    const t = { rule: SHELL, owner: 'platform', reason: 'a reason long enough', ...change } as FalcoRuleTuning;
    expect(() => planTuning([t], 'x', true)).toThrow(message);
  });

  test('an unknown key of a tuning is refused by the props schema', () => {
    expect(() => planStack(stack([{ rule: SHELL, owner: 'platform', reason: 'typo in a key', disabled: true } as unknown as FalcoRuleTuning]), 'stack'))
      .toThrow(/disabled/);
  });
});

describe('the report of the tuning', () => {
  test('REPORT.md lists each tuned default rule with its change, owner and reason; the tuning items are no detections', () => {
    const plan = planStack(stack([
      { rule: SHELL, owner: 'platform', reason: 'kubectl exec is our | break-glass path', priority: 'WARNING' },
      { rule: 'Packet socket created in container', owner: 'network', reason: 'the CNI agents open packet sockets', disable: true },
    ]), 'stack');
    const md = renderReportMarkdown(plan);
    const section = md.slice(md.indexOf('## Tuned default rules'));
    expect(section.split('\n').slice(0, 8)).toEqual([
      '## Tuned default rules',
      '',
      'Changes to Falco\'s default rules (`/etc/falco/falco_rules.yaml` of the image on the nodes, the k8saudit ruleset\'s'
        + ' `k8s_audit_rules.yaml` in the audit Falco), loaded after them as `override` items.',
      '',
      '| default rule | file | change | by | why |',
      '|---|---|---|---|---|',
      '| Terminal shell in container | falco_rules.yaml | priority WARNING | platform | kubectl exec is our \\| break-glass path |',
      '| Packet socket created in container | falco_rules.yaml | disabled | network | the CNI agents open packet sockets |',
    ]);
    expect(coverageReport(plan).detections.map((d) => d.name)).toEqual([]);
  });

  test('no section without tuning', () => {
    expect(renderReportMarkdown(planStack(stack([]), 'stack'))).not.toContain('Tuned default rules');
  });
});

test('the Falco Operator delivery puts a tuning in the Rulesfile of the team that made it', () => {
  const plan = planStack(stack([{ rule: SHELL, owner: 'platform', reason: 'kubectl exec is our break-glass path', priority: 'WARNING' }]), 'stack');
  const files = operatorDelivery(plan).objects.filter((o) => o.kind === 'Rulesfile' && o.spec.inlineRules);
  expect(files.map((f) => [f.metadata.name, f.metadata.labels['detection-stack.io/owner'], f.spec.inlineRules.map((r: { rule: string }) => r.rule)]))
    .toEqual([['rules-platform', 'platform', [SHELL]]]);
});
