import { planStack } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

const stack = (provider: 'oke' | 'eks' | 'aks', extra: Partial<DetectionStackProps> = {}): DetectionStackProps => ({
  cluster: { name: `prod-${provider}`, provider, region: { oke: 'eu-frankfurt-1', eks: 'eu-west-1', aks: 'westeurope' }[provider] },
  ...extra,
});

describe('planAudit', () => {
  test('EKS: CloudTrail on, api/audit/authenticator logs kept 365 days, no custom policy', () => {
    const audit = planStack(stack('eks'), 's').audit!;
    expect(audit.cloud).toEqual({ enabled: true, trail: 'AWS CloudTrail', retentionDays: 365 });
    expect(audit.kubernetes).toMatchObject({
      controlPlaneLogs: true, retentionDays: 365, customPolicySupported: false, eksLogTypes: ['api', 'audit', 'authenticator'], aksCategories: [],
    });
  });

  test('EKS: extra log types are added, the required ones cannot be dropped', () => {
    const audit = planStack(stack('eks', { audit: { kubernetes: { eksLogTypes: ['scheduler'] } } }), 's').audit!;
    expect(audit.kubernetes.eksLogTypes).toEqual(['api', 'audit', 'authenticator', 'scheduler']);
    expect(() => planStack(stack('eks', { audit: { kubernetes: { eksLogTypes: ['everything' as never] } } }), 's'))
      .toThrow(/DS-PROPS-012 at s\/audit\.kubernetes\.eksLogTypes\[0\]: .*'everything', not one of the allowed values\. Fix: use one of 'api', 'audit'/);
  });

  test('AKS: kube-audit and guard by default; kube-audit-admin by name', () => {
    expect(planStack(stack('aks'), 's').audit!.kubernetes.aksCategories).toEqual(['kube-audit', 'guard']);
    expect(planStack(stack('aks', { audit: { kubernetes: { aksCategory: 'kube-audit-admin' } } }), 's').audit!.kubernetes.aksCategories)
      .toEqual(['kube-audit-admin', 'guard']);
  });

  test('EKS: the log group retention must be one CloudWatch Logs accepts', () => {
    expect(planStack(stack('eks', { audit: { kubernetes: { retentionDays: 731 } } }), 's').audit!.kubernetes.retentionDays).toBe(731);
    expect(() => planStack(stack('eks', { audit: { kubernetes: { retentionDays: 100 } } }), 's'))
      .toThrow(/DS-AUDIT-006 at s\/audit.kubernetes.retentionDays: CloudWatch Logs cannot keep a log group 100 days. Fix: use one of 1, 3, 5/);
  });

  test('OKE: OCI Audit retention is 90 to 365 days', () => {
    expect(planStack(stack('oke'), 's').audit!.cloud.retentionDays).toBe(365);
    expect(() => planStack(stack('oke', { audit: { cloud: { retentionDays: 30 } } }), 's'))
      .toThrow(/DS-AUDIT-006 at s\/audit.cloud.retentionDays: retention of 30 days is out of range. Fix: give a whole number of days between 90 and 365/);
    expect(() => planStack(stack('oke', { audit: { cloud: { retentionDays: 400 } } }), 's')).toThrow(/between 90 and 365/);
  });

  test('turning control-plane logs off is explicit and leaves nothing enabled', () => {
    const audit = planStack(stack('eks', { audit: { kubernetes: { controlPlaneLogs: false } } }), 's').audit!;
    expect(audit.kubernetes.eksLogTypes).toEqual([]);
    expect(audit.kubernetes.enabledInstead).toMatch(/^nothing/);
  });
});

describe('k8saudit plugin plan', () => {
  test('EKS: k8saudit-eks polls the cluster log group in the cluster region, rules from the rulesfile artifact', () => {
    const plugin = planStack(stack('eks', { audit: { kubernetes: { falcoPlugin: {} } } }), 's').audit!.kubernetes.falcoPlugin!;
    expect(plugin).toMatchObject({
      name: 'k8saudit-eks',
      libraryPath: 'libk8saudit-eks.so',
      openParams: 'prod-eks',
      initConfig: { region: 'eu-west-1', shift: 10, polling_interval: 10, use_async: false, buffer_size: 500 },
      artifacts: [
        'ghcr.io/falcosecurity/plugins/plugin/k8saudit-eks:0.12',
        'ghcr.io/falcosecurity/plugins/plugin/json:0.7',
        'ghcr.io/falcosecurity/plugins/ruleset/k8saudit:0.18',
      ],
      rulesFile: '/etc/falco/k8s_audit_rules.yaml',
      replicas: 1,
      secretEnv: [],
    });
  });

  test('AKS: connection strings are ${ENV} references filled from a Secret, never literals', () => {
    const plugin = planStack(stack('aks', { audit: { kubernetes: { falcoPlugin: {} } } }), 's').audit!.kubernetes.falcoPlugin!;
    expect(plugin.initConfig).toMatchObject({
      event_hub_namespace_connection_string: '${K8SAUDIT_EVENTHUB_CONNECTION_STRING}',
      blob_storage_connection_string: '${K8SAUDIT_CHECKPOINT_CONNECTION_STRING}',
      event_hub_name: 'prod-aks-kube-audit',
    });
    expect(plugin.secretEnv.map((e) => e.secretName)).toEqual(['falco-k8saudit-aks', 'falco-k8saudit-aks']);
  });

  test('OKE has no k8saudit plugin', () => {
    expect(() => planStack(stack('oke', { audit: { kubernetes: { falcoPlugin: {} } } }), 's'))
      .toThrow(/DS-AUDIT-009 at s\/audit.kubernetes.falcoPlugin: there is no Falco k8saudit plugin for Oracle Kubernetes Engine/);
  });

  test('a bad polling interval is named', () => {
    expect(() => planStack(stack('eks', { audit: { kubernetes: { falcoPlugin: { pollingIntervalSeconds: 0 } } } }), 's'))
      .toThrow(/DS-AUDIT-011 at s\/audit.kubernetes.falcoPlugin.pollingIntervalSeconds/);
  });
});
