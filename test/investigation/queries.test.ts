import { investigationQueries, InvestigationSettings } from '../../lib/investigation/queries';

const base = { cluster: 'prod-1', namespaces: ['billing', 'checkout'] } as const;

function byQuestion(settings: InvestigationSettings) {
  return Object.fromEntries(investigationQueries(settings).map((q) => [q.question, q]));
}

describe('investigation queries per provider', () => {
  test('EKS: Logs Insights over the cluster log group and Athena over CloudTrail, with the stack names', () => {
    const q = byQuestion({ provider: 'eks', ...base, cloudTrailTable: 'security.cloudtrail_logs', lookbackHours: 6 });
    expect(Object.keys(q).sort()).toEqual(['cloud-identity-change', 'identity-activity', 'image-changed', 'privileged-change', 'redeployed', 'secret-or-binding-change']);
    expect(q.redeployed.language).toBe('CloudWatch Logs Insights');
    expect(q.redeployed.target).toBe('log group /aws/eks/prod-1/cluster (last 6 h)');
    expect(q.redeployed.text).toContain('objectRef.namespace in ["billing", "checkout"]');
    expect(q['cloud-identity-change'].language).toBe('Athena SQL');
    expect(q['cloud-identity-change'].text).toContain('FROM "security"."cloudtrail_logs"');
    expect(q['cloud-identity-change'].text).toContain("INTERVAL '6' HOUR");
    expect(q['cloud-identity-change'].text).toContain("strpos(requestparameters, 'prod-1') > 0");
  });

  test('AKS: KQL over the audit table the diagnostic category fills, and AzureActivity', () => {
    const q = byQuestion({ provider: 'aks', ...base, cluster: 'Prod_AKS', aksAuditTable: 'AKSAuditAdmin' });
    expect(q.redeployed.text.split('\n')[0]).toBe('AKSAuditAdmin');
    expect(q.redeployed.text).toContain('| where tolower(_ResourceId) endswith "/providers/microsoft.containerservice/managedclusters/prod_aks"');
    expect(q.redeployed.text).toContain('tostring(ObjectRef.namespace) in ("billing", "checkout")');
    expect(q['cloud-identity-change'].text.split('\n')[0]).toBe('AzureActivity');
    expect(q['cloud-identity-change'].text).toContain('_ResourceId has "Prod_AKS"');
  });

  test('OKE: OCI Logging search over the compartment _Audit log group', () => {
    const q = byQuestion({ provider: 'oke', ...base, ociCompartmentId: 'ocid1.compartment.oc1..aaaaexample' });
    expect(q.redeployed.language).toBe('OCI Logging search');
    expect(q.redeployed.text.split('\n')[0]).toBe('search "ocid1.compartment.oc1..aaaaexample/_Audit"');
    expect(q.redeployed.text).toContain("data.request.path = '*/namespaces/billing/*' or data.request.path = '*/namespaces/checkout/*'");
    expect(q['cloud-identity-change'].text).toContain("data.resourceName = 'prod-1'");
  });

  test('OKE without a compartment OCID keeps a placeholder the responder fills in', () => {
    const q = byQuestion({ provider: 'oke', ...base });
    expect(q.redeployed.text.split('\n')[0]).toBe('search "<compartment-ocid>/_Audit"');
  });

  test('bad settings are refused with the place named', () => {
    expect(() => investigationQueries({ provider: 'eks', ...base, lookbackHours: 0 })).toThrow(/DS-PACK-022 at investigation.lookbackHours/);
    expect(() => investigationQueries({ provider: 'eks', cluster: 'c', namespaces: ['Bad"ns'] })).toThrow(/DS-PACK-002 at investigation.namespaces\[0\]/);
    expect(() => investigationQueries({ provider: 'oke', ...base, ociCompartmentId: 'x" | delete' })).toThrow(/DS-PACK-021/);
  });
});
