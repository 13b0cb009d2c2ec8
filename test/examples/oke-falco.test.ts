import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { okeFalcoStack, packageManagerInContainer, packs } from '../../examples/oke-falco/main';
import { schemaErrors } from '../helpers/k8s-schema';

describe('examples/oke-falco (the default stack)', () => {
  const chart = okeFalcoStack(Testing.app());
  const objects = Testing.synth(chart);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const byKind = (kind: string): any => objects.find((o) => o.kind === kind);

  test('snapshot of the synthesized manifests', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object validates against the upstream Kubernetes schemas', () => {
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('no guardrail error (synth would fail); the only Falco finding says the k8s_audit pack cannot run on OKE', () => {
    expect(chart.checks.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(chart.checks.findings.filter((f) => f.id.startsWith('DS-FALCO-'))).toEqual([{
      id: 'DS-FALCO-104',
      level: 'warning',
      path: 'oke-falco/packs',
      message: expect.stringMatching(/^9 k8s_audit pack rule\(s\) will not run \(DS Exec Through Admin Path, .*\): no k8saudit plugin runs on this Oracle Kubernetes Engine stack; to stop shipping them, disable them with packs\.disabledRules: \['ds-exec-through-admin-path', .*\]$/),
      fix: expect.stringMatching(/OCI Audit/),
    }]);
  });

  test('the runtime pack runs in the node sensor, owned, without Falco\'s unowned default rules', () => {
    const falcoYaml = parse(objects.find((o) => o.metadata.name === 'falco-config')!.data['falco.yaml']);
    expect(falcoYaml.rules_files).toEqual(['/etc/falco/rules.d']);
    const rules = parse(objects.find((o) => o.metadata.name === 'falco-rules-platform-security')!.data['50-team-platform-security.yaml']);
    const names = rules.map((r: { rule: string }) => r.rule);
    expect(packs.defaultOwner).toBe('platform-security');
    const packRules = chart.plan.packs!.rules;
    expect(names).toEqual([packageManagerInContainer.rule.name, ...packRules.filter((r) => r.source === 'syscall').map((r) => r.name)]);
    expect(names).toHaveLength(14);
    expect(rules.every((r: { source?: string }) => (r.source ?? 'syscall') === 'syscall')).toBe(true);
    expect(rules.find((r: { rule: string }) => r.rule === 'DS Package Manager In Product Container').enabled).toBe(false);
    expect(chart.plan.falco?.customRules.every((r) => r.owner === 'platform-security')).toBe(true);
    // The k8s_audit pack is kept in the plan (report, runbooks) but never loaded by the node sensor.
    expect(chart.plan.falco?.auditRules.items.filter((i) => i.kind === 'rule')).toHaveLength(9);
  });

  test('Falco runs least privileged with the pinned image on CRI-O', () => {
    const pod = byKind('DaemonSet').spec.template.spec;
    const falco = pod.containers[0];
    expect(falco.image).toMatch(/^docker\.io\/falcosecurity\/falco:0\.44\.1@sha256:[a-f0-9]{64}$/);
    expect(falco.securityContext.privileged).toBe(false);
    expect(falco.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE'] });
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    const falcoYaml = parse(objects.find((o) => o.metadata.name === 'falco-config')!.data['falco.yaml']);
    expect(falcoYaml.plugins[0].init_config.engines.cri.sockets).toEqual(['/var/run/crio/crio.sock']);
  });

  test('Falco sends alerts to Falcosidekick and keeps JSON on stdout for the durable shipper', () => {
    const falcoYaml = parse(objects.find((o) => o.metadata.name === 'falco-config')!.data['falco.yaml']);
    expect(falcoYaml.http_output).toMatchObject({ enabled: true, url: chart.plan.routing?.sidekick.url, insecure: false });
    expect(chart.plan.routing?.sidekick.url).toMatch(/^http:\/\/falcosidekick\.falco-routing\.svc/);
    expect(falcoYaml.json_output).toBe(true);
    expect(falcoYaml.stdout_output).toEqual({ enabled: true });
    expect(chart.plan.durable?.shipper).toBeDefined();
  });

  test('the package-manager rule is scoped to billing, checkout and identity, with every value quoted, and owned', () => {
    expect(packageManagerInContainer.owner).toBe('platform-security');
    expect(chart.plan.falco?.customRules[0]).toEqual(
      { name: 'Package manager run in a regulated container', owner: 'platform-security', priority: 'WARNING', source: 'syscall' },
    );
    const rules = parse(objects.find((o) => o.metadata.name === 'falco-rules-platform-security')!.data['50-team-platform-security.yaml']);
    expect(rules[0].rule).toBe('Package manager run in a regulated container');
    expect(rules[0].condition).toContain('k8s.ns.name in ("billing", "checkout", "identity")');
    expect(rules[0].condition).toMatch(/^evt\.type in \("execve", "execveat"\) and container\.id != "host" and proc\.name in \("apt", "apt-get", .*"dpkg", "yum", "dnf", .*"rpm", "apk", .*"pip", .*"npm"/);
  });
});
