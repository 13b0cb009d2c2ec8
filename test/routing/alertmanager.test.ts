import { parse } from 'yaml';
import { planContext } from './helpers';
import {
  renderAlertmanagerConfig, renderAlertmanagerConfigSpec, renderAlertmanagerConfigYaml,
} from '../../lib/routing/alertmanager-config';
import { planAlertmanager, priorityMatcher } from '../../lib/routing/alertmanager-plan';
import type { RoutingProps } from '../../lib/routing/props';

const ctx = planContext();
const plan = (props: RoutingProps) => planAlertmanager(props, ctx, 'test/routing')!;

const TWO_TEAMS: RoutingProps = {
  teams: [
    {
      name: 'payments',
      namespaces: ['billing', 'checkout'],
      receivers: {
        slack: [{ webhookUrl: { name: 'payments-slack', key: 'url' }, minimumPriority: 'Critical' }],
        pagerDuty: [{ routingKey: { name: 'payments-pd', key: 'key' }, minimumPriority: 'Alert' }],
      },
    },
    {
      name: 'identity',
      namespaces: ['identity'],
      receivers: {
        email: [{ to: ['idp@example.com'], from: 'falco@example.com', smarthost: 'smtp.example.com:587', authUsername: 'falco', authPassword: { name: 'smtp', key: 'password' }, minimumPriority: 'Error' }],
        opsgenie: [{ apiKey: { name: 'identity-og', key: 'key' }, minimumPriority: 'Critical' }],
        webhook: [
          { url: 'http://soar.security.svc.cluster.local/hook', minimumPriority: 'Warning' },
          { url: { name: 'identity-hook', key: 'url' }, minimumPriority: 'Notice' },
        ],
      },
    },
  ],
  unowned: { msTeams: [{ webhookUrl: { name: 'secops-teams', key: 'url' }, minimumPriority: 'Critical', api: 'connector' }] },
};

describe('team ownership becomes an Alertmanager route tree', () => {
  test('priority thresholds match every priority at or above, as Falcosidekick spells them', () => {
    expect(priorityMatcher('Critical')).toEqual(['priority', '=~', 'Emergency|Alert|Critical']);
    expect(priorityMatcher('Debug')[2]).toBe('Emergency|Alert|Critical|Error|Warning|Notice|Informational|Debug');
  });

  test('the route tree: one route per team on k8s_ns_name, one child per receiver on priority, unowned last', () => {
    const config = renderAlertmanagerConfig(plan(TWO_TEAMS), '/secrets');
    expect(config.route).toEqual({
      receiver: 'no-notification',
      group_by: ['rule', 'k8s_ns_name', 'priority'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        {
          receiver: 'no-notification',
          matchers: ['k8s_ns_name=~"billing|checkout"'],
          routes: [
            { receiver: 'payments-slack', matchers: ['priority=~"Emergency|Alert|Critical"'], continue: true },
            { receiver: 'payments-pagerduty', matchers: ['priority=~"Emergency|Alert"'], continue: true },
          ],
        },
        {
          receiver: 'no-notification',
          matchers: ['k8s_ns_name=~"identity"'],
          routes: [
            { receiver: 'identity-email', matchers: ['priority=~"Emergency|Alert|Critical|Error"'], continue: true },
            { receiver: 'identity-opsgenie', matchers: ['priority=~"Emergency|Alert|Critical"'], continue: true },
            { receiver: 'identity-webhook-1', matchers: ['priority=~"Emergency|Alert|Critical|Error|Warning"'], continue: true },
            { receiver: 'identity-webhook-2', matchers: ['priority=~"Emergency|Alert|Critical|Error|Warning|Notice"'], continue: true },
          ],
        },
        { receiver: 'unowned-msteams', matchers: ['priority=~"Emergency|Alert|Critical"'], continue: true },
      ],
    });
  });

  test('routeBy owner-first: one route per team on its owner tag in the tags label, before the namespace routes', () => {
    const routes = renderAlertmanagerConfig(plan({ ...TWO_TEAMS, routeBy: 'owner-first' }), '/secrets').route as { routes: { matchers: string[] }[] };
    expect(routes.routes.map((r) => r.matchers[0])).toEqual([
      'tags=~"(.+,)?owner:payments(,.+)?"',
      'tags=~"(.+,)?owner:identity(,.+)?"',
      'k8s_ns_name=~"billing|checkout"',
      'k8s_ns_name=~"identity"',
      'priority=~"Emergency|Alert|Critical"',
    ]);
    const byNamespace = renderAlertmanagerConfig(plan(TWO_TEAMS), '/secrets').route as { routes: { matchers: string[] }[] };
    expect(byNamespace.routes.some((r) => r.matchers[0].startsWith('tags='))).toBe(false);
  });

  test('receivers: every credential is a *_file path under the mounted Secret, nothing else', () => {
    const receivers = renderAlertmanagerConfig(plan(TWO_TEAMS), '/secrets').receivers as Record<string, unknown>[];
    const byName = Object.fromEntries(receivers.map((r) => [r.name, r]));
    expect(byName['no-notification']).toEqual({ name: 'no-notification' });
    expect(byName['payments-slack']).toMatchObject({ slack_configs: [{ api_url_file: '/secrets/payments-slack/url', send_resolved: false }] });
    expect(byName['payments-pagerduty']).toMatchObject({ pagerduty_configs: [{ routing_key_file: '/secrets/payments-pd/key', send_resolved: false }] });
    expect(byName['identity-email']).toMatchObject({
      email_configs: [{ to: 'idp@example.com', from: 'falco@example.com', smarthost: 'smtp.example.com:587', auth_username: 'falco', auth_password_file: '/secrets/smtp/password', require_tls: true }],
    });
    expect(byName['identity-opsgenie']).toMatchObject({ opsgenie_configs: [{ api_key_file: '/secrets/identity-og/key' }] });
    expect(byName['identity-webhook-1']).toEqual({ name: 'identity-webhook-1', webhook_configs: [{ url: 'http://soar.security.svc.cluster.local/hook', send_resolved: false }] });
    expect(byName['identity-webhook-2']).toEqual({ name: 'identity-webhook-2', webhook_configs: [{ url_file: '/secrets/identity-hook/url', send_resolved: false }] });
    expect(byName['unowned-msteams']).toMatchObject({ msteams_configs: [{ webhook_url_file: '/secrets/secops-teams/url' }] });
  });

  test('the YAML round-trips and mounts each Secret once with the keys it needs', () => {
    const p = plan(TWO_TEAMS);
    expect(parse(renderAlertmanagerConfigYaml(p))).toEqual(renderAlertmanagerConfig(p));
    expect(p.secretMounts).toEqual([
      { secret: 'payments-slack', keys: ['url'] },
      { secret: 'payments-pd', keys: ['key'] },
      { secret: 'smtp', keys: ['password'] },
      { secret: 'identity-og', keys: ['key'] },
      { secret: 'identity-hook', keys: ['url'] },
      { secret: 'secops-teams', keys: ['url'] },
    ]);
  });

  test('Falcosidekick posts to every bundled instance, from the lowest threshold up', () => {
    const p = plan(TWO_TEAMS);
    expect(p.target).toEqual({
      urls: [
        'http://alertmanager-0.alertmanager-cluster.falco.svc.cluster.local:9093',
        'http://alertmanager-1.alertmanager-cluster.falco.svc.cluster.local:9093',
      ],
      minimumPriority: 'Notice',
      extraLabels: {},
      podLabels: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': 'prod-eks' },
      port: 9093,
    });
  });

  test('the bundled Alertmanager may reach its receivers and nothing else', () => {
    expect(plan(TWO_TEAMS).egress).toEqual([
      { kind: 'external', port: 443, protocol: 'TCP' },
      { kind: 'external', port: 587, protocol: 'TCP' },
      { kind: 'namespace', namespace: 'security' },
    ]);
  });

  test('grouping can be tuned; bad durations are refused', () => {
    const p = plan({ ...TWO_TEAMS, alertmanager: { grouping: { groupBy: ['rule'], groupWait: '1m', groupInterval: '10m', repeatInterval: '12h' } } });
    expect(renderAlertmanagerConfig(p).route).toMatchObject({ group_by: ['rule'], group_wait: '1m', group_interval: '10m', repeat_interval: '12h' });
    expect(() => plan({ ...TWO_TEAMS, alertmanager: { grouping: { repeatInterval: 'soon' } } })).toThrow(/DS-ROUTE-008 at test\/routing\.alertmanager\.grouping\.repeatInterval/);
  });
});

describe('operator mode: an AlertmanagerConfig with SecretKeySelectors', () => {
  const props: RoutingProps = {
    ...TWO_TEAMS,
    alertmanager: { mode: 'operator', operator: { alertmanagerUrls: ['http://alertmanager-operated.monitoring.svc:9093'], configLabels: { alertmanagerConfig: 'main' } } },
  };

  test('the spec carries the same tree with typed matchers and Secret selectors', () => {
    const spec = renderAlertmanagerConfigSpec(plan(props)) as { route: Record<string, unknown>; receivers: Record<string, unknown>[] };
    expect(spec.route).toMatchObject({ receiver: 'no-notification', groupBy: ['rule', 'k8s_ns_name', 'priority'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' });
    expect((spec.route.routes as unknown[])[0]).toEqual({
      receiver: 'no-notification',
      matchers: [{ name: 'k8s_ns_name', value: 'billing|checkout', matchType: '=~' }],
      routes: [
        { receiver: 'payments-slack', matchers: [{ name: 'priority', value: 'Emergency|Alert|Critical', matchType: '=~' }], continue: true },
        { receiver: 'payments-pagerduty', matchers: [{ name: 'priority', value: 'Emergency|Alert', matchType: '=~' }], continue: true },
      ],
    });
    const byName = Object.fromEntries(spec.receivers.map((r) => [r.name, r]));
    expect(byName['payments-slack']).toMatchObject({ slackConfigs: [{ apiURL: { name: 'payments-slack', key: 'url' }, sendResolved: false }] });
    expect(byName['payments-pagerduty']).toMatchObject({ pagerdutyConfigs: [{ routingKey: { name: 'payments-pd', key: 'key' } }] });
    expect(byName['identity-email']).toMatchObject({ emailConfigs: [{ authPassword: { name: 'smtp', key: 'password' }, requireTLS: true }] });
    expect(byName['identity-opsgenie']).toMatchObject({ opsgenieConfigs: [{ apiKey: { name: 'identity-og', key: 'key' } }] });
    expect(byName['identity-webhook-2']).toMatchObject({ webhookConfigs: [{ urlSecret: { name: 'identity-hook', key: 'url' } }] });
    expect(byName['unowned-msteams']).toMatchObject({ msteamsConfigs: [{ webhookUrl: { name: 'secops-teams', key: 'url' } }] });
  });

  test('Falcosidekick adds the namespace label prometheus-operator matches on', () => {
    const p = plan(props);
    expect(p.target).toMatchObject({ urls: ['http://alertmanager-operated.monitoring.svc:9093'], extraLabels: { namespace: 'falco' }, podLabels: undefined });
    expect(p.alertmanagerConfig).toEqual({
      name: 'detection-stack-routing',
      namespace: 'falco',
      labels: expect.objectContaining({ 'app.kubernetes.io/component': 'routing', 'alertmanagerConfig': 'main' }),
    });
    expect(p.workload).toBeUndefined();
  });

  test('operator settings in bundled mode are refused (DS-ROUTE-027)', () => {
    expect(() => plan({ ...TWO_TEAMS, alertmanager: { mode: 'bundled', operator: { alertmanagerUrls: ['http://am.monitoring.svc:9093'] } } as never }))
      .toThrow(/^DS-ROUTE-027 at test\/routing\.alertmanager\.operator: operator settings are given in mode 'bundled'/);
  });

  test('operator mode without URLs is refused', () => {
    expect(() => plan({ ...TWO_TEAMS, alertmanager: { mode: 'operator' } })).toThrow(/^DS-ROUTE-026 at test\/routing\.alertmanager\.operator: mode 'operator' needs the URLs/);
  });
});

describe('team routing: bad ownership is refused', () => {
  const slack = { slack: [{ webhookUrl: { name: 's', key: 'url' }, minimumPriority: 'Critical' as const }] };
  test('a namespace owned twice', () => {
    expect(() => plan({ teams: [{ name: 'a', namespaces: ['shop'], receivers: slack }, { name: 'b', namespaces: ['shop'], receivers: slack }] }))
      .toThrow(/DS-ROUTE-006 at test\/routing\.teams\[1\]\.namespaces\[0\]: namespace 'shop' is already owned by team 'a'/);
  });
  test('a team without receivers or namespaces, declared twice, a reserved or invalid name: one code each', () => {
    expect(() => plan({ teams: [{ name: 'a', namespaces: ['shop'], receivers: {} }] })).toThrow(/^DS-ROUTE-019 at test\/routing\.teams\[0\]\.receivers: team 'a' has no receiver/);
    expect(() => plan({ teams: [{ name: 'a', namespaces: [], receivers: slack }] })).toThrow(/^DS-ROUTE-018 at test\/routing\.teams\[0\]\.namespaces: team 'a' owns no namespace/);
    expect(() => plan({ teams: [{ name: 'unowned', namespaces: ['x'], receivers: slack }] })).toThrow(/^DS-ROUTE-016 at test\/routing\.teams\[0\]\.name: team name 'unowned' is reserved/);
    expect(() => plan({ teams: [{ name: 'a', namespaces: ['x'], receivers: slack }, { name: 'a', namespaces: ['y'], receivers: slack }] }))
      .toThrow(/^DS-ROUTE-017 at test\/routing\.teams\[1\]\.name: team 'a' is declared twice/);
    expect(() => plan({ teams: [{ name: 'Payments', namespaces: ['x'], receivers: slack }] })).toThrow(/^DS-ROUTE-005 at test\/routing\.teams\[0\]\.name: team name 'Payments' is not valid/);
  });
  test('a single bundled replica', () => {
    expect(() => plan({ teams: [{ name: 'a', namespaces: ['x'], receivers: slack }], alertmanager: { replicas: 1 } })).toThrow(/DS-ROUTE-007/);
  });
  test('no team and no unowned receivers: no Alertmanager at all', () => {
    expect(planAlertmanager({}, ctx, 'test/routing')).toBeUndefined();
    expect(() => planAlertmanager({ alertmanager: {} }, ctx, 'test/routing'))
      .toThrow(/^DS-ROUTE-009 at test\/routing\.alertmanager: an Alertmanager is configured but no team or unowned receiver routes to it/);
  });
});
