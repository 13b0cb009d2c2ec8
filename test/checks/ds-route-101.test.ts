import { RULE_OWNER } from '../../lib/checks/ds-route-101';
import { planStack } from '../../lib/stack/plan';
import { BASE, ownedRule, slackAt } from '../helpers/check-fixtures';

describe('DS-ROUTE-101 custom rules need an owning team', () => {
  test('compliant: owned by a declared team, or unowned with a reason', () => {
    const plan = planStack({
      ...BASE,
      sensors: { falco: { customRules: [ownedRule('payments'), { ...ownedRule({ unowned: 'kept for the audit trail only, nobody is paged' }), rule: { ...ownedRule('x').rule, name: 'Other' } }] } },
      routing: slackAt('Critical'),
    }, 'stack');
    expect(RULE_OWNER.evaluate(plan)).toEqual([
      { status: 'compliant', path: 'stack/sensors.falco.customRules[0].owner' },
      { status: 'compliant', path: 'stack/sensors.falco.customRules[1].owner' },
    ]);
  });
  test('non-compliant: owned by a team routing does not declare', () => {
    const plan = planStack({ ...BASE, sensors: { falco: { customRules: [ownedRule('checkout-team')] } }, routing: slackAt('Critical') }, 'stack');
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
