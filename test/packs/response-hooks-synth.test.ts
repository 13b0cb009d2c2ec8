import { Testing } from 'cdk8s';
import { DetectionStack } from '../../lib/cdk8s/detection-stack';

function stack(responseHooks: Record<string, string>) {
  const app = Testing.app();
  return new DetectionStack(app, 'hooks', {
    cluster: { name: 'prod', provider: 'oke', region: 'eu-frankfurt-1' },
    packs: { namespaces: ['billing'], defaultOwner: 'payments', responseHooks },
    routing: { teams: [{ name: 'payments', namespaces: ['billing'], receivers: { pagerDuty: [{ routingKey: { name: 'alert-receivers', key: 'pd' }, minimumPriority: 'Warning' }] } }] },
    durable: { waived: { reason: 'response hook synth test, no bucket' } },
  });
}

describe('a response hook on a lower-confidence rule fails synth', () => {
  test('GIVEN a hook on the high-confidence CRITICAL miner rule THEN synth passes and the rule carries the hook tag', () => {
    const chart = stack({ 'ds-crypto-miner-execution': 'kubernetes:terminate' });
    expect(chart.checks.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(() => Testing.synth(chart)).not.toThrow();
    const miner = chart.plan.falco!.rules.items.find((i) => i.kind === 'rule' && i.name === 'DS Crypto Miner Execution');
    expect(miner && miner.kind === 'rule' ? miner.tags : []).toContain('response:kubernetes:terminate');
  });

  test('GIVEN a hook on the medium-confidence shell rule THEN synth fails with DS-PACK-101', () => {
    const chart = stack({ 'ds-shell-in-product-container': 'kubernetes:terminate' });
    expect(chart.checks.findings.filter((f) => f.level === 'error').map((f) => f.id)).toEqual(['DS-PACK-101']);
    expect(() => Testing.synth(chart)).toThrow(/ERROR DS-PACK-101 at hooks\/packs\.responseHooks\.ds-shell-in-product-container: rule 'DS Shell In Product Container' carries response:kubernetes:terminate/);
  });
});
