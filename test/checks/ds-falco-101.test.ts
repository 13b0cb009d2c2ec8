import { runChecks } from '../../lib/checks';
import { FALCO_LEAST_PRIVILEGE } from '../../lib/checks/ds-falco-101';
import { planStack } from '../../lib/stack/plan';

describe('DS-FALCO-101 (least privilege guardrail)', () => {
  test('compliant: the least-privileged set (OKE)', () => {
    const plan = planStack({ cluster: { name: 'c1', provider: 'oke' } }, 'stack');
    expect(FALCO_LEAST_PRIVILEGE.evaluate(plan)).toEqual([{ status: 'compliant', path: 'stack/sensors.falco' }]);
  });

  test('non-compliant: CAP_SYS_ADMIN on AKS, saying why', () => {
    const plan = planStack({ cluster: { name: 'c1', provider: 'aks' } }, 'stack');
    expect(FALCO_LEAST_PRIVILEGE.evaluate(plan)).toEqual([{
      status: 'non-compliant',
      path: 'stack/sensors.falco',
      message: expect.stringMatching(/^CAP_SYS_ADMIN is added because Azure Kubernetes Service default nodes set kernel\.perf_event_paranoid above 2/),
    }]);
  });

  test('not applicable without Falco; a reasoned suppression silences it', () => {
    const plan = planStack({ cluster: { name: 'c1', provider: 'aks' } }, 'stack');
    expect(FALCO_LEAST_PRIVILEGE.evaluate({ ...plan, falco: undefined })).toEqual([{ status: 'not-applicable', path: 'stack/sensors.falco' }]);
    const report = runChecks([FALCO_LEAST_PRIVILEGE], plan, [{ id: 'DS-FALCO-101', reason: 'AKS Ubuntu nodes keep perf_event_paranoid=4; accepted by security review' }]);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((s) => s.finding.id)).toEqual(['DS-FALCO-101']);
  });
});
