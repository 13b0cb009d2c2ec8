import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { FALCO_CUSTOM_RULES_LOAD } from '../../lib/checks/ds-falco-102';
import { runValidateCommand } from '../../lib/cli/validate';
import type { FalcoCustomRule } from '../../lib/falco/sensor/props';
import { renderFalcoFiles } from '../../lib/falco/sensor/render';
import { planStack } from '../../lib/stack/plan';
import { customRulesStack, namedRule, SHELL } from '../helpers/check-fixtures';

describe('DS-FALCO-102 custom rules load as Falco would load them', () => {
  test('compliant: a rule with known fields', () => {
    expect(FALCO_CUSTOM_RULES_LOAD.evaluate(planStack(customRulesStack([namedRule('shell', SHELL)]), 's')))
      .toEqual([{ status: 'compliant', path: 's/sensors.falco.customRules' }]);
  });

  test('non-compliant: an unknown field, reported with the rendered file, line and column', () => {
    const outcomes = FALCO_CUSTOM_RULES_LOAD.evaluate(planStack(customRulesStack([namedRule('typo', 'evt.type = execve and proc.nmae = bash')]), 's'));
    expect(outcomes).toEqual([{
      status: 'non-compliant',
      path: "s/sensors.falco.customRules[rule 'typo']",
      message: expect.stringMatching(/^50-team-[a-z-]+\.yaml:\d+:\d+: \w+ .*proc\.nmae/),
    }]);
  });

  test('an undefined macro is an error without the default rules, and left to Falco when they load first', () => {
    const usesDefaultMacro = [namedRule('spawn', 'spawned_process and proc.name = bash')];
    expect(FALCO_CUSTOM_RULES_LOAD.evaluate(planStack(customRulesStack(usesDefaultMacro), 's'))[0])
      .toMatchObject({ status: 'non-compliant', message: expect.stringMatching(/COND_UNDEFINED_MACRO/) });
    const withDefaults = customRulesStack(usesDefaultMacro, { sensors: { falco: { customRules: usesDefaultMacro, loadDefaultRules: true } } });
    expect(FALCO_CUSTOM_RULES_LOAD.evaluate(planStack(withDefaults, 's'))).toEqual([{ status: 'compliant', path: 's/sensors.falco.customRules' }]);
  });

  test('a broken rule fails cdk8s synth with the check ID', () => {
    const app = new App({ outdir: Testing.app().outdir });
    new DetectionStack(app, 'bad', customRulesStack([namedRule('typo', 'evt.type = execve and proc.nmae = bash')]));
    expect(() => app.synth()).toThrow(/DS-FALCO-102/);
  });
});

describe('DS-FALCO-102 after Falco\'s default rules (loaded by default)', () => {
  const afterDefaults = (customRules: FalcoCustomRule[], falco: Record<string, unknown> = {}) =>
    planStack({ cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, sensors: { falco: { customRules, ...falco } } }, 's');
  const messages = (plan: ReturnType<typeof planStack>) => FALCO_CUSTOM_RULES_LOAD.evaluate(plan).map((o) => (o.status === 'non-compliant' ? o.message : o.status));

  test.each([
    ['spawned_process and container and proc.nmae in (apt, dpkg)', 'x', /COND_UNKNOWN_FIELD .*proc\.nmae/],
    ['spawned_process and fd.sport = abc', 'x', /COND_BAD_VALUE 'abc' is not a valid port .*for field fd\.sport/],
    ['spawned_proces and container', 'x', /COND_UNDEFINED_MACRO Undefined macro 'spawned_proces' .*Did you mean 'spawned_process'\?/],
    ['spawned_process', 'x %proc.nmae', /OUTPUT_UNKNOWN_FIELD .*%proc\.nmae/],
  ])('a rule on default macros is checked: %s / %s', (condition, output, expected) => {
    const found = messages(afterDefaults([namedRule('r', condition, { output })]));
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
    expect(messages(afterDefaults([namedRule('r', 'container and evt.type = execve')], { defaultRules: { file: defaults } }))[0])
      .toMatch(/COND_UNDEFINED_MACRO Undefined macro 'container'/);
    expect(FALCO_CUSTOM_RULES_LOAD.evaluate(afterDefaults([exception('proc.pname')], { defaultRules: { file: join(defaults, 'missing') } })))
      .toEqual([{ status: 'non-compliant', path: 's/sensors.falco.defaultRules.file', message: expect.stringMatching(/^cannot read .*missing: /) }]);
  });

  test('defaultRules without loading the default rules is refused', () => {
    expect(() => afterDefaults([], { loadDefaultRules: false, defaultRules: { file: 'x.yaml' } })).toThrow(/DS-FALCO-013 at s\/sensors\.falco\.defaultRules/);
  });

  test('the fix text works as written: validate --after falco on a saved copy of the rules file gives the same diagnostic', () => {
    const plan = afterDefaults([namedRule('r', 'spawned_process and fd.sport = abc')]);
    const [finding] = FALCO_CUSTOM_RULES_LOAD.evaluate(plan) as { message: string }[];
    expect(FALCO_CUSTOM_RULES_LOAD.fix).toContain('`detection-stack validate --after falco FILE`');
    // the team's rules ConfigMap carries the file as rendered from the plan
    const falco = plan.falco as NonNullable<typeof plan.falco>;
    const [key, where] = [finding.message.split(':')[0], finding.message.split(': ')[0].slice(finding.message.indexOf(':') + 1)];
    const file = renderFalcoFiles(falco).rulesFiles.find((f) => f.fileName === key);
    expect(file?.team).toBe('payments');
    const saved = join(mkdtempSync(join(tmpdir(), 'ds-fix-')), key);
    writeFileSync(saved, file!.content);
    let stdout = '';
    const code = runValidateCommand(['--after', 'falco', saved], { stdout: (t) => { stdout += t; }, stderr: () => undefined });
    expect(code).toBe(1);
    expect(stdout).toContain(`${saved}:${where}: error COND_BAD_VALUE 'abc' is not a valid port (digits only; Falco would look a name up in the node's /etc/services) for field fd.sport`);
    // without --after, the default macro is unknown
    stdout = '';
    runValidateCommand([saved], { stdout: (t) => { stdout += t; }, stderr: () => undefined });
    expect(stdout).toMatch(/COND_UNDEFINED_MACRO Undefined macro 'spawned_process'/);
  });
});
