import { AUDIT_CONTROL_PLANE_LOGS } from '../../lib/checks/ds-audit-102';
import { planStack } from '../../lib/stack/plan';

const eks = (audit = {}) => planStack({ cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, audit }, 'stack');

describe('DS-AUDIT-102 control-plane logs', () => {
  test('compliant: on by default', () => {
    expect(AUDIT_CONTROL_PLANE_LOGS.evaluate(eks())).toEqual([{ status: 'compliant', path: 'stack/audit.kubernetes.controlPlaneLogs' }]);
  });
  test('non-compliant: turned off (warning)', () => {
    expect(AUDIT_CONTROL_PLANE_LOGS.evaluate(eks({ kubernetes: { controlPlaneLogs: false } }))[0]).toMatchObject({
      status: 'non-compliant', path: 'stack/audit.kubernetes.controlPlaneLogs',
    });
    expect(AUDIT_CONTROL_PLANE_LOGS.level).toBe('warning');
  });
});
