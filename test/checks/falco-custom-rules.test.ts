import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { FALCO_AUDIT_RULES_SOURCE } from '../../lib/checks/falco-audit-rules-source';
import { FALCO_CUSTOM_RULES_LOAD } from '../../lib/checks/falco-custom-rules-load';
import { FALCO_CUSTOM_RULES_WARNINGS } from '../../lib/checks/falco-custom-rules-warnings';
import { runValidateCommand } from '../../lib/cli/validate';
import { renderRulesYaml } from '../../lib/falco/rules/emit';
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

describe('DS-FALCO-102 after Falco\'s default rules (loaded by default)', () => {
  const afterDefaults = (customRules: FalcoCustomRule[], falco: Record<string, unknown> = {}) =>
    planStack({ cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, sensors: { falco: { customRules, ...falco } } }, 's');
  const messages = (plan: ReturnType<typeof planStack>) => FALCO_CUSTOM_RULES_LOAD.evaluate(plan).map((o) => (o.status === 'non-compliant' ? o.message : o.status));

  test.each([
    ['spawned_process and container and proc.nmae in (apt, dpkg)', 'x', /COND_UNKNOWN_FIELD .*proc\.nmae/],
    ['spawned_process and fd.sport = abc', 'x', /COND_BAD_VALUE 'abc' is not a valid number for field fd\.sport/],
    ['spawned_proces and container', 'x', /COND_UNDEFINED_MACRO Undefined macro 'spawned_proces' .*Did you mean 'spawned_process'\?/],
    ['spawned_process', 'x %proc.nmae', /OUTPUT_UNKNOWN_FIELD .*%proc\.nmae/],
  ])('a rule on default macros is checked: %s / %s', (condition, output, expected) => {
    const found = messages(afterDefaults([rule('r', condition, { output })]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  test('sensors.falco.defaultRules: custom rules are checked after the file itself', () => {
    const defaults = join(mkdtempSync(join(tmpdir(), 'ds-defaults-')), 'falco_rules.yaml');
    writeFileSync(defaults, '- macro: spawned_process\n  condition: evt.type = execve\n'
      + '- rule: Shell\n  desc: d\n  condition: spawned_process and proc.name = bash\n  output: "sh %proc.name"\n  priority: WARNING\n');
    const exception = (field: string): FalcoCustomRule => ({
      owner: 'payments',
      rule: { kind: 'rule', name: 'Shell', exceptions: [{ name: 'ci', fields: [field], values: [['runner']] }], override: { exceptions: 'append' } },
    });
    expect(messages(afterDefaults([exception('proc.pname')], { defaultRules: { file: defaults } }))).toEqual(['compliant']);
    expect(messages(afterDefaults([exception('proc.pnmae')], { defaultRules: { file: defaults } }))[0]).toMatch(/RULES_EXCEPTION_UNKNOWN_FIELD 'proc\.pnmae'/);
    // a macro the real default file does not define is an error here, though the generated names have it
    expect(messages(afterDefaults([rule('r', 'container and evt.type = execve')], { defaultRules: { file: defaults } }))[0])
      .toMatch(/COND_UNDEFINED_MACRO Undefined macro 'container'/);
    expect(FALCO_CUSTOM_RULES_LOAD.evaluate(afterDefaults([exception('proc.pname')], { defaultRules: { file: join(defaults, 'missing') } })))
      .toEqual([{ status: 'non-compliant', path: 's/sensors.falco.defaultRules.file', message: expect.stringMatching(/^cannot read .*missing: /) }]);
  });

  test('defaultRules without loading the default rules is refused', () => {
    expect(() => afterDefaults([], { loadDefaultRules: false, defaultRules: { file: 'x.yaml' } })).toThrow(/DS-FALCO-013 at s\/sensors\.falco\.defaultRules/);
  });

  test('the fix text works as written: validate --after falco on a saved copy of the rules file gives the same diagnostic', () => {
    const plan = afterDefaults([rule('r', 'spawned_process and fd.sport = abc')]);
    const [finding] = FALCO_CUSTOM_RULES_LOAD.evaluate(plan) as { message: string }[];
    expect(FALCO_CUSTOM_RULES_LOAD.fix).toContain('`detection-stack validate --after falco FILE`');
    // the rules ConfigMap carries the file as rendered from the plan
    const falco = plan.falco as NonNullable<typeof plan.falco>;
    const [key, where] = [finding.message.split(':')[0], finding.message.split(': ')[0].slice(finding.message.indexOf(':') + 1)];
    expect(key).toBe(falco.rules.fileName);
    const saved = join(mkdtempSync(join(tmpdir(), 'ds-fix-')), key);
    writeFileSync(saved, renderRulesYaml(falco.rules.items));
    let stdout = '';
    const code = runValidateCommand(['--after', 'falco', saved], { stdout: (t) => { stdout += t; }, stderr: () => undefined });
    expect(code).toBe(1);
    expect(stdout).toContain(`${saved}:${where}: error COND_BAD_VALUE 'abc' is not a valid number for field fd.sport`);
    // without --after, the default macro is unknown
    stdout = '';
    runValidateCommand([saved], { stdout: (t) => { stdout += t; }, stderr: () => undefined });
    expect(stdout).toMatch(/COND_UNDEFINED_MACRO Undefined macro 'spawned_process'/);
  });
});
