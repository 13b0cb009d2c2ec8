import { execFileSync } from 'child_process';
import { rmSync, writeFileSync } from 'fs';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { AMTOOL, checkConfig, Config, expectValidConfig, routesFor, workDir, writeConfig } from './amtool-support';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { DetectionStack, DetectionStackChartProps } from '../../lib';
import type { AlertmanagerPlan } from '../../lib/routing/alertmanager-plan';

/**
 * Every generated Alertmanager config passes `amtool check-config` as it is, and `amtool config routes test`
 * sends Falcosidekick's labels to the expected receivers. The judge is amtool 0.33.1 (../shared/tools/sid-0.41),
 * which knows every integration the stack configures (`msteams_configs`, `msteamsv2_configs`, webhook `url_file`).
 */
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const VERSION = /version (\d+\.\d+\.\d+)/.exec(execFileSync(AMTOOL, ['--version'], { encoding: 'utf8' }))![1];

function prepare(name: string, plan: AlertmanagerPlan | undefined): { file: string; config: Config } {
  if (!plan) throw new Error(`${name}: the stack has no Alertmanager`);
  return writeConfig(name, plan);
}

/** Falcosidekick's labels for one alert (rule, priority as it spells it, namespace from k8s.ns.name). */
const alert = (priority: string, namespace?: string): Record<string, string> => ({
  alertname: 'Terminal shell in container',
  rule: 'Terminal shell in container',
  priority,
  source: 'falco',
  eventsource: 'syscall',
  ...(namespace ? { k8s_ns_name: namespace } : {}),
});

describe(`amtool ${VERSION}: the eks-teams example`, () => {
  const { file } = prepare('eks-teams', eksTeamsStack(Testing.app()).plan.routing?.alertmanager);

  test('check-config passes', () => {
    expectValidConfig(file);
  });

  test.each([
    ['billing', 'Critical', ['payments-slack']],
    ['checkout', 'Emergency', ['payments-slack']],
    ['billing', 'Error', ['no-notification']],
    ['billing', 'Warning', ['no-notification']],
    ['identity', 'Warning', ['identity-msteams']],
    ['identity', 'Critical', ['identity-msteams']],
    ['identity', 'Notice', ['no-notification']],
    ['default', 'Emergency', ['no-notification']],
  ])('an alert in %s at %s goes to %j', (namespace, priority, receivers) => {
    expect(routesFor(file, alert(priority, namespace))).toEqual(receivers);
  });

  test('a host-level alert (no namespace) notifies nobody: no team owns it', () => {
    expect(routesFor(file, alert('Critical'))).toEqual(['no-notification']);
  });
});

describe('amtool: a stack with every receiver kind and an unowned route', () => {
  const props: DetectionStackChartProps = {
    cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
    routing: {
      teams: [
        {
          name: 'payments',
          namespaces: ['billing', 'checkout'],
          receivers: {
            slack: [{ webhookUrl: { name: 'payments-slack', key: 'url' }, channel: '#payments-sec', minimumPriority: 'Critical' }],
            pagerDuty: [{ routingKey: { name: 'payments-pd', key: 'routing-key' }, minimumPriority: 'Alert' }],
          },
        },
        {
          name: 'identity',
          namespaces: ['identity'],
          receivers: {
            email: [{ to: ['idp@example.com'], from: 'falco@example.com', smarthost: 'smtp.example.com:587', authUsername: 'falco', authPassword: { name: 'smtp', key: 'password' }, minimumPriority: 'Error' }],
            opsgenie: [{ apiKey: { name: 'identity-og', key: 'api-key' }, minimumPriority: 'Critical' }],
            webhook: [
              { url: 'http://soar.security.svc.cluster.local/hook', minimumPriority: 'Warning' },
              { url: { name: 'identity-hook', key: 'url' }, minimumPriority: 'Notice' },
            ],
          },
        },
      ],
      unowned: {
        msTeams: [{ webhookUrl: { name: 'secops-teams', key: 'url' }, minimumPriority: 'Critical', api: 'connector' }],
        email: [{ to: ['soc@example.com'], from: 'falco@example.com', smarthost: 'smtp.example.com:587', minimumPriority: 'Error' }],
      },
      alertmanager: { grouping: { groupWait: '1m', groupInterval: '10m', repeatInterval: '12h' } },
    },
    durable: { waived: { reason: 'routing-only conformance stack' } },
  };
  const { file } = prepare('every-receiver', new DetectionStack(Testing.app(), 'every', props).plan.routing?.alertmanager);

  test('check-config passes', () => {
    expectValidConfig(file);
  });

  test.each([
    ['billing', 'Emergency', ['payments-pagerduty', 'payments-slack']],
    ['billing', 'Critical', ['payments-slack']],
    ['identity', 'Critical', ['identity-email', 'identity-opsgenie', 'identity-webhook-1', 'identity-webhook-2']],
    ['identity', 'Error', ['identity-email', 'identity-webhook-1', 'identity-webhook-2']],
    ['identity', 'Notice', ['identity-webhook-2']],
    ['identity', 'Informational', ['no-notification']],
    ['kube-system', 'Critical', ['unowned-email', 'unowned-msteams']],
    ['kube-system', 'Error', ['unowned-email']],
    ['kube-system', 'Warning', ['no-notification']],
  ])('an alert in %s at %s goes to %j', (namespace, priority, receivers) => {
    expect(routesFor(file, alert(priority, namespace))).toEqual(receivers);
  });

  test('a team namespace never leaks to the unowned receivers', () => {
    expect(routesFor(file, alert('Emergency', 'checkout'))).not.toContain('unowned-msteams');
  });
});

describe('amtool: one team, one receiver, default grouping', () => {
  const { file } = prepare('one-team', new DetectionStack(Testing.app(), 'one', {
    cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
    routing: { teams: [{ name: 'web', namespaces: ['web', 'web-canary'], receivers: { pagerDuty: [{ routingKey: { name: 'web-pd', key: 'key' }, minimumPriority: 'Critical' }] } }] },
    durable: { waived: { reason: 'routing-only conformance stack' } },
  }).plan.routing?.alertmanager);

  test('check-config passes', () => {
    expectValidConfig(file);
  });

  test('a namespace is matched whole, not as a prefix', () => {
    expect(routesFor(file, alert('Critical', 'web'))).toEqual(['web-pagerduty']);
    expect(routesFor(file, alert('Critical', 'web-canary'))).toEqual(['web-pagerduty']);
    expect(routesFor(file, alert('Critical', 'web-canary-2'))).toEqual(['no-notification']);
    expect(routesFor(file, alert('Critical', 'webshop'))).toEqual(['no-notification']);
  });
});

describe('amtool: routing by owner first (routing.routeBy: owner-first)', () => {
  const pd = (name: string) => ({ pagerDuty: [{ routingKey: { name: `${name}-pd`, key: 'key' }, minimumPriority: 'Warning' as const }] });
  const { file } = prepare('owner-first', new DetectionStack(Testing.app(), 'owners', {
    cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
    routing: {
      routeBy: 'owner-first',
      teams: [{ name: 'web', namespaces: ['web'], receivers: pd('web') }, { name: 'platform-security', namespaces: ['security'], receivers: pd('ps') }],
    },
    durable: { waived: { reason: 'routing-only conformance stack' } },
  }).plan.routing?.alertmanager);
  // Falcosidekick 2.34.1 sends the tags sorted and comma-joined (outputs/alertmanager.go).
  const tagged = (tags: string, namespace: string) => ({ ...alert('Critical', namespace), tags });

  test('check-config passes', () => {
    expectValidConfig(file);
  });

  test('the rule\'s owner gets the alert wherever it was raised; the namespace decides only for rules no team owns', () => {
    expect(routesFor(file, tagged('mitre_execution,owner:platform-security,shell', 'web'))).toEqual(['platform-security-pagerduty']);
    expect(routesFor(file, tagged('owner:web', 'security'))).toEqual(['web-pagerduty']);
    expect(routesFor(file, tagged('container,mitre_execution,shell', 'web'))).toEqual(['web-pagerduty']);
    expect(routesFor(file, tagged('owner:unowned', 'security'))).toEqual(['platform-security-pagerduty']);
  });

  test('an owner tag is matched as a whole item of the list, not as a prefix or inside another', () => {
    expect(routesFor(file, tagged('owner:web-canary', 'elsewhere'))).toEqual(['no-notification']);
    expect(routesFor(file, tagged('xowner:web', 'elsewhere'))).toEqual(['no-notification']);
    expect(routesFor(file, tagged('a,owner:web,z', 'elsewhere'))).toEqual(['web-pagerduty']);
  });
});

describe('amtool: the check has teeth', () => {
  test('a route to an undeclared receiver fails check-config', () => {
    const { file, config } = prepare('broken', eksTeamsStack(Testing.app()).plan.routing?.alertmanager);
    const broken = { ...config, receivers: config.receivers.filter((r) => r.name !== 'payments-slack') };
    writeFileSync(file, stringify(broken, { lineWidth: 0 }));
    const result = checkConfig(file);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/undefined receiver "payments-slack"/);
  });
});
