import type { FalcoCustomRule } from '../../lib/falco/sensor/props';
import { productDetectionPacks } from '../../lib/packs/build';
import type { DetectionPackProps } from '../../lib/packs/props';
import { investigationSettingsOf } from '../../lib/report/investigation-settings';
import { renderReportMarkdown } from '../../lib/report/markdown';
import { tetragonRunbooks } from '../../lib/stack/packs';
import { planStack } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

const PRODUCT: DetectionPackProps = { namespaces: ['checkout', 'billing'], defaultOwner: 'payments', owners: { 'k8s-audit': 'identity' } };

const own: FalcoCustomRule = {
  owner: 'payments',
  rule: {
    kind: 'rule',
    name: 'Curl in billing',
    desc: 'curl ran in billing',
    priority: 'WARNING',
    condition: 'evt.type in (execve, execveat) and proc.name = curl and k8s.ns.name = billing',
    output: 'curl (proc.cmdline=%proc.cmdline)',
  },
};

const stack = (more: Partial<DetectionStackProps> = {}): DetectionStackProps => ({
  cluster: { name: 'prod', provider: 'eks', region: 'us-east-1' },
  sensors: { falco: { customRules: [own] } },
  audit: { kubernetes: { falcoPlugin: {} } },
  packs: PRODUCT,
  ...more,
});

describe('packs in the stack plan', () => {
  const plan = planStack(stack(), 's');
  const bound = productDetectionPacks(PRODUCT, 's/packs', 'falco');

  test('the plan carries the packs\' rules as bound to the product, with their owners, and their product namespaces', () => {
    expect(plan.packs?.path).toBe('s/packs');
    expect(plan.packs?.rules).toEqual(bound.rules);
    expect(plan.packs?.namespaces).toEqual(['billing', 'checkout']);
    expect(new Set(plan.packs?.rules.map((r) => `${r.pack}:${r.owner}`))).toEqual(new Set(['runtime:payments', 'k8s-audit:identity']));
    expect(investigationSettingsOf(plan).namespaces).toEqual(['billing', 'checkout']);
  });

  test('syscall rules run in the node Falco after the hand-written ones, k8s_audit rules in the k8saudit Falco', () => {
    const ruleNames = (items: readonly { kind: string; name?: string }[]) => items.filter((i) => i.kind === 'rule').map((i) => i.name);
    expect(ruleNames(plan.falco!.rules.items)).toEqual([own.rule.name, ...bound.falcoCustomRules.map((r) => r.rule.name)]);
    expect(ruleNames(plan.falco!.auditRules.items)).toEqual(bound.k8sAuditCustomRules.map((r) => r.rule.name));
    expect(plan.k8sauditFalco).toBeDefined();
    expect(plan.falco!.customRules.find((r) => r.name === 'DS Shell In Product Container')).toMatchObject({ owner: 'payments', source: 'syscall' });
  });

  test('a stack without packs has none in its plan', () => {
    expect(planStack(stack({ packs: undefined }), 's').packs).toBeUndefined();
  });

  test('the rules yielded to Tetragon by sensor ownership are not in the plan\'s packs', () => {
    const shell = bound.rules.filter((r) => r.pattern === 'shell-in-container').map((r) => r.name);
    expect(shell.length).toBeGreaterThan(0);
    const withTetragon = planStack(stack({
      sensors: {
        falco: {},
        tetragon: { seedPatterns: [], detections: bound.tetragonDetections.filter((d) => d.pattern === 'shell-in-container') },
        ownership: { detections: [{ pattern: 'shell-in-container', sensor: 'tetragon', alertsTo: ['payments'] }] },
      },
    }), 's');
    const names = withTetragon.packs!.rules.map((r) => r.name);
    expect(names).toEqual(bound.rules.map((r) => r.name).filter((n) => !shell.includes(n)));
    expect(withTetragon.falco!.customRules.map((r) => r.name)).toEqual(names);
  });

  test('excludeOwners leaves a team\'s rules out altogether', () => {
    const excluded = planStack(stack({ packs: { ...PRODUCT, excludeOwners: ['identity'] } }), 's');
    expect(excluded.packs!.rules.map((r) => r.name)).toEqual(bound.rules.filter((r) => r.owner !== 'identity').map((r) => r.name));
    expect(excluded.falco!.auditRules.items).toEqual([]);
  });

  test.each([
    ['packs under a Tetragon-only stack with rules that have no Tetragon form (DS-PACK-012)', stack({ sensors: { tetragon: { productNamespaces: ['billing'] } } }),
      /^DS-PACK-012 at s\/packs: the stack runs only Tetragon, and \d+ enabled pack rule\(s\) have no Tetragon form: ds-[a-z-]+(, ds-[a-z-]+)*\. Fix: enable sensors\.falco to run them, or disable them \(packs\.disabledRules: \['ds-/],
    ['a hand-written rule named like a pack rule (DS-FALCO-030, at the hand-written rule)',
      stack({ sensors: { falco: { customRules: [own, { ...own, rule: { ...own.rule, name: 'DS Crypto Miner Execution' } }] } } }),
      /^DS-FALCO-030 at s\/sensors\.falco\.customRules\[1\]\.rule\.name: rule 'DS Crypto Miner Execution' is also the name of the pack rule ds-crypto-miner-execution\. Fix: rename the rule, or disable the pack's rule \(packs\.disabledRules: \['ds-crypto-miner-execution'\]\)/],
    ['excluding a team that owns no pack rule (DS-PACK-011)', stack({ packs: { ...PRODUCT, excludeOwners: ['identity', 'payment'] } }),
      /^DS-PACK-011 at s\/packs\.excludeOwners\[1\]: 'payment' owns no rule of the packs, so excluding it leaves nothing out\. Fix: name a team that owns pack rules \(identity, payments\)/],
    ['a pack prop that does not exist, with the closest one', stack({ packs: { ...PRODUCT, disabledRule: [] } as DetectionPackProps }),
      /s\/packs.*'disabledRule' is not a prop of DetectionPackProps \(did you mean 'disabledRules'\?\)/],
    ['a bad product namespace, at the packs (DS-PACK-002)', stack({ packs: { namespaces: ['Billing'] } }), /^DS-PACK-002 at s\/packs\.namespaces\[0\]/],
  ])('refused: %s', (_what, props, message) => {
    expect(() => planStack(props, 's')).toThrow(message);
  });
});

describe('sensor ownership of the pack detections, decided in the stack plan', () => {
  const bound = productDetectionPacks(PRODUCT, 's/packs', 'falco');
  const withForm = bound.rules.filter((r) => r.enabled && r.pattern !== undefined);
  const withoutForm = bound.rules.filter((r) => r.enabled && r.pattern === undefined).map((r) => r.id);
  const tetragonOnly = (tetragon: DetectionStackProps['sensors']) => planStack(stack({
    sensors: tetragon, audit: {}, packs: { ...PRODUCT, disabledRules: withoutForm },
  }), 's');

  test('Falco alone runs every enabled pack rule, each once', () => {
    const plan = planStack(stack(), 's');
    expect(plan.packs!.sensors.map((p) => p.id)).toEqual(bound.rules.filter((r) => r.enabled).map((r) => r.id));
    expect(new Set(plan.packs!.sensors.map((p) => p.sensor))).toEqual(new Set(['falco']));
  });

  test('Tetragon alone runs every pack detection with a Tetragon form, from policies generated from the packs', () => {
    expect(withForm.length).toBeGreaterThan(1);
    const plan = tetragonOnly({ tetragon: {} });
    expect(plan.falco).toBeUndefined();
    const patterns = [...new Set(withForm.map((r) => r.pattern))];
    expect(plan.tetragon!.detections.map((d) => d.pattern).sort()).toEqual([...patterns].sort());
    expect(plan.packs!.sensors).toEqual(withForm.map((r) => ({ id: r.id, rule: r.name, sensor: 'tetragon', tetragonDetections: [r.pattern] })));
    const miner = plan.tetragon!.detections.find((d) => d.pattern === 'crypto-miner')!;
    expect(miner.owner).toBe(withForm.find((r) => r.pattern === 'crypto-miner')!.owner);
    expect(miner.policies.map((p) => p.metadata.namespace)).toEqual(['checkout', 'billing']);
  });

  /** Per pattern the Tetragon plan runs, the namespaces of its namespaced policies (a namespace twice is a double alert). */
  const watched = (plan: ReturnType<typeof planStack>, pattern: string): string[] => plan.tetragon!.detections
    .filter((d) => d.pattern === pattern).flatMap((d) => d.policies.map((p) => p.metadata.namespace ?? '*')).sort();

  test('under Tetragon alone, Tetragon\'s own detection of a pattern in every pack namespace runs it, and the pack adds no second one', () => {
    const plan = tetragonOnly({ tetragon: { productNamespaces: ['billing', 'checkout'], seedPatterns: ['shell-in-container'] } });
    expect(plan.tetragon!.detections.filter((d) => d.pattern === 'shell-in-container').map((d) => d.id)).toEqual(['shell-in-container']);
    expect(watched(plan, 'shell-in-container')).toEqual(['billing', 'checkout']);
  });

  test('under Tetragon alone, where Tetragon\'s own detection watches some of the pack namespaces, the pack\'s form watches the rest', () => {
    // The seed watches billing (productNamespaces); packs.namespaces also names checkout, which nothing else watches.
    const plan = tetragonOnly({ tetragon: { productNamespaces: ['billing', 'ledger'], seedPatterns: ['shell-in-container'] } });
    const shell = plan.tetragon!.detections.filter((d) => d.pattern === 'shell-in-container');
    expect(shell.map((d) => [d.id, d.policies.map((p) => p.metadata.namespace)])).toEqual([
      ['shell-in-container', ['billing', 'ledger']],
      ['shell-in-container-packs', ['checkout']],
    ]);
    const rule = withForm.find((r) => r.pattern === 'shell-in-container')!;
    expect(shell[1].owner).toBe(rule.owner);
    // The pack rule names both detections that run it, and both carry its runbook.
    expect(plan.packs!.sensors.find((p) => p.id === rule.id)!.tetragonDetections).toEqual(['shell-in-container', 'shell-in-container-packs']);
    expect(tetragonRunbooks(plan.packs).get('shell-in-container')).toContain(rule.id);
    expect(tetragonRunbooks(plan.packs).get('shell-in-container-packs')).toContain(rule.id);
    expect(shell[1].policies[0].metadata.labels).toMatchObject({ 'detection-stack.io/detection': 'shell-in-container-packs', 'detection-stack.io/pattern': 'shell-in-container' });
    // Every pattern a pack rule gives Tetragon is watched in every pack namespace, and in each once.
    for (const pattern of new Set(withForm.map((r) => r.pattern!))) {
      const namespaces = watched(plan, pattern).filter((ns) => ns !== 'ledger');
      expect([pattern, namespaces]).toEqual([pattern, ['billing', 'checkout']]);
    }
  });

  test('a hand-written cluster-wide TracingPolicy of a pattern watches every namespace; one narrowed by podSelector watches none whole', () => {
    const form = bound.tetragonDetections.find((d) => d.pattern === 'crypto-miner')!;
    const clusterWide = { ...form.policies[0], kind: 'TracingPolicy' as const, metadata: { name: 'miners' } };
    const everywhere = tetragonOnly({ tetragon: { detections: [{ ...form, id: 'miners', policies: [clusterWide] }] } });
    expect(everywhere.tetragon!.detections.filter((d) => d.pattern === 'crypto-miner').map((d) => d.id)).toEqual(['miners']);
    const narrowed = { ...form.policies[0], metadata: { name: 'miners', namespace: 'billing' }, spec: { ...form.policies[0].spec, podSelector: { matchLabels: { app: 'api' } } } };
    const some = tetragonOnly({ tetragon: { detections: [{ ...form, id: 'miners', policies: [narrowed] }] } });
    expect(some.tetragon!.detections.filter((d) => d.pattern === 'crypto-miner').map((d) => [d.id, d.policies.map((p) => p.metadata.namespace)])).toEqual([
      ['miners', ['billing']],
      ['crypto-miner-packs', ['checkout', 'billing']],
    ]);
  });

  test('with both sensors and a pattern given to Tetragon, the Falco rule left out is replaced in the pack namespaces Tetragon did not watch', () => {
    const plan = planStack(stack({
      sensors: {
        falco: {},
        tetragon: { productNamespaces: ['billing'], seedPatterns: ['shell-in-container'] },
        ownership: { detections: [{ pattern: 'shell-in-container', sensor: 'tetragon', alertsTo: ['payments'] }] },
      },
    }), 's');
    const shell = bound.rules.filter((r) => r.enabled && r.pattern === 'shell-in-container');
    expect(plan.falco!.customRules.map((r) => r.name)).not.toEqual(expect.arrayContaining([shell[0].name]));
    expect(watched(plan, 'shell-in-container')).toEqual(['billing', 'checkout']);
    expect(plan.packs!.sensors.filter((p) => p.sensor === 'tetragon').map((p) => p.id)).toEqual(shell.map((r) => r.id));
  });

  test('with both sensors, Falco runs a pack rule unless sensors.ownership gives its pattern to Tetragon', () => {
    const plan = planStack(stack({
      sensors: {
        falco: { customRules: [own] },
        tetragon: { seedPatterns: [] },
        ownership: { detections: [{ pattern: 'exec-from-temp-dir', sensor: 'tetragon', alertsTo: ['payments'] }] },
      },
    }), 's');
    const temp = bound.rules.filter((r) => r.enabled && r.pattern === 'exec-from-temp-dir');
    expect(temp.length).toBeGreaterThan(0);
    expect(plan.tetragon!.detections.map((d) => d.id)).toEqual(['exec-from-temp-dir']);
    expect(plan.falco!.customRules.map((r) => r.name)).not.toEqual(expect.arrayContaining([temp[0].name]));
    const bySensor = new Map(plan.packs!.sensors.map((p) => [p.id, p.sensor]));
    for (const r of bound.rules.filter((x) => x.enabled)) expect([r.id, bySensor.get(r.id)]).toEqual([r.id, r.pattern === 'exec-from-temp-dir' ? 'tetragon' : 'falco']);
    expect(plan.packs!.sensors).toHaveLength(bound.rules.filter((r) => r.enabled).length);
  });

  test('with both sensors and no declaration for a pattern, no pack policy is added to Tetragon', () => {
    const plan = planStack(stack({ sensors: { falco: {}, tetragon: { seedPatterns: [] }, ownership: {} } }), 's');
    expect(plan.tetragon!.detections).toEqual([]);
    expect(new Set(plan.packs!.sensors.map((p) => p.sensor))).toEqual(new Set(['falco']));
  });

  test('REPORT.md says which sensor runs each pack detection when Tetragon runs, and has no such table without Tetragon', () => {
    const md = renderReportMarkdown(tetragonOnly({ tetragon: {} }));
    const miner = withForm.find((r) => r.pattern === 'crypto-miner')!;
    expect(md).toContain('## Pack detections by sensor');
    expect(md).toContain(`| [${miner.id}](runbooks/${miner.id}.md) | ${miner.name} | Tetragon | crypto-miner |`);
    const both = renderReportMarkdown(planStack(stack({
      sensors: { falco: {}, tetragon: { seedPatterns: [] }, ownership: { detections: [{ pattern: 'crypto-miner', sensor: 'tetragon', alertsTo: ['payments'] }] } },
    }), 's'));
    expect(both).toContain(`| [${miner.id}](runbooks/${miner.id}.md) | ${miner.name} | Tetragon | crypto-miner |`);
    const other = bound.rules.find((r) => r.enabled && r.pattern !== 'crypto-miner')!;
    expect(both).toContain(`| [${other.id}](runbooks/${other.id}.md) | ${other.name} | Falco | - |`);
    expect(renderReportMarkdown(planStack(stack(), 's'))).not.toContain('Pack detections by sensor');
  });
});
