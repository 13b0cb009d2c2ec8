import { readFileSync } from 'fs';
import { corpusPath } from './corpora';
import { falcoRuleDetails, falcoValidate, scratchDir } from './falco-support';
import { planStack } from '../../lib';
import type { DetectionStackProps } from '../../lib';
import { parseCondition } from '../../lib/falco/language/parser';
import { readRuleItems } from '../../lib/falco/rules/loader';
import { renderCustomRulesYaml, renderFalcoFiles } from '../../lib/falco/sensor/render';

/**
 * Tuning of Falco's default rules, judged by real Falco 0.44.1: the override items the stack renders load after the
 * pinned default rules file (falcosecurity/rules falco_rules.yaml in the corpus) without an error or a warning, and
 * `falco -L` shows each change took effect on the rule (priority, enabled, exceptions, the appended condition, tags).
 */

const SHELL = 'Terminal shell in container';
const PACKET = 'Packet socket created in container';
const SENSITIVE = 'Read sensitive file untrusted';
const PTRACE = 'PTRACE attached to process';

const props: DetectionStackProps = {
  cluster: { name: 'c1', provider: 'eks', region: 'eu-west-1' },
  sensors: {
    falco: {
      tuning: [
        { rule: SHELL, owner: 'platform', reason: 'kubectl exec is our break-glass path', priority: 'WARNING', exceptNamespaces: ['debug-tools'] },
        { rule: PACKET, owner: 'network', reason: 'the CNI agents open packet sockets', disable: true },
        {
          rule: SENSITIVE,
          owner: 'security',
          reason: 'only the production namespaces matter here',
          onlyNamespaces: ['payments', 'checkout'],
          appendCondition: 'not proc.name in (vault-agent)',
        },
        {
          rule: PTRACE,
          owner: 'sre',
          reason: 'the profiler attaches to our own processes',
          exceptions: [{ name: 'profiler', fields: ['proc.name', 'container.image.repository'], comps: ['=', '='], values: [['parca-agent', 'ghcr.io/parca-dev/parca-agent']] }],
        },
      ],
    },
  },
  durable: { waived: { reason: 'conformance of the rules only' } },
};

describe('tuning of the default rules, loaded by real Falco 0.44.1 after the pinned default rules', () => {
  const scratch = scratchDir('ds-tuning-');
  afterAll(() => scratch.dispose());
  const defaults = corpusPath('falco-rules', 'falco_rules.yaml');
  const plan = planStack(props, 'stack');
  const tuned = scratch.write('rules.d/detection-stack-custom-rules.yaml', renderCustomRulesYaml(plan.falco!));

  test('falco -V: both files load, the tuning file with no error and no warning', async () => {
    const results = await falcoValidate([defaults, tuned]);
    const mine = results.find((r) => r.name === tuned)!;
    expect(mine).toEqual({ name: tuned, successful: true, errors: [], warnings: [], schemaWarnings: [] });
    expect(results.every((r) => r.successful)).toBe(true);
  });

  test('falco -L: each rule carries its change, the untouched ones are as before', async () => {
    const before = new Map((await falcoRuleDetails([defaults])).map((r) => [r.name, r]));
    const after = new Map((await falcoRuleDetails([defaults, tuned])).map((r) => [r.name, r]));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());

    const shell = after.get(SHELL)!;
    expect(before.get(SHELL)!.priority).toBe('Notice');
    expect(shell.priority).toBe('Warning');
    expect(shell.exceptionNames).toEqual(['detection_stack_tuning_0_namespaces']);
    expect(shell.tags).toEqual([...before.get(SHELL)!.tags, 'tuned-by:platform'].sort());

    expect(before.get(PACKET)!.enabled).toBe(true);
    expect(after.get(PACKET)!.enabled).toBe(false);

    // The appended condition sits inside the rule's top-level `and`: it narrows the rule.
    const sensitive = after.get(SENSITIVE)!.conditionCompiled;
    expect(sensitive.startsWith(before.get(SENSITIVE)!.conditionCompiled.slice(0, -1))).toBe(true);
    expect(sensitive.slice(before.get(SENSITIVE)!.conditionCompiled.length - 1)).toBe(' and not proc.name in (vault-agent) and k8s.ns.name in (payments, checkout))');

    expect(after.get(PTRACE)!.exceptionNames).toEqual([...before.get(PTRACE)!.exceptionNames, 'profiler']);

    const changed = [...after.values()].filter((r) => JSON.stringify(r) !== JSON.stringify(before.get(r.name))).map((r) => r.name).sort();
    expect(changed).toEqual([PACKET, PTRACE, SENSITIVE, SHELL].sort());
  });

  test('appending "and (...)" narrows every rule of the pinned default rules file: each condition is an and at its top', () => {
    const { items } = readRuleItems({ name: defaults, content: readFileSync(defaults, 'utf8') });
    const rules = items.filter((i) => i.kind === 'rule' && i.condition !== undefined);
    expect(rules.length).toBeGreaterThan(20);
    expect(rules.filter((r) => r.kind === 'rule' && parseCondition(r.condition!).kind !== 'and').map((r) => (r as { name: string }).name)).toEqual([]);
  });

  test('appending "and (...)" narrows every rule of the k8saudit ruleset too (k8sauditTuning): an and at its top, or one macro', () => {
    const file = corpusPath('falco-plugin-rules', 'k8s_audit_rules.yaml');
    const { items } = readRuleItems({ name: file, content: readFileSync(file, 'utf8') });
    const rules = items.flatMap((i) => (i.kind === 'rule' && i.condition !== undefined ? [{ name: i.name, kind: parseCondition(i.condition).kind }] : []));
    expect(rules.length).toBeGreaterThan(20);
    expect(rules.filter((r) => r.kind !== 'and')).toEqual([{ name: 'All K8s Audit Events', kind: 'macro' }]);
  });
});

describe('one rules file per owning team, loaded by real Falco 0.44.1 as rules_files names them', () => {
  const scratch = scratchDir('ds-team-rules-');
  afterAll(() => scratch.dispose());
  const defaults = corpusPath('falco-rules', 'falco_rules.yaml');
  const rule = (name: string, owner: string) => ({
    owner,
    rule: { kind: 'rule' as const, name, desc: 'd', output: `${name} %proc.name`, priority: 'NOTICE' as const, condition: 'spawned_process and proc.name in (team_tools)' },
  });
  const plan = planStack({
    ...props,
    sensors: {
      falco: {
        customLists: [{ kind: 'list', name: 'team_tools', items: ['nc'] }],
        customRules: [rule('Payments tool', 'payments'), rule('Identity tool', 'identity')],
        tuning: [{ rule: SHELL, owner: 'payments', reason: 'kubectl exec is our break-glass path', priority: 'WARNING' }],
      },
    },
  }, 'stack');
  const files = renderFalcoFiles(plan.falco!).rulesFiles;
  const rulesDir = `${scratch.dir}/rules.d`;
  for (const f of files) scratch.write(`rules.d/${f.fileName}`, f.content);

  test('falco -V: every team file loads after the default rules on its own, with no error and no warning', async () => {
    const results = await falcoValidate([defaults, ...files.map((f) => `${rulesDir}/${f.fileName}`)]);
    expect(results.map((r) => [r.name.split('/').pop(), r.successful, r.errors, r.warnings])).toEqual([
      ['falco_rules.yaml', true, [], expect.anything()],
      ['50-team-identity.yaml', true, [], []],
      ['50-team-payments.yaml', true, [], []],
    ]);
  });

  test('falco -r falco_rules.yaml -r rules.d: the default rules first, then the folder in file name order, the tuning applied', async () => {
    const listed = await falcoRuleDetails([defaults, rulesDir]);
    const names = listed.map((r) => r.name);
    expect(names.slice(-2)).toEqual(['Identity tool', 'Payments tool']);
    expect(files.map((f) => f.fileName)).toEqual(['50-team-identity.yaml', '50-team-payments.yaml']);
    expect(listed.find((r) => r.name === SHELL)!.priority).toBe('Warning');
    expect(listed.find((r) => r.name === 'Payments tool')!.tags).toEqual(['owner:payments']);
  });
});
