/**
 * README sentences a new user acts on, checked against what the stack does: where the Secrets the stack references
 * must be created.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { planStack, requiredSecrets } from '../../lib/stack/plan';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');

describe('README: where to create the referenced Secrets', () => {
  test("routing credentials in the routing namespace, the shipper's in the stack namespace, as requiredSecrets lists them", () => {
    expect(README).toContain('Secrets in the namespace of the workload that reads them: the routing namespace (`falco-routing` by '
      + "default) for Falcosidekick's and Alertmanager's, the stack namespace (`falco`) for the shipper's");
    const plan = planStack({
      cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
      routing: {
        sidekick: { outputs: { slack: { webhookUrl: { name: 'chat', key: 'slack' } } } },
        teams: [{ name: 'payments', namespaces: ['billing'], receivers: { pagerDuty: [{ routingKey: { name: 'pd', key: 'key' }, minimumPriority: 'Warning' }] } }],
      },
      durable: { bucket: { name: 'detections-oke', oci: { objectStorageNamespace: 'tenancyns', accessKeyId: { name: 'keys', key: 'id' }, secretAccessKey: { name: 'keys', key: 'secret' } } } },
    }, 'prod');
    const byWorkload = Object.fromEntries(requiredSecrets(plan).map((s) => [s.workload, s.namespace]));
    expect(byWorkload).toEqual({ 'falcosidekick': 'falco-routing', 'alertmanager': 'falco-routing', 'alert-shipper': 'falco' });
  });
});
