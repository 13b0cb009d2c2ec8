import { runChecks, STACK_CHECKS } from '../../lib/checks';
import { DURABLE_DESTINATION } from '../../lib/checks/ds-durable-100';
import { planStack } from '../../lib/stack/plan';
import { BASE } from '../helpers/check-fixtures';

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
