import { parseCondition } from '../../lib/falco/language/parser';
import { ALL_PACKS, buildPackRules, productDetectionPacks, renderPackRulesFile } from '../../lib/packs/build';
import { K8S_AUDIT_PACK } from '../../lib/packs/k8s-audit';
import { RUNTIME_PACK } from '../../lib/packs/runtime';
import { CONFIDENCES, THREAT_SCENARIOS } from '../../lib/packs/types';
import { validateTracingPolicy } from '../../lib/tetragon/validate';

const product = { namespaces: ['billing', 'checkout', 'identity'] };

describe('pack definitions', () => {
  test.each([...RUNTIME_PACK, ...K8S_AUDIT_PACK].map((t) => [t.id, t] as const))('%s has an owner-able ID, MITRE tags, a confidence and scenarios', (_id, t) => {
    expect(t.id).toMatch(/^ds-[a-z0-9-]+$/);
    expect(t.name).toMatch(/^DS [A-Z]/);
    expect(t.mitre.tactics.length).toBeGreaterThan(0);
    for (const tactic of t.mitre.tactics) expect(tactic).toMatch(/^mitre_[a-z_]+$/);
    expect(t.mitre.techniques.length).toBeGreaterThan(0);
    for (const technique of t.mitre.techniques) expect(technique).toMatch(/^T\d{4}(\.\d{3})?$/);
    expect(CONFIDENCES).toContain(t.confidence);
    for (const s of t.scenarios) expect(THREAT_SCENARIOS).toContain(s);
    expect(t.runbook.meaning.length).toBeGreaterThan(20);
  });

  test('rule IDs and names are unique across the packs', () => {
    const all = [...RUNTIME_PACK, ...K8S_AUDIT_PACK];
    expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
    expect(new Set(all.map((t) => t.name)).size).toBe(all.length);
  });
});

describe('binding the packs to a product', () => {
  test('every rule carries its owner, confidence, MITRE, pack and runbook tags; owners resolve rule > pack > default', () => {
    const rules = buildPackRules({ ...product, defaultOwner: 'secops', owners: { 'k8s-audit': 'platform', 'ds-write-to-sudoers': 'infra' } });
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('ds-write-to-sudoers')!.owner).toBe('infra');
    expect(byId.get('ds-cluster-admin-binding')!.owner).toBe('platform');
    expect(byId.get('ds-shell-in-product-container')!.owner).toBe('secops');
    expect(byId.get('ds-shell-in-product-container')!.tags).toEqual([
      'mitre_execution', 'T1059.004', 'pack:runtime', 'confidence:medium', 'owner:secops', 'runbook:ds-shell-in-product-container',
      'pattern:shell-in-container',
    ]);
    expect(ALL_PACKS.flatMap((p) => rules.filter((r) => r.pack === p))).toHaveLength(rules.length);
  });

  test('with runbookBaseUrl every alert links to its runbook', () => {
    const rules = buildPackRules({ ...product, runbookBaseUrl: 'https://git.example.com/platform/stack/-/blob/main/dist/prod/runbooks/' });
    const sudoers = rules.find((r) => r.id === 'ds-write-to-sudoers')!;
    expect(sudoers.output.endsWith(' runbook=https://git.example.com/platform/stack/-/blob/main/dist/prod/runbooks/ds-write-to-sudoers.md')).toBe(true);
    expect(sudoers.tags).toContain('runbook:ds-write-to-sudoers');
  });

  test('a hostile parameter value stays one quoted literal: the condition keeps its structure', () => {
    const hostile = 'evil") or (proc.name = "sh';
    const rules = buildPackRules({ ...product, allowedImages: [hostile] });
    const shell = rules.find((r) => r.id === 'ds-shell-in-product-container')!;
    const tree = parseCondition(shell.condition);
    expect(tree.kind).toBe('and');
    const last = (tree as unknown as { children: unknown[] }).children.at(-1) as { kind: string; child: { right: { items: { value: string }[] } } };
    expect(last.kind).toBe('not');
    expect(last.child.right.items.map((i) => i.value)).toEqual([hostile]);
  });

  test('disabling a rule keeps it in the file with enabled: false; exceptions are added to it', () => {
    const packs = productDetectionPacks({
      ...product,
      disabledRules: ['ds-mining-pool-port-connection'],
      exceptions: { 'ds-shell-in-product-container': [{ name: 'job_runner', fields: ['proc.pname', 'container.image.repository'], comps: ['=', '='], values: [['runner', 'registry.example.com/jobs/runner']] }] },
    });
    const mining = packs.falcoCustomRules.find((r) => r.rule.name === 'DS Mining Pool Port Connection')!;
    expect(mining.rule.enabled).toBe(false);
    const shell = packs.falcoCustomRules.find((r) => r.rule.name === 'DS Shell In Product Container')!;
    expect(shell.rule.exceptions).toEqual([{ name: 'job_runner', fields: ['proc.pname', 'container.image.repository'], comps: ['=', '='], values: [['runner', 'registry.example.com/jobs/runner']] }]);
    expect(renderPackRulesFile(packs.rules.filter((r) => r.pack === 'runtime'), { 'ds-shell-in-product-container': shell.rule.exceptions! })).toContain('name: job_runner');
  });

  test('syscall and k8s_audit rules are handed out separately, each with its owner', () => {
    const packs = productDetectionPacks(product);
    expect(packs.falcoCustomRules.every((r) => (r.rule.source ?? 'syscall') === 'syscall')).toBe(true);
    expect(packs.k8sAuditCustomRules.map((r) => r.rule.source)).toEqual(Array(9).fill('k8s_audit'));
    expect(packs.falcoCustomRules.every((r) => r.owner === 'security')).toBe(true);
  });

  test('the Tetragon detections are the same patterns (seed policies and the packs\' exec patterns), owned like the Falco rule, and valid', () => {
    const packs = productDetectionPacks({ ...product, owners: { 'ds-ptrace-attach-in-container': 'runtime-team' } });
    expect(packs.falcoPatterns).toEqual(['crypto-miner', 'exec-from-temp-dir', 'shell-in-container', 'package-manager-exec', 'sensitive-file-write', 'privilege-change', 'ptrace', 'unexpected-outbound']);
    expect(packs.tetragonDetections.map((d) => d.pattern)).toEqual(packs.falcoPatterns);
    const ptrace = packs.tetragonDetections.find((d) => d.pattern === 'ptrace')!;
    expect(ptrace.owner).toBe('runtime-team');
    expect(ptrace.policies.map((p) => p.metadata.namespace)).toEqual(['billing', 'checkout', 'identity']);
    for (const d of packs.tetragonDetections) for (const p of d.policies) expect(validateTracingPolicy(p)).toEqual([]);
    const miner = packs.tetragonDetections.find((d) => d.pattern === 'crypto-miner')!;
    expect(miner.policies[0].spec.kprobes![0]).toMatchObject({
      call: 'security_bprm_check',
      selectors: [{ matchArgs: [{ index: 0, operator: 'Postfix', values: expect.arrayContaining(['/xmrig', '/minerd']) }] }],
    });
    expect(miner.policies[0].spec.options).toEqual([{ name: 'policy-mode', value: 'monitor' }]);
  });
});

describe('bad parameters fail at once, naming the prop', () => {
  test.each([
    [{ namespaces: [] }, /DS-PACK-001 at packs.namespaces: no product namespace is given/],
    [{ namespaces: ['Billing'] }, /DS-PACK-002 at packs.namespaces\[0\]: 'Billing' is not a valid namespace name/],
    [{ ...product, owners: { 'ds-no-such-rule': 'x' } }, /DS-PACK-003 at packs.owners.ds-no-such-rule: unknown rule ID or pack/],
    [{ ...product, disabledRules: ['nope'] }, /DS-PACK-003 at packs.disabledRules\[0\].nope: unknown rule ID 'nope'/],
    [{ ...product, allowedImages: [''] }, /DS-PACK-004 at packs.allowedImages\[0\]/],
    [{ ...product, networkSilentBinaries: [] }, /DS-PACK-005 at packs.networkSilentBinaries/],
    [{ ...product, infraNamespaces: ['billing'] }, /DS-PACK-006 at packs.infraNamespaces: 'billing' is both a product and an infrastructure namespace/],
    [{ ...product, defaultOwner: 'Team A' }, /DS-PACK-007 at packs.defaultOwner: 'Team A' is not a valid team name/],
    [{ ...product, responseHooks: { 'ds-crypto-miner-execution': 'kill everything' } }, /DS-PACK-008 at packs.responseHooks.ds-crypto-miner-execution/],
    [{ ...product, allowedBinaries: ['a\u0000b'] }, /DS-PACK-004 at packs.allowedBinaries\[0\]/],
    [{ ...product, runbookBaseUrl: 'https://x.example.com/%proc.name' }, /DS-PACK-010 at packs.runbookBaseUrl/],
    [{ ...product, runbookBaseUrl: 'http://x.example.com/' }, /DS-PACK-010 at packs.runbookBaseUrl/],
  ])('%j', (props, message) => {
    expect(() => buildPackRules(props as never)).toThrow(message);
  });
});
