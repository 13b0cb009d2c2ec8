import { runChecks, STACK_CHECKS } from '../../lib/checks';
import { UNOWNED_ALERTS } from '../../lib/checks/ds-route-102';
import { planStack } from '../../lib/stack/plan';
import { BASE, slackAt } from '../helpers/check-fixtures';

describe('DS-ROUTE-102 alerts from unowned namespaces notify nobody (warning)', () => {
  test('compliant: unowned receivers are declared', () => {
    const routing = { ...slackAt('Critical'), unowned: { pagerDuty: [{ routingKey: { name: 'secops-pd', key: 'key' }, minimumPriority: 'Critical' as const }] } };
    expect(UNOWNED_ALERTS.evaluate(planStack({ ...BASE, routing }, 'stack'))).toEqual([{ status: 'compliant', path: 'stack/routing.unowned' }]);
  });
  test('non-compliant: teams but no unowned receivers, reported as a warning that does not fail synth', () => {
    const plan = planStack({ ...BASE, routing: slackAt('Critical') }, 'stack');
    expect(UNOWNED_ALERTS.evaluate(plan)).toEqual([{
      status: 'non-compliant',
      path: 'stack/routing.unowned',
      message: 'only the namespaces of payments are routed; alerts elsewhere (kube-system, hosts) only reach durable storage',
    }]);
    expect(runChecks(STACK_CHECKS, plan).findings).toContainEqual(expect.objectContaining({ id: 'DS-ROUTE-102', level: 'warning' }));
  });
});
