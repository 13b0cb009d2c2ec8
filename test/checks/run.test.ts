import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';
import { runChecks, STACK_CHECKS } from '../../lib/checks';
import { DetectionStackError } from '../../lib/core/errors';
import { BASE } from '../helpers/check-fixtures';

/** What constructing the stack with these suppressions throws, as `<code> at <place>: <problem>`. */
function refusal(suppressions: { id: string; reason: string }[]): string {
  try {
    new DetectionStack(Testing.app(), 'prod', { ...BASE, suppressions });
  } catch (e) {
    if (e instanceof DetectionStackError) return `${e.code} at ${e.where}: ${e.problem}`;
    throw e;
  }
  throw new Error('the suppressions were accepted');
}

describe('suppressions are checked before any finding is silenced, naming the stack and the entry', () => {
  test('a suppression without a meaningful reason (DS-CHECK-001)', () => {
    expect(refusal([{ id: 'DS-ROUTE-102', reason: 'because I want to' }, { id: 'DS-ROUTE-100', reason: 'tbd' }]))
      .toBe('DS-CHECK-001 at prod/suppressions[1]: suppression of DS-ROUTE-100 has no meaningful reason');
  });

  test('a suppression of a check that does not exist, with the IDs that do (DS-CHECK-002)', () => {
    expect(refusal([{ id: 'DS-ROUTE-010', reason: 'a typo for DS-ROUTE-100, the chat threshold' }]))
      .toBe('DS-CHECK-002 at prod/suppressions[0]: unknown check ID \'DS-ROUTE-010\'');
    try {
      runChecks(STACK_CHECKS, undefined as never, [{ id: 'DS-ROUTE-010', reason: 'a typo for DS-ROUTE-100' }]);
    } catch (e) {
      expect((e as DetectionStackError).fix).toBe(`use one of: ${STACK_CHECKS.map((c) => c.id).sort().join(', ')}`);
      expect((e as DetectionStackError).where).toBe('suppressions[0]');
    }
    expect.assertions(3);
  });
});
