import type { RoutingProps } from '../../lib/routing/props';
import { EKS, refusalOf } from '../helpers/refusal';

const routing = (r: RoutingProps) => refusalOf({ ...EKS, routing: r });

describe('routing refuses a destination without its addresses (DS-ROUTE-011, DS-ROUTE-024), naming the prop', () => {
  test('a Falcosidekick SMTP output with no recipient', () => {
    expect(routing({ sidekick: { outputs: { smtp: { hostPort: 'smtp.example.com:587', from: 'falco@example.com', to: [] } } } } as never))
      .toBe('DS-ROUTE-011 at stack/routing.sidekick.outputs.smtp.to: no recipient');
  });
  test('a Falcosidekick Kafka output with no broker', () => {
    expect(routing({ sidekick: { outputs: { kafka: { brokers: [], topic: 'falco' } } } } as never))
      .toBe('DS-ROUTE-024 at stack/routing.sidekick.outputs.kafka.brokers: no broker');
  });
  test('a team\'s Alertmanager e-mail receiver with no recipient', () => {
    const email = { to: [], from: 'alerts@example.com', smarthost: 'smtp.example.com:587', minimumPriority: 'Critical' as const };
    expect(routing({ teams: [{ name: 'payments', namespaces: ['billing'], receivers: { email: [email] } }] }))
      .toBe('DS-ROUTE-011 at stack/routing.teams[0].receivers.email[0].to: no recipient');
  });
});
