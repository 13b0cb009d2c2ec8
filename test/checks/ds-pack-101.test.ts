import { PACK_RESPONSE_HOOKS } from '../../lib/checks/ds-pack-101';
import { productDetectionPacks } from '../../lib/packs/build';
import type { DetectionPackProps } from '../../lib/packs/props';
import { planStack } from '../../lib/stack/plan';

function planWith(props: DetectionPackProps) {
  return planStack({ cluster: { name: 'prod', provider: 'oke' }, packs: props }, 'stack');
}

const base: DetectionPackProps = { namespaces: ['billing'] };

describe('DS-PACK-101 response hooks only on high-confidence CRITICAL rules', () => {
  test('compliant: a hook on the high-confidence CRITICAL crypto-miner rule', () => {
    const outcomes = PACK_RESPONSE_HOOKS.evaluate(planWith({ ...base, responseHooks: { 'ds-crypto-miner-execution': 'kubernetes:terminate' } }));
    expect(outcomes).toEqual([{ status: 'compliant', path: 'stack/packs.responseHooks.ds-crypto-miner-execution' }]);
  });

  test('non-compliant: a hook on the medium-confidence WARNING shell rule names the rule and both reasons', () => {
    const outcomes = PACK_RESPONSE_HOOKS.evaluate(planWith({ ...base, responseHooks: { 'ds-shell-in-product-container': 'kubernetes:terminate' } }));
    expect(outcomes).toEqual([{
      status: 'non-compliant',
      path: 'stack/packs.responseHooks.ds-shell-in-product-container',
      message: "rule 'DS Shell In Product Container' carries response:kubernetes:terminate but is not tagged confidence:high and has priority WARNING, below CRITICAL",
    }]);
  });

  test('non-compliant: high confidence is not enough below CRITICAL', () => {
    const outcomes = PACK_RESPONSE_HOOKS.evaluate(planWith({ ...base, responseHooks: { 'ds-package-manager-in-product-container': 'kubernetes:terminate' } }));
    expect(outcomes.map((o) => o.status)).toEqual(['non-compliant']);
    expect((outcomes[0] as { message: string }).message).toMatch(/has priority ERROR, below CRITICAL$/);
  });

  test('a hand-written rule\'s response tag points at its customRules entry', () => {
    const [miner] = productDetectionPacks(base).falcoCustomRules.filter((r) => r.rule.name === 'DS Crypto Miner Execution');
    const own = { ...miner, rule: { ...miner.rule, name: 'Own miner rule', tags: [...(miner.rule.tags ?? []), 'response:kubernetes:terminate'] } };
    const plan = planStack({ cluster: { name: 'prod', provider: 'oke' }, sensors: { falco: { customRules: [own] } }, packs: base }, 'stack');
    expect(PACK_RESPONSE_HOOKS.evaluate(plan)).toEqual([{ status: 'compliant', path: 'stack/sensors.falco.customRules[0]' }]);
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
