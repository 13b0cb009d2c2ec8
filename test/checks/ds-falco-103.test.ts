import { FALCO_CUSTOM_RULES_WARNINGS } from '../../lib/checks/ds-falco-103';
import { planStack } from '../../lib/stack/plan';
import { customRulesStack, namedRule, SHELL } from '../helpers/check-fixtures';

describe('DS-FALCO-103 rules Falco would warn about', () => {
  test('compliant: restricted to an event type', () => {
    expect(FALCO_CUSTOM_RULES_WARNINGS.evaluate(planStack(customRulesStack([namedRule('shell', SHELL)]), 's'))[0].status).toBe('compliant');
  });
  test('non-compliant: no evt.type restriction (LOAD_NO_EVTTYPE)', () => {
    expect(FALCO_CUSTOM_RULES_WARNINGS.evaluate(planStack(customRulesStack([namedRule('any', 'proc.name = bash')]), 's')))
      .toEqual([{ status: 'non-compliant', path: "s/sensors.falco.customRules[rule 'any']", message: expect.stringMatching(/LOAD_NO_EVTTYPE/) }]);
  });
});
