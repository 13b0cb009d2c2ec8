import { runChecks, STACK_CHECKS } from '../../lib/checks';
import { CHAT_THRESHOLD } from '../../lib/checks/chat-threshold';
import { DURABLE_DESTINATION } from '../../lib/checks/durable-destination';
import { RULE_OWNER } from '../../lib/checks/rule-owner';
import { UNOWNED_ALERTS } from '../../lib/checks/unowned-alerts';
import type { FalcoCustomRule } from '../../lib/falco/sensor/props';
import { planStack } from '../../lib/stack/plan';
import type { DetectionStackProps } from '../../lib/stack/props';

const DURABLE: DetectionStackProps['durable'] = { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } } };
const BASE: DetectionStackProps = { cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, durable: DURABLE };
const slackAt = (minimumPriority: 'Critical' | 'Warning', allow?: string): DetectionStackProps['routing'] => ({
  teams: [{
    name: 'payments',
    namespaces: ['billing'],
    receivers: {
      slack: [{ webhookUrl: { name: 'payments-slack', key: 'url' }, minimumPriority, ...(allow ? { allowBelowChatThreshold: { reason: allow } } : {}) }],
    },
  }],
});
const rule = (owner: FalcoCustomRule['owner']): FalcoCustomRule => ({
  owner,
  rule: {
    kind: 'rule',
    name: 'Shell in billing',
    desc: 'A shell ran in a billing container.',
    condition: 'evt.type = execve and proc.name = bash',
    output: 'shell (proc.cmdline=%proc.cmdline)',
    priority: 'WARNING',
  },
});

describe('DS-DURABLE-100 no durable destination', () => {
  test('compliant: a bucket', () => {
    expect(DURABLE_DESTINATION.evaluate(planStack(BASE, 'stack'))).toEqual([{ status: 'compliant', path: 'stack/durable' }]);
  });
  test('non-compliant: nothing declared, and it fails synth as an error', () => {
    const plan = planStack({ ...BASE, durable: undefined }, 'stack');
    expect(DURABLE_DESTINATION.evaluate(plan)).toEqual([{ status: 'non-compliant', path: 'stack/durable', message: expect.stringMatching(/no durable bucket/) }]);
    expect(runChecks(STACK_CHECKS, plan).findings).toContainEqual(expect.objectContaining({ id: 'DS-DURABLE-100', level: 'error', path: 'stack/durable' }));
  });
  test('an explicit waiver with a reason takes the stack out of scope', () => {
    const plan = planStack({ ...BASE, durable: { waived: { reason: 'ephemeral preview cluster' } } }, 'stack');
    expect(DURABLE_DESTINATION.evaluate(plan)).toEqual([{ status: 'not-applicable', path: 'stack/durable' }]);
  });
});

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

describe('DS-ROUTE-101 custom rules need an owning team', () => {
  test('compliant: owned by a declared team, or unowned with a reason', () => {
    const plan = planStack({
      ...BASE,
      sensors: { falco: { customRules: [rule('payments'), { ...rule({ unowned: 'kept for the audit trail only, nobody is paged' }), rule: { ...rule('x').rule, name: 'Other' } }] } },
      routing: slackAt('Critical'),
    }, 'stack');
    expect(RULE_OWNER.evaluate(plan)).toEqual([
      { status: 'compliant', path: 'stack/sensors.falco.customRules[0].owner' },
      { status: 'compliant', path: 'stack/sensors.falco.customRules[1].owner' },
    ]);
  });
  test('non-compliant: owned by a team routing does not declare', () => {
    const plan = planStack({ ...BASE, sensors: { falco: { customRules: [rule('checkout-team')] } }, routing: slackAt('Critical') }, 'stack');
    expect(RULE_OWNER.evaluate(plan)).toEqual([{
      status: 'non-compliant',
      path: 'stack/sensors.falco.customRules[0].owner',
      message: 'rule \'Shell in billing\' is owned by \'checkout-team\', which is not a team in routing.teams (payments)',
    }]);
  });
  test('not applicable without custom rules', () => {
    expect(RULE_OWNER.evaluate(planStack(BASE, 'stack'))).toEqual([{ status: 'not-applicable', path: 'stack/sensors.falco.customRules' }]);
  });
});

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

describe('suppressing a routing guardrail needs a reason', () => {
  test('a suppression with a reason moves the finding to the record', () => {
    const plan = planStack({ ...BASE, routing: slackAt('Warning') }, 'stack');
    const report = runChecks(STACK_CHECKS, plan, [{ id: 'DS-ROUTE-100', reason: 'payments accepted Warning in Slack until Q3' }]);
    expect(report.findings.filter((f) => f.id === 'DS-ROUTE-100')).toEqual([]);
    expect(report.suppressed.map((s) => s.finding.id)).toEqual(['DS-ROUTE-100']);
    expect(() => runChecks(STACK_CHECKS, plan, [{ id: 'DS-ROUTE-100', reason: '' }])).toThrow(/DS-CHECK-001/);
  });
});
