import { eksPlan, okePlan } from './stacks';
import { coverageReport } from '../../lib/report/coverage';
import { renderReportMarkdown } from '../../lib/report/markdown';
import { planStack } from '../../lib/stack/plan';

describe('coverage report', () => {
  test('EKS with Falco packs, Tetragon and the k8saudit plugin: every scenario but cloud identity changes is detected', () => {
    const report = coverageReport(eksPlan());
    const row = (s: string) => report.matrix.find((r) => r.scenario === s)!.cells;
    expect(report.matrix.map((r) => r.scenario)).toEqual([
      'shell-access', 'file-system-changes', 'unexpected-processes', 'network-anomalies', 'privilege-escalation', 'kubernetes-activity', 'cloud-identity-changes',
    ]);
    expect(row('shell-access')['runtime-falco']).toEqual({
      level: 'detects',
      by: ['DS Interactive Shell In Product Container', 'DS Shell In Product Container', 'DS Outbound Connection From Silent Binary'],
    });
    expect(row('shell-access')['k8s-audit']).toEqual({ level: 'records', by: ['CloudWatch Logs /aws/eks/prod-eks/cluster (enabledClusterLogTypes: audit) (Pulumi path only)'] });
    expect(row('kubernetes-activity')['k8s-audit']).toEqual({ level: 'detects', by: ['upstream k8saudit rules (k8saudit-eks)'] });
    expect(row('cloud-identity-changes')['cloud-audit']).toEqual({ level: 'records', by: ['AWS CloudTrail (Pulumi path only)'] });
    expect(report.gaps).toEqual([
      'Cloud identity changes: no layer alerts on it (only recorded by Cloud audit, for investigation).',
      'Falco loads its default rules before the custom rules and stops at the first match (rule_matching: first): '
        + 'an event a default rule matches never reaches the pack rules, their owners or their runbooks. '
        + 'Set sensors.falco.loadDefaultRules: false, or ruleMatching: \'all\'.',
    ]);
    expect(report.layers.find((l) => l.layer === 'runtime-tetragon')!.summary).toBe(
      'Tetragon DaemonSet, 0 detections (crypto-miner, exec-from-temp-dir, shell-in-container, package-manager-exec, sensitive-file-write, privilege-change, ptrace, unexpected-outbound yielded to Falco by sensors.ownership)');
  });

  test('OKE: k8s_audit pack rules in the node Falco are named as not running, and Kubernetes activity is a gap', () => {
    const report = coverageReport(okePlan());
    const inactive = report.detections.filter((d) => d.inactiveBecause);
    expect(inactive.map((d) => d.name)).toHaveLength(9);
    expect(inactive.every((d) => d.layer === 'k8s-audit')).toBe(true);
    expect(report.gaps).toContain('Kubernetes activity: no layer alerts on it (only recorded by Kubernetes audit, for investigation).');
    expect(report.gaps).toContain('DS Privileged Pod Created is defined but does not run: there is no Falco k8saudit plugin for Oracle Kubernetes Engine: '
      + 'API-server events only reach OCI Audit (API-server events in the _Audit log group).');
    expect(report.gaps).toContain('Runtime: Tetragon: not deployed.');
  });

  test('no first-match warning when the pack rules are the only rules', () => {
    const report = coverageReport(eksPlan({ loadDefaultRules: false }));
    expect(report.gaps).toEqual(['Cloud identity changes: no layer alerts on it (only recorded by Cloud audit, for investigation).']);
  });

  test('every detection lists its owner, confidence and runbook', () => {
    const report = coverageReport(okePlan());
    const secret = report.detections.find((d) => d.name === 'DS Secret Read By Unexpected Identity')!;
    expect(secret).toMatchObject({ owner: 'identity', confidence: 'medium', priority: 'WARNING', runbook: 'ds-secret-read-unexpected-identity' });
  });

  test('REPORT.md: layers, Mermaid diagram, matrix, gaps and detections with runbook links', () => {
    const md = renderReportMarkdown(eksPlan());
    expect(md.split('\n')[0]).toBe('# Detection coverage: eks-stack');
    expect(md).toContain('```mermaid\nflowchart LR\n');
    expect(md).toContain('| scenario | Runtime: Falco | Runtime: Tetragon | Kubernetes audit | Cloud audit |');
    expect(md).toContain('| Cloud identity changes | - | - | - | records only: AWS CloudTrail (Pulumi path only) |');
    expect(md).toContain('[ds-write-to-sudoers](runbooks/ds-write-to-sudoers.md)');
    // the sections this module owns (layers and diagram also depend on the other layers' versions)
    expect(`## Coverage matrix${md.split('## Coverage matrix')[1]}`).toMatchSnapshot();
  });
});

describe('the report, corrected', () => {
  const custom = (name: string, condition: string, tags?: string[]) => ({
    owner: 'payments', rule: { kind: 'rule' as const, name, desc: 'd', condition, output: 'o', priority: 'WARNING' as const, ...(tags ? { tags } : {}) },
  });
  const plan = (provider: 'eks' | 'oke', customRules = [custom('Curl Out', 'outbound and proc.name = curl', ['mitre_persistence'])]) => planStack({
    cluster: { name: 'c1', provider, region: provider === 'eks' ? 'eu-west-1' : 'eu-frankfurt-1' },
    sensors: { falco: { customRules, loadDefaultRules: false } },
    durable: { waived: { reason: 'report tests draw the report only' } },
  }, 'fix');

  test('custom rules are placed by what their conditions watch, not by their MITRE tag; untagged rules too', () => {
    const report = coverageReport(plan('eks', [
      custom('Curl Out', 'outbound and proc.name = curl', ['mitre_persistence']),
      custom('Untagged Shell', 'spawned_process and proc.name in (bash, sh)'),
    ]));
    const cell = (s: string) => report.matrix.find((r) => r.scenario === s)!.cells['runtime-falco'];
    expect(cell('network-anomalies')).toEqual({ level: 'detects', by: ['Curl Out'] });
    expect(cell('file-system-changes')).toEqual({ level: 'none', by: [] });
    expect(cell('shell-access')).toEqual({ level: 'detects', by: ['Untagged Shell'] });
  });

  test('a running rule the report cannot place is named in the gaps', () => {
    const report = coverageReport(plan('eks', [custom('Odd', 'proc.name = odd')]));
    expect(report.gaps).toContain('Odd runs but is in no scenario of the matrix: its condition watches no event type, field or known macro '
      + 'the report maps to a scenario (process execution, file changes, network, privilege changes).');
  });

  test('each layer says who puts it in place: cloud audit and EKS control-plane logs come from the Pulumi path only', () => {
    const layers = coverageReport(plan('eks')).layers;
    const layer = (l: string) => layers.find((x) => x.layer === l)!;
    expect(layer('runtime-falco').from).toEqual(['manifests']);
    expect(layer('cloud-audit')).toEqual({
      layer: 'cloud-audit',
      present: true,
      from: ['pulumi'],
      summary: 'AWS CloudTrail kept 365 days, created by detection-stack/pulumi/aws: a cdk8s-only app does not create it',
    });
    expect(layer('k8s-audit').from).toEqual(['pulumi']);
    const md = renderReportMarkdown(plan('eks'));
    expect(md).toContain('| layer | put in place by | what |');
    expect(md).toContain('| Cloud audit | Pulumi path only | AWS CloudTrail kept 365 days, created by detection-stack/pulumi/aws: a cdk8s-only app does not create it |');
    expect(md).not.toMatch(/\| Cloud audit \| yes \|/);
  });

  test('on OKE, OCI Audit is the provider\'s and always on; the Pulumi path sets its retention and copies it', () => {
    const layers = coverageReport(plan('oke')).layers;
    expect(layers.find((x) => x.layer === 'cloud-audit')!.from).toEqual(['provider', 'pulumi']);
    expect(layers.find((x) => x.layer === 'k8s-audit')!.from).toEqual(['provider']);
    expect(renderReportMarkdown(plan('oke'))).toContain('| Cloud audit | the provider, always on + Pulumi path only | OCI Audit (always on); '
      + 'detection-stack/pulumi/oci sets its retention to 365 days and copies it to the durable bucket |');
  });
});

test('REPORT.md prints the durable outage budget from durable.buffer, in hours', () => {
  const plan = planStack({
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    durable: { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } }, buffer: { bytes: '1G', alertsPerSecond: 2 } },
  }, 'budget');
  const md = renderReportMarkdown(plan);
  expect(md).toContain('## Durable outage budget');
  expect(md).toContain('| 1G (1073741824 bytes) | 2 | 3072 | 48.5 hours |');
  expect(renderReportMarkdown(eksPlan())).not.toContain('Durable outage budget');
});
