import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DetectionStack } from '../../lib';
import type { DetectionStackProps, FalcoCustomRule } from '../../lib';
import { teamRulesFiles } from '../../lib/falco/sensor/rules-files';
import { planStack } from '../../lib/stack/plan';

const rule = (name: string, owner: FalcoCustomRule['owner']): FalcoCustomRule => ({
  owner,
  rule: { kind: 'rule', name, desc: 'd', output: 'o', priority: 'NOTICE', condition: 'evt.type = execve and proc.name = x' },
});
const props = (falco: NonNullable<DetectionStackProps['sensors']>['falco']): DetectionStackProps => ({
  cluster: { name: 'c1', provider: 'eks', region: 'eu-west-1' },
  sensors: { falco },
  routing: {
    teams: ['payments', 'identity'].map((name) => ({
      name, namespaces: [name], receivers: { pagerDuty: [{ routingKey: { name: 'receivers', key: name }, minimumPriority: 'Warning' as const }] },
    })),
  },
  durable: { waived: { reason: 'rules ConfigMaps only in this test' } },
});

describe('one rules ConfigMap per owning team', () => {
  const usesMacro = (name: string, owner: string): FalcoCustomRule => ({ ...rule(name, owner), rule: { ...rule(name, owner).rule, condition: 'evt.type = execve and m' } });
  const falco = {
    customLists: [{ kind: 'list' as const, name: 'tools', items: ['x'] }],
    customMacros: [{ kind: 'macro' as const, name: 'm', condition: 'proc.name in (tools)' }],
    customRules: [usesMacro('P1', 'payments'), rule('I1', 'identity'), rule('P2', 'payments'), rule('U1', { unowned: 'a lab rule nobody answers' })],
    tuning: [{ rule: 'Terminal shell in container', owner: 'identity', reason: 'kubectl exec is our break-glass path', priority: 'WARNING' as const }],
  };

  test('one self-contained file per team in name order: the lists and macros its rules use, its rules, its tunings', () => {
    const files = teamRulesFiles(planStack(props(falco), 's').falco!);
    expect(files.map((f) => [f.fileName, f.team, f.items.map((i) => `${i.kind}:${'name' in i ? i.name : ''}`)])).toEqual([
      ['50-team-identity.yaml', 'identity', ['rule:I1', 'rule:Terminal shell in container']],
      ['50-team-payments.yaml', 'payments', ['list:tools', 'macro:m', 'rule:P1', 'rule:P2']],
      ['50-team-unowned.yaml', 'unowned', ['rule:U1']],
    ]);
  });

  test('a list or macro two teams use is in both files; one no rule uses stays in 10-shared.yaml (Falco warns about it there)', () => {
    const both = {
      ...falco,
      customLists: [...falco.customLists, { kind: 'list' as const, name: 'orphan', items: ['y'] }],
      customRules: [...falco.customRules, { ...rule('I2', 'identity'), rule: { ...rule('I2', 'identity').rule, condition: 'evt.type = execve and m' } }],
    };
    const files = teamRulesFiles(planStack(props(both), 's').falco!);
    expect(files.map((f) => [f.fileName, f.items.filter((i) => i.kind !== 'rule').map((i) => (i as { name: string }).name)])).toEqual([
      ['10-shared.yaml', ['orphan']],
      ['50-team-identity.yaml', ['tools', 'm']],
      ['50-team-payments.yaml', ['tools', 'm']],
      ['50-team-unowned.yaml', []],
    ]);
  });

  test('rendered as ConfigMaps labelled with their team, projected together into rules.d; the checksum covers each', () => {
    const chart = new DetectionStack(Testing.app(), 's', props(falco));
    const objects = Testing.synth(chart);
    const maps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('falco-rules-'));
    expect(maps.map((m) => [m.metadata.name, m.metadata.labels['detection-stack.io/owner'], Object.keys(m.data)])).toEqual([
      ['falco-rules-identity', 'identity', ['50-team-identity.yaml']],
      ['falco-rules-payments', 'payments', ['50-team-payments.yaml']],
      ['falco-rules-unowned', 'unowned', ['50-team-unowned.yaml']],
    ]);
    expect(parse(maps[1].data['50-team-payments.yaml']).map((r: { rule?: string; list?: string; macro?: string }) => r.rule ?? r.list ?? r.macro))
      .toEqual(['tools', 'm', 'P1', 'P2']);
    const pod = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'falco').spec.template.spec;
    expect(pod.volumes.find((v: { name: string }) => v.name === 'falco-rules')).toEqual({
      name: 'falco-rules',
      projected: { sources: maps.map((m) => ({ configMap: { name: m.metadata.name } })) },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'falco-rules', mountPath: '/etc/falco/rules.d', readOnly: true });

    const checksum = (p: DetectionStackProps) => Testing.synth(new DetectionStack(Testing.app(), 's', p))
      .find((o) => o.kind === 'DaemonSet').spec.template.metadata.annotations['checksum/config'];
    const moved = { ...falco, customRules: [usesMacro('P1', 'identity'), ...falco.customRules.slice(1)] };
    expect(checksum(props(moved))).not.toBe(checksum(props(falco)));
  });

  test('without custom rules, rules.d is an empty folder and there is no rules ConfigMap', () => {
    const objects = Testing.synth(new DetectionStack(Testing.app(), 's', props({})));
    expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('falco-rules'))).toEqual([]);
    const pod = objects.find((o) => o.kind === 'DaemonSet').spec.template.spec;
    expect(pod.volumes.find((v: { name: string }) => v.name === 'falco-rules')).toEqual({ name: 'falco-rules', emptyDir: { sizeLimit: '1Mi' } });
  });

  test('a team\'s change of another team\'s rule is refused: that team\'s file may load first', () => {
    const change: FalcoCustomRule = { owner: 'identity', rule: { kind: 'rule', name: 'P1', priority: 'ERROR', override: { priority: 'replace' } } };
    expect(() => new DetectionStack(Testing.app(), 's', props({ customRules: [rule('P1', 'payments'), change] })))
      .toThrow(/^DS-FALCO-018 at s\/sensors\.falco\.customRules\[rule 'P1'\]: a rule owned by 'identity' changes rule 'P1' of team 'payments'/);
    const own: FalcoCustomRule = { ...change, owner: 'payments' };
    expect(teamRulesFiles(planStack(props({ customRules: [rule('P1', 'payments'), own] }), 's').falco!).map((f) => f.fileName)).toEqual(['50-team-payments.yaml']);
  });
});
