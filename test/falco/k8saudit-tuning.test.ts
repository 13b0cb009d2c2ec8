import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { planStack, runChecks } from '../../lib';
import type { DetectionStackProps } from '../../lib';
import { STACK_CHECKS } from '../../lib/checks';
import type { FalcoRuleTuning } from '../../lib/falco/tuning';
import { renderReportMarkdown } from '../../lib/report';
import { coverageReport } from '../../lib/report/coverage';
import { attackCoverage } from '../../lib/report/mitre';

const EXEC = 'Attach/Exec Pod';
const stack = (k8sauditTuning: readonly FalcoRuleTuning[], withAuditFalco = true): DetectionStackProps => ({
  cluster: { name: 'c1', provider: 'eks', region: 'eu-west-1' },
  sensors: { falco: { k8sauditTuning } },
  ...(withAuditFalco ? { audit: { kubernetes: { falcoPlugin: {} } } } : {}),
  durable: { waived: { reason: 'k8saudit tuning tests need no bucket' } },
} as DetectionStackProps);

/** The audit Falco's own k8s_audit rules file as its ConfigMap carries it. */
function auditRulesFile(props: DetectionStackProps): unknown[] {
  const plan = planStack(props, 'stack');
  const rules = plan.k8sauditFalco!.workload.configs.find((c) => c.name === 'falco-k8saudit-rules')!;
  return parse(rules.data['detection-stack-k8s-audit-rules.yaml']) as unknown[];
}

describe('tuning of the k8saudit rules (sensors.falco.k8sauditTuning)', () => {
  test('each tuning is an override item in the audit Falco\'s rules file, namespaces on ka.target.namespace', () => {
    const items = auditRulesFile(stack([
      { rule: EXEC, owner: 'platform', reason: 'break-glass exec is reviewed elsewhere', exceptNamespaces: ['debug-tools'], priority: 'WARNING' },
      { rule: 'Create NodePort Service', owner: 'network', reason: 'NodePorts are blocked by the cloud firewall', disable: true },
      { rule: 'Create HostNetwork Pod', owner: 'platform', reason: 'only the product namespaces matter', onlyNamespaces: ['payments'] },
    ]));
    expect(items).toEqual([
      {
        rule: EXEC,
        priority: 'WARNING',
        exceptions: [{ name: 'detection_stack_tuning_0_namespaces', fields: 'ka.target.namespace', comps: 'in', values: ['debug-tools'] }],
        tags: ['tuned-by:platform'],
        override: { exceptions: 'append', priority: 'replace', tags: 'append' },
      },
      { rule: 'Create NodePort Service', enabled: false, tags: ['tuned-by:network'], override: { enabled: 'replace', tags: 'append' } },
      {
        rule: 'Create HostNetwork Pod',
        condition: 'and ka.target.namespace in ("payments")',
        tags: ['tuned-by:platform'],
        override: { condition: 'append', tags: 'append' },
      },
    ]);
  });

  test('the audit Falco loads the file after the k8saudit ruleset, and the node sensor\'s rules are unchanged', () => {
    const plan = planStack(stack([{ rule: EXEC, owner: 'platform', reason: 'break-glass exec is reviewed elsewhere', disable: true }]), 'stack');
    const falcoYaml = parse(plan.k8sauditFalco!.falcoYaml) as { rules_files: string[] };
    expect(falcoYaml.rules_files).toEqual([plan.k8sauditFalco!.plugin.rulesFile, '/etc/falco-k8saudit-rules/detection-stack-k8s-audit-rules.yaml']);
    expect(plan.falco!.rules.items.some((i) => i.kind === 'rule' && i.name === EXEC)).toBe(false);
    expect(plan.falco!.tuning).toEqual([]);
  });

  test('the load check loads the overrides after the k8saudit ruleset\'s names, with the k8s_audit fields', () => {
    const run = (appendCondition: string) => runChecks(STACK_CHECKS, planStack(stack([
      { rule: EXEC, owner: 'platform', reason: 'break-glass exec is reviewed elsewhere', appendCondition },
    ]), 'stack'), []).findings.filter((f) => f.id === 'DS-FALCO-102' || f.id === 'DS-FALCO-103');
    expect(run('not ka.user.name in (admin)')).toEqual([]);
    // a syscall field in a k8s_audit rule is an error of the load, so the check does see the audit file
    expect(run('not proc.name in (kubectl)').map((f) => f.id)).toEqual(['DS-FALCO-102']);
  });

  test('REPORT.md lists the tuning with its file, owner and reason; a disabled rule leaves the ATT&CK count', () => {
    const plan = planStack(stack([{ rule: EXEC, owner: 'platform', reason: 'break-glass exec is reviewed elsewhere', disable: true }]), 'stack');
    expect(renderReportMarkdown(plan)).toContain('| Attach/Exec Pod | k8s_audit_rules.yaml | disabled | platform | break-glass exec is reviewed elsewhere |');
    const names = attackCoverage(plan, coverageReport(plan)).cells.flatMap((c) => c.by);
    expect(names).not.toContain(`${EXEC} (Falco default)`);
  });

  test('a name of the node\'s default rules is refused with the nearest k8saudit rule', () => {
    expect(() => planStack(stack([{ rule: 'Attach/Exec pod', owner: 'platform', reason: 'break-glass exec is reviewed elsewhere', disable: true }]), 'stack'))
      .toThrow(/DS-FALCO-016.*stack\/sensors\.falco\.k8sauditTuning\[0\]\.rule.*'Attach\/Exec pod' is not a rule of the k8saudit ruleset \(k8s_audit_rules\.yaml\).*did you mean 'Attach\/Exec Pod'/s);
    expect(() => planStack(stack([{ rule: 'Terminal shell in container', owner: 'platform', reason: 'not a k8saudit rule at all', disable: true }]), 'stack'))
      .toThrow(/DS-FALCO-016.*'Terminal shell in container' is not a rule of the k8saudit ruleset \(k8s_audit_rules\.yaml\)/s);
  });

  test('without the audit Falco there is nothing to tune: DS-FALCO-031 with the fix', () => {
    expect(() => planStack(stack([{ rule: EXEC, owner: 'platform', reason: 'break-glass exec is reviewed elsewhere', disable: true }], false), 'stack'))
      .toThrow(/DS-FALCO-031.*sensors\.falco\.k8sauditTuning.*no audit Falco runs here.*audit\.kubernetes\.falcoPlugin/s);
  });

  test('the same owner and reason rules as the node tuning (DS-FALCO-017, DS-FALCO-023)', () => {
    expect(() => planStack(stack([{ rule: EXEC, owner: 'Platform Team', reason: 'break-glass exec is reviewed elsewhere', disable: true }]), 'stack'))
      .toThrow(/DS-FALCO-017.*k8sauditTuning\[0\]\.owner/s);
    expect(() => planStack(stack([{ rule: EXEC, owner: 'platform', reason: 'short', disable: true }]), 'stack'))
      .toThrow(/DS-FALCO-023.*k8sauditTuning\[0\]\.reason/s);
  });

  test('the README documents k8sauditTuning', () => {
    expect(readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain('k8sauditTuning');
  });
});
