import { runChecks, STACK_CHECKS } from '../../lib/checks';
import { CHAT_THRESHOLD } from '../../lib/checks/ds-route-100';
import { planStack } from '../../lib/stack/plan';
import { BASE, slackAt } from '../helpers/check-fixtures';

describe('DS-ROUTE-100 chat below the chat threshold', () => {
  test('compliant: Slack at Critical', () => {
    const plan = planStack({ ...BASE, routing: slackAt('Critical') }, 'stack');
    expect(CHAT_THRESHOLD.evaluate(plan)).toEqual([{ status: 'compliant', path: 'stack/routing.teams[0].receivers.slack[0]' }]);
  });
  test('non-compliant: Slack at Warning without an allowance', () => {
    const plan = planStack({ ...BASE, routing: slackAt('Warning') }, 'stack');
    expect(CHAT_THRESHOLD.evaluate(plan)).toEqual([{
      status: 'non-compliant', path: 'stack/routing.teams[0].receivers.slack[0]', message: 'slack gets Warning and above, below the chat threshold Critical',
    }]);
  });
  test('compliant: Slack at Warning with a named allowance, or a lower configured threshold', () => {
    expect(CHAT_THRESHOLD.evaluate(planStack({ ...BASE, routing: slackAt('Warning', 'the channel is the team\'s triage queue') }, 'stack'))[0].status).toBe('compliant');
    expect(CHAT_THRESHOLD.evaluate(planStack({ ...BASE, routing: { ...slackAt('Warning'), chatThreshold: 'Warning' } }, 'stack'))[0].status).toBe('compliant');
  });
  test('non-compliant: a Falcosidekick Teams output below the threshold', () => {
    const plan = planStack({ ...BASE, routing: { sidekick: { outputs: { teams: { webhookUrl: { name: 't', key: 'url' }, minimumPriority: 'Notice' } } } } }, 'stack');
    expect(CHAT_THRESHOLD.evaluate(plan)).toEqual([expect.objectContaining({ status: 'non-compliant', path: 'stack/routing.sidekick.outputs.teams' })]);
  });
});

describe('suppressing a routing guardrail needs a reason', () => {
  test('a suppression with a reason moves the finding to the record', () => {
    const plan = planStack({ ...BASE, routing: slackAt('Warning') }, 'stack');
    const report = runChecks(STACK_CHECKS, plan, [{ id: 'DS-ROUTE-100', reason: 'payments accepted Warning in Slack until Q3' }]);
    expect(report.findings.filter((f) => f.id === 'DS-ROUTE-100')).toEqual([]);
    expect(report.suppressed.map((s) => s.finding.id)).toEqual(['DS-ROUTE-100']);
    expect(() => runChecks(STACK_CHECKS, plan, [{ id: 'DS-ROUTE-100', reason: '' }])).toThrow(/DS-CHECK-001/);
  });
});
