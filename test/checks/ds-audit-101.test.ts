import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { AUDIT_MANAGED_CONTROL_PLANE } from '../../lib/checks/ds-audit-101';
import { planStack, StackPlan } from '../../lib/stack/plan';

const eks = (audit = {}) => planStack({ cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, audit }, 'stack');

describe('DS-AUDIT-101 managed control plane', () => {
  test('non-compliant (info) on a managed provider, saying what is enabled instead', () => {
    expect(AUDIT_MANAGED_CONTROL_PLANE.level).toBe('info');
    expect(AUDIT_MANAGED_CONTROL_PLANE.evaluate(eks())).toEqual([{
      status: 'non-compliant',
      path: 'stack/audit.kubernetes',
      message: 'Amazon Elastic Kubernetes Service accepts no custom audit.k8s.io Policy; enabled instead: control-plane log types api, audit, ' +
        'authenticator to CloudWatch Logs /aws/eks/<cluster>/cluster, created first with 365 days retention and KMS (Pulumi path)',
    }]);
  });

  test('compliant: nothing to report where the control plane takes a policy (not applicable)', () => {
    const plan = eks();
    const selfManaged: StackPlan = { ...plan, audit: { ...plan.audit!, kubernetes: { ...plan.audit!.kubernetes, customPolicySupported: true } } };
    expect(AUDIT_MANAGED_CONTROL_PLANE.evaluate(selfManaged)).toEqual([{ status: 'not-applicable', path: 'stack/audit.kubernetes' }]);
  });
});

describe('DS-AUDIT-101 at synth', () => {
  test('the DetectionStack chart reports the info finding for a managed control plane', () => {
    const chart = new DetectionStack(Testing.app(), 'aks', { cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' } });
    const finding = chart.checks.findings.find((f) => f.id === 'DS-AUDIT-101');
    expect(finding).toMatchObject({ level: 'info', path: 'aks/audit.kubernetes' });
    expect(finding?.message).toContain('enabled instead: diagnostic setting with categories kube-audit, guard');
  });
});
