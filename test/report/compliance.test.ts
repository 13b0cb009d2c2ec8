import { readFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { eksPlan, okePlan } from './stacks';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { planStack } from '../../lib';
import { COMPLIANCE_CONTROLS, complianceReport, EVIDENCE_TITLES } from '../../lib/report/compliance';
import { coverageReport } from '../../lib/report/coverage';
import { renderReportMarkdown } from '../../lib/report/markdown';
import { ATTACK_CONTAINERS_MATRIX, attackCoverage, tagCovers } from '../../lib/report/mitre';

describe('the compliance mapping (data)', () => {
  test('names exactly the controls the issue asks for, each with what it needs and the user\'s part', () => {
    expect(COMPLIANCE_CONTROLS.map((c) => `${c.framework} ${c.control}`)).toEqual([
      'PCI DSS 4.0 10.2', 'PCI DSS 4.0 10.5', 'PCI DSS 4.0 10.7', 'PCI DSS 4.0 11.5',
      'SOC 2 (2017 TSC) CC6.8', 'SOC 2 (2017 TSC) CC7.2', 'SOC 2 (2017 TSC) CC7.3',
      'ISO/IEC 27001:2022 A.8.15', 'ISO/IEC 27001:2022 A.8.16',
      'HIPAA Security Rule 164.312(b)',
      'NIST SP 800-53 Rev. 5 AU-2', 'NIST SP 800-53 Rev. 5 AU-9', 'NIST SP 800-53 Rev. 5 AU-11', 'NIST SP 800-53 Rev. 5 SI-4',
    ]);
    for (const c of COMPLIANCE_CONTROLS) {
      expect(c.needs.length).toBeGreaterThan(0);
      expect(new Set(c.needs).size).toBe(c.needs.length);
      expect(c.usersPart.length).toBeGreaterThan(20);
      for (const n of c.needs) expect(EVIDENCE_TITLES[n]).toBeDefined();
    }
  });

  test('each control needs exactly this evidence: a claim cannot lose or gain a part unnoticed', () => {
    expect(Object.fromEntries(COMPLIANCE_CONTROLS.map((c) => [c.control, c.needs]))).toEqual({
      '10.2': ['kubernetes-audit', 'runtime-detection', 'owned-investigation'],
      '10.5': ['durable-alerts', 'retention-immutability'],
      '10.7': ['stack-health', 'alert-routing'],
      '11.5': ['runtime-detection', 'file-change-rules', 'alert-routing'],
      'CC6.8': ['runtime-detection', 'process-rules', 'alert-routing'],
      'CC7.2': ['runtime-detection', 'kubernetes-audit', 'alert-routing', 'stack-health'],
      'CC7.3': ['owned-investigation', 'alert-routing', 'durable-alerts'],
      'A.8.15': ['durable-alerts', 'retention-immutability', 'kubernetes-audit', 'cloud-audit'],
      'A.8.16': ['runtime-detection', 'alert-routing', 'stack-health'],
      '164.312(b)': ['kubernetes-audit', 'runtime-detection', 'durable-alerts'],
      'AU-2': ['kubernetes-audit', 'cloud-audit', 'runtime-detection'],
      'AU-9': ['retention-immutability'],
      'AU-11': ['durable-alerts', 'retention-immutability'],
      'SI-4': ['runtime-detection', 'alert-routing', 'stack-health'],
    });
  });

  test('the Containers matrix lists each technique once per tactic, and identifiers are ATT&CK identifiers', () => {
    expect(ATTACK_CONTAINERS_MATRIX.map((t) => t.tactic)).toEqual([
      'Initial Access', 'Execution', 'Persistence', 'Privilege Escalation', 'Defense Evasion', 'Credential Access', 'Discovery', 'Lateral Movement', 'Impact',
    ]);
    for (const t of ATTACK_CONTAINERS_MATRIX) {
      expect(new Set(t.techniques.map((x) => x.id)).size).toBe(t.techniques.length);
      for (const x of t.techniques) expect(x.id).toMatch(/^T\d{4}(\.\d{3})?$/);
    }
    expect(tagCovers('T1552.007', 'T1552.007')).toBe(true);
    expect(tagCovers('T1078.001', 'T1078')).toBe(true);
    expect(tagCovers('T1552', 'T1552.007')).toBe(false);
    expect(tagCovers('T15521', 'T1552')).toBe(false);
  });
});

describe('compliance evidence of real stacks', () => {
  test('EKS with packs, Tetragon, k8saudit and team routing, no bucket and no monitoring: each row says what covers it and what is missing', () => {
    const plan = eksPlan();
    const rows = new Map(complianceReport(plan).map((r) => [`${r.control.framework} ${r.control.control}`, r]));
    const pci11 = rows.get('PCI DSS 4.0 11.5')!;
    expect(pci11.status).toBe('covered');
    expect(pci11.evidence.map((e) => [e.kind, e.from])).toEqual([['runtime-detection', 'manifests'], ['file-change-rules', 'manifests'], ['alert-routing', 'manifests']]);
    expect(pci11.evidence[0].by).toEqual(['DaemonSet falco/falco', 'DaemonSet falco/tetragon']);
    expect(pci11.evidence[2].by).toEqual(['Deployment falco/falcosidekick', 'team routes: platform-security, identity']);

    const pci105 = rows.get('PCI DSS 4.0 10.5')!;
    expect(pci105.status).toBe('none');
    expect(pci105.missing).toEqual([
      'every alert kept in a bucket, independent of the chat and SIEM outputs: set durable.bucket',
      'retention and immutability of the kept alerts: create the bucket with the Pulumi component (object lock / immutability with retention), or set both on your bucket',
    ]);
    const kube = rows.get('PCI DSS 4.0 10.2')!.evidence.find((e) => e.kind === 'kubernetes-audit')!;
    expect(kube).toEqual({ kind: 'kubernetes-audit', by: ['CloudWatch Logs /aws/eks/prod-eks/cluster (enabledClusterLogTypes: audit)', 'Deployment falco/falco-k8saudit (k8saudit-eks)'], from: 'pulumi' });
    expect(rows.get('SOC 2 (2017 TSC) CC7.2')!.status).toBe('partial');
    expect(rows.get('SOC 2 (2017 TSC) CC7.2')!.missing).toEqual([expect.stringMatching(/^the stack's own failures alerted on: set monitoring/)]);
  });

  test('without sensors detecting file changes or routing, 11.5 is partial and says what to add', () => {
    const plan = planStack({
      cluster: { name: 'c1', provider: 'oke', region: 'eu-frankfurt-1' },
      durable: { waived: { reason: 'compliance rows only in this test' } },
    }, 's');
    const row = complianceReport(plan).find((r) => r.control.control === '11.5')!;
    expect(row.status).toBe('partial');
    expect(row.missing).toEqual([
      expect.stringMatching(/^rules that alert on file changes: add rules on file changes/),
      'alerts routed to the teams that answer them: set routing.teams',
    ]);
  });

  test('REPORT.md has the compliance table and the ATT&CK matrix with the pack rules placed by their technique tags', () => {
    const plan = okePlan();
    const md = renderReportMarkdown(plan);
    expect(md).toContain('## Compliance evidence');
    expect(md).toContain('| PCI DSS 4.0 | 11.5 | intrusions and unexpected changes of critical files detected and responded to | partial |');
    const attack = attackCoverage(plan, coverageReport(plan));
    const cell = (id: string) => attack.cells.filter((c) => c.technique.id === id).flatMap((c) => c.by);
    // the runtime pack's crypto-miner rules are tagged T1496 (Resource Hijacking); the k8s_audit rules do not run on OKE
    expect(cell('T1496')).toEqual(['DS Crypto Miner Execution', 'DS Mining Pool Port Connection']);
    expect(cell('T1609')).toEqual(['DS Interactive Shell In Product Container']);
    expect(cell('T1098.006')).toEqual([]);
    expect(attack.outsideMatrix).toEqual(expect.arrayContaining(['T1059', 'T1105']));
    expect(md).toContain('| Impact | T1496 Resource Hijacking | DS Crypto Miner Execution, DS Mining Pool Port Connection |');
  });
});

describe('Falco\'s default rules in the ATT&CK coverage (tags from the generated facts of falco_rules.yaml)', () => {
  const RELEASE_AGENT = 'Detect release_agent File Container Escapes';
  const stack = (falco: Record<string, unknown>) => planStack({
    cluster: { name: 'c1', provider: 'oke', region: 'eu-frankfurt-1' },
    sensors: { falco },
    durable: { waived: { reason: 'ATT&CK rows only in this test' } },
  }, 's');
  const cell = (plan: ReturnType<typeof stack>, id: string) =>
    [...new Set(attackCoverage(plan, coverageReport(plan)).cells.filter((c) => c.technique.id === id).flatMap((c) => c.by))];

  test('the default rules the node loads count, named (Falco default), by their technique tags', () => {
    const plan = stack({});
    // falco_rules.yaml tags both rules T1611; Remove Bulk Data from Disk T1485; Clear Log Activities T1070
    expect(cell(plan, 'T1611')).toEqual(['Debugfs Launched in Privileged Container (Falco default)', `${RELEASE_AGENT} (Falco default)`]);
    expect(cell(plan, 'T1485')).toEqual(['Remove Bulk Data from Disk (Falco default)']);
    expect(cell(plan, 'T1552.001')).toEqual(['Search Private Keys or Passwords (Falco default)']);
    // T1552 (Find AWS Credentials) covers the parent only, never a sub-technique
    expect(cell(plan, 'T1552')).toEqual(['Find AWS Credentials (Falco default)', 'Search Private Keys or Passwords (Falco default)']);
    expect(cell(plan, 'T1552.007')).toEqual([]);
    expect(attackCoverage(plan, coverageReport(plan)).outsideMatrix).toEqual(expect.arrayContaining(['T1055.008', 'T1059', 'T1555', 'T1620']));
    expect(renderReportMarkdown(plan)).toContain(`| Privilege Escalation | T1611 Escape to Host | Debugfs Launched in Privileged Container (Falco default), ${RELEASE_AGENT} (Falco default) |`);
  });

  test('a default rule a tuning disables no longer counts; one it only changes still does', () => {
    const plan = stack({
      tuning: [
        { rule: RELEASE_AGENT, owner: 'platform', reason: 'our nodes run cgroup v2 only', disable: true },
        { rule: 'Debugfs Launched in Privileged Container', owner: 'platform', reason: 'debug pods are reviewed', priority: 'WARNING' },
      ],
    });
    expect(cell(plan, 'T1611')).toEqual(['Debugfs Launched in Privileged Container (Falco default)']);
  });

  test('with loadDefaultRules: false none counts', () => {
    const plan = stack({ loadDefaultRules: false });
    expect(cell(plan, 'T1611')).toEqual([]);
    expect(cell(plan, 'T1485')).toEqual([]);
  });
});

test('the README\'s example row is the one REPORT.md of examples/eks-teams prints', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const example = /`detection-stack report examples\/eks-teams` prints this row[^`]*`[^`]*`\):\n\n```md\n(.*)\n```/.exec(readme);
  expect(example).not.toBeNull();
  const report = renderReportMarkdown(eksTeamsStack(Testing.app()).plan);
  expect(report.split('\n')).toContain(example![1]);
});
