import { PACK_RESPONSE_HOOKS } from '../../lib/checks/ds-pack-101';
import { productDetectionPacks } from '../../lib/packs/build';
import type { DetectionPackProps } from '../../lib/packs/props';
import { planStack } from '../../lib/stack/plan';

function planWith(props: DetectionPackProps) {
  const packs = productDetectionPacks(props);
  return planStack({ cluster: { name: 'prod', provider: 'oke' }, sensors: { falco: { customRules: packs.falcoCustomRules } } }, 'stack');
}

const base: DetectionPackProps = { namespaces: ['billing'] };

describe('DS-PACK-101 response hooks only on high-confidence CRITICAL rules', () => {
  test('compliant: a hook on the high-confidence CRITICAL crypto-miner rule', () => {
    const outcomes = PACK_RESPONSE_HOOKS.evaluate(planWith({ ...base, responseHooks: { 'ds-crypto-miner-execution': 'kubernetes:terminate' } }));
    expect(outcomes).toEqual([{ status: 'compliant', path: 'stack/sensors.falco.customRules[0]' }]);
  });

  test('non-compliant: a hook on the medium-confidence WARNING shell rule names the rule and both reasons', () => {
    const outcomes = PACK_RESPONSE_HOOKS.evaluate(planWith({ ...base, responseHooks: { 'ds-shell-in-product-container': 'kubernetes:terminate' } }));
    expect(outcomes).toEqual([{
      status: 'non-compliant',
      path: 'stack/sensors.falco.customRules[5]',
      message: "rule 'DS Shell In Product Container' carries response:kubernetes:terminate but is not tagged confidence:high and has priority WARNING, below CRITICAL",
    }]);
  });

  test('non-compliant: high confidence is not enough below CRITICAL', () => {
    const outcomes = PACK_RESPONSE_HOOKS.evaluate(planWith({ ...base, responseHooks: { 'ds-package-manager-in-product-container': 'kubernetes:terminate' } }));
    expect(outcomes.map((o) => o.status)).toEqual(['non-compliant']);
    expect((outcomes[0] as { message: string }).message).toMatch(/has priority ERROR, below CRITICAL$/);
  });

  test('not applicable without any hook (hooks are only ever enabled by name)', () => {
    expect(PACK_RESPONSE_HOOKS.evaluate(planWith(base))).toEqual([{ status: 'not-applicable', path: 'stack/sensors.falco.customRules' }]);
    expect(productDetectionPacks(base).rules.some((r) => r.tags.some((t) => t.startsWith('response:')))).toBe(false);
  });

  test('is registered in STACK_CHECKS so it fails synth', async () => {
    const { STACK_CHECKS } = await import('../../lib/checks');
    expect(STACK_CHECKS).toContain(PACK_RESPONSE_HOOKS);
    expect(PACK_RESPONSE_HOOKS.level).toBe('error');
  });
});
