import * as fc from 'fast-check';
import { parse } from 'yaml';
import {
  and, CloudProvider, FalcoCustomRule, FalcoSensorProps, inList, planStack, printCondition, PROVIDER_PROFILES,
} from '../../lib';
import type { PlanContext, RuleItem } from '../../lib';
import { extendFalcoPlan, planFalco } from '../../lib/falco/sensor/plan';
import { renderFalcoFiles } from '../../lib/falco/sensor/render';

function ctx(provider: CloudProvider): PlanContext {
  return {
    path: 'stack',
    cluster: { name: 'c1', provider },
    profile: PROVIDER_PROFILES[provider],
    namespace: 'falco',
    labels: { 'app.kubernetes.io/part-of': 'detection-stack' },
  };
}

const RULE: FalcoCustomRule = {
  owner: 'payments',
  rule: {
    kind: 'rule',
    name: 'R1',
    desc: 'd',
    output: 'o',
    priority: 'NOTICE',
    condition: printCondition(and(inList('evt.type', ['execve']), inList('k8s.ns.name', ['billing']))),
  },
};

describe('planFalco (pure, no synthesis)', () => {
  test.each([
    ['oke', 'cri-o', '/var/run/crio/crio.sock', 'perfmon'],
    ['eks', 'containerd', '/run/containerd/containerd.sock', 'perfmon'],
    ['aks', 'containerd', '/run/containerd/containerd.sock', 'sys-admin'],
  ] as const)('on %s (%s) the container plugin reads %s and perf events need %s', (provider, engine, socket, access) => {
    const plan = planFalco({}, ctx(provider));
    expect(PROVIDER_PROFILES[provider].containerRuntime.engine).toBe(engine);
    expect(plan.containerRuntime).toEqual({ engine: 'cri', socketPath: socket, fromProfile: true });
    expect(plan.plugins).toHaveLength(1);
    expect(plan.plugins[0]).toMatchObject({ name: 'container', libraryPath: 'libcontainer.so' });
    expect(plan.hostMounts.find((m) => m.type === 'Socket')).toMatchObject({ hostPath: socket, mountPath: `/host${socket}`, readOnly: true });
    expect(plan.security.perfEventAccess).toBe(access);
  });

  test('every host mount is read-only and none is a kernel-module path', () => {
    const plan = planFalco({}, ctx('eks'));
    expect(plan.hostMounts.every((m) => m.readOnly)).toBe(true);
    expect(plan.hostMounts.map((m) => m.hostPath).filter((p) => /^\/(dev|boot|lib\/modules|usr)\b/.test(p))).toEqual([]);
  });

  test('the AKS escalation is explained; the least-privileged providers have none', () => {
    expect(planFalco({}, ctx('oke')).security.escalations).toEqual([]);
    const aks = planFalco({}, ctx('aks')).security;
    expect(aks.capabilities).toEqual(['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE', 'SYS_ADMIN']);
    expect(aks.escalations).toEqual([expect.stringMatching(/Azure Kubernetes Service default nodes set kernel\.perf_event_paranoid above 2.*charts#921/)]);
    expect(planFalco({ perfEventAccess: 'sys-admin' }, ctx('oke')).security.escalations)
      .toEqual(['CAP_SYS_ADMIN was requested (sensors.falco.perfEventAccess: sys-admin)']);
  });

  test('a user tag without digest is used as given; the default tag gets the pinned digest', () => {
    expect(planFalco({ image: { tag: '0.44.0' } }, ctx('oke')).image.reference).toBe('docker.io/falcosecurity/falco:0.44.0');
    expect(planFalco({}, ctx('oke')).image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(planFalco({ image: { repository: 'registry.example.com:5000/mirror/falco', tag: '0.44.1', digest: `sha256:${'a'.repeat(64)}` } }, ctx('oke')).image.reference)
      .toBe(`registry.example.com:5000/mirror/falco:0.44.1@sha256:${'a'.repeat(64)}`);
  });

  test('custom lists, macros and rules are written in that order, and each rule keeps its owner', () => {
    const unowned: FalcoCustomRule = { rule: { ...RULE.rule, name: 'R2' }, owner: { unowned: 'experimental rule under evaluation' } };
    const plan = planFalco({
      customRules: [RULE, unowned],
      customMacros: [{ kind: 'macro', name: 'm1', condition: 'proc.name = "x"' }],
      customLists: [{ kind: 'list', name: 'l1', items: ['a'] }],
    }, ctx('oke'));
    expect(plan.rules.items.map((i) => `${i.kind}:${'name' in i ? i.name : ''}`)).toEqual(['list:l1', 'macro:m1', 'rule:R1', 'rule:R2']);
    expect(plan.customRules).toEqual([
      { name: 'R1', owner: 'payments', priority: 'NOTICE', source: 'syscall' },
      { name: 'R2', owner: { unowned: 'experimental rule under evaluation' }, priority: 'NOTICE', source: 'syscall' },
    ]);
  });

  test('loadDefaultRules: false leaves only rules.d', () => {
    expect(planFalco({ loadDefaultRules: false }, ctx('oke')).rulesFiles).toEqual(['/etc/falco/rules.d']);
  });

  describe('custom rule validation', () => {
    test.each([
      ['a team name with spaces', { customRules: [{ ...RULE, owner: 'Payments Team' }] }, /DS-FALCO-003 at stack\/sensors\.falco\.customRules\[0\]\.owner: owner 'Payments Team'/],
      ['an unowned reason that is too short', { customRules: [{ ...RULE, owner: { unowned: 'tbd' } }] },
        /^DS-FALCO-003 at stack\/sensors\.falco\.customRules\[0\]\.owner\.unowned: rule 'R1' is declared unowned with a reason of 3 characters, too short/],
      ['an owner that is neither a team nor unowned', { customRules: [{ ...RULE, owner: { team: 'x' } as never }] }, /DS-FALCO-003 .*rule 'R1' has no owner/],
      ['a new rule without output', { customRules: [{ ...RULE, rule: { ...RULE.rule, output: undefined } }] }, /^DS-FALCO-028 at stack\/sensors\.falco\.customRules\[0\]\.rule: rule 'R1' lacks output/],
      ['a rule defined twice', { customRules: [RULE, RULE] }, /^DS-FALCO-029 at stack\/sensors\.falco\.customRules\[1\]\.rule\.name: rule 'R1' is defined twice/],
      ['a rule without name', { customRules: [{ ...RULE, rule: { ...RULE.rule, name: ' ' } }] }, /^DS-FALCO-004 at stack\/sensors\.falco\.customRules\[0\]\.rule\.name: the custom rule has no name/],
    ] as [string, FalcoSensorProps, RegExp][])('rejects %s', (_label, props, message) => {
      expect(() => planFalco(props, ctx('oke'))).toThrow(message);
    });

    test('an override of an earlier rule needs no desc or output', () => {
      const override: FalcoCustomRule = {
        owner: 'platform',
        rule: { kind: 'rule', name: 'Terminal shell in container', condition: 'and not k8s.ns.name = "ci"', override: { condition: 'append' } },
      };
      expect(planFalco({ customRules: [override] }, ctx('oke')).customRules).toEqual([
        { name: 'Terminal shell in container', owner: 'platform', priority: undefined, source: 'syscall' },
      ]);
    });
  });

  describe('every rule carries its owner as a tag', () => {
    const rules = (props: FalcoSensorProps) => planFalco(props, ctx('oke')).rules.items as RuleItem[];

    test('a hand-written rule gets owner:<team> after its own tags; an unowned one owner:unowned', () => {
      expect(rules({ customRules: [{ ...RULE, rule: { ...RULE.rule, tags: ['shell'] } }] })[0].tags).toEqual(['shell', `owner:${RULE.owner as string}`]);
      expect(rules({ customRules: [{ ...RULE, owner: { unowned: 'a lab cluster nobody is paged for' } }] })[0].tags).toEqual(['owner:unowned']);
    });

    test('the same owner tag written by hand is kept once; another team\'s is refused', () => {
      const own = `owner:${RULE.owner as string}`;
      expect(rules({ customRules: [{ ...RULE, rule: { ...RULE.rule, tags: [own] } }] })[0].tags).toEqual([own]);
      expect(() => planFalco({ customRules: [{ ...RULE, rule: { ...RULE.rule, tags: ['owner:someone-else'] } }] }, ctx('oke')))
        .toThrow(/^DS-FALCO-015 at stack\/sensors\.falco\.customRules\[0\]\.rule\.tags: rule 'R1' is tagged 'owner:someone-else' but its owner is/);
    });

    test('a rule that changes an earlier one keeps that rule\'s tags (no tags key is added)', () => {
      const override: FalcoCustomRule = {
        owner: 'platform',
        rule: { kind: 'rule', name: 'Terminal shell in container', condition: 'and not k8s.ns.name = "ci"', override: { condition: 'append' } },
      };
      expect(rules({ customRules: [override] })[0].tags).toBeUndefined();
    });
  });

  describe('extension by other layers', () => {
    test('GIVEN an http output URL THEN http_output is on and only the container plugin is loaded', () => {
      const plan = extendFalcoPlan(planFalco({}, ctx('eks')), { httpOutputUrl: 'http://falcosidekick.falco.svc:2801/' });
      expect(plan.httpOutput).toEqual({ url: 'http://falcosidekick.falco.svc:2801/' });
      expect(plan.plugins.map((p) => p.name)).toEqual(['container']);
      const falcoYaml = renderFalcoFiles(plan).falcoYaml;
      expect(falcoYaml).toContain('load_plugins:\n  - container\n');
      expect(falcoYaml).toMatch(/http_output:\n {2}enabled: true\n {2}url: http:\/\/falcosidekick\.falco\.svc:2801\/\n/);
      expect(falcoYaml).toMatch(/stdout_output:\n {2}enabled: true/);
    });

    test('extendFalcoPlan returns a new plan and leaves the original untouched', () => {
      const plan = planFalco({}, ctx('oke'));
      const extended = extendFalcoPlan(plan, { httpOutputUrl: 'https://sidekick.example/' });
      expect(plan.httpOutput).toBeUndefined();
      expect(extended.httpOutput).toEqual({ url: 'https://sidekick.example/' });
      expect(renderFalcoFiles(extended).checksum).not.toBe(renderFalcoFiles(plan).checksum);
    });

    test.each([
      ['a non-http URL', { httpOutputUrl: 'ftp://x' }, /DS-FALCO-009 at stack\/sensors\.falco\.httpOutput\.url: 'ftp:\/\/x' is not an http\(s\) URL/],
      ['credentials in the URL', { httpOutputUrl: 'https://user:pw@sidekick/' }, /DS-FALCO-033 at stack\/sensors\.falco\.httpOutput\.url: the http_output URL carries credentials, which would end up in a ConfigMap/],
    ] as const)('rejects %s', (_label, extras, message) => {
      expect(() => extendFalcoPlan(planFalco({}, ctx('aks')), extras)).toThrow(message);
    });
  });

  test('property: same props give the same checksum, and any namespace list reaches the rules file unchanged', () => {
    fc.assert(fc.property(fc.array(fc.string({ minLength: 1 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 4 }), (namespaces) => {
      const rule: FalcoCustomRule = {
        owner: 'payments',
        rule: { ...RULE.rule, condition: printCondition(and(inList('evt.type', ['execve']), inList('k8s.ns.name', namespaces))) },
      };
      const a = renderFalcoFiles(planFalco({ customRules: [rule] }, ctx('oke')));
      const b = renderFalcoFiles(planFalco({ customRules: [rule] }, ctx('oke')));
      expect(a.checksum).toBe(b.checksum);
      // The YAML file carries the condition exactly as the builder printed it.
      expect(parse(a.customRulesYaml)[0].condition).toBe(rule.rule.condition);
    }), { numRuns: 50 });
  });

  test('planStack wires the Falco plan from sensors.falco', () => {
    const plan = planStack({ cluster: { name: 'c1', provider: 'aks' }, sensors: { falco: { minimumPriority: 'WARNING' } } }, 'stack');
    expect(plan.falco?.minimumPriority).toBe('WARNING');
    expect(plan.falco?.security.perfEventAccess).toBe('sys-admin');
  });
});
