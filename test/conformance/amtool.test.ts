import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { requireTool } from './corpora';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { DetectionStack, DetectionStackChartProps } from '../../lib';
import { renderAlertmanagerConfig } from '../../lib/routing/alertmanager-config';
import type { AlertmanagerPlan } from '../../lib/routing/alertmanager-plan';

/**
 * Every generated Alertmanager config passes `amtool check-config`, and `amtool config routes test` sends
 * Falcosidekick's labels to the expected receivers.
 *
 * Debian bookworm ships amtool 0.25, older than the bundled Alertmanager (0.34): it does not know the
 * integrations added since (`msteams_configs` 0.26, webhook `url_file` 0.26, `msteamsv2_configs` 0.28).
 * With such an amtool the full config must fail on exactly those fields and nothing else; the config with
 * only those integrations removed (receivers and routes unchanged) must then pass. With amtool >= 0.28 the
 * full config must pass as it is.
 */
const AMTOOL = requireTool('amtool', 'prometheus-alertmanager');
const VERSION = /version (\d+)\.(\d+)\.(\d+)/.exec(execFileSync(AMTOOL, ['--version'], { encoding: 'utf8' }))!;
const MINOR = Number(VERSION[2]);
const NEWER_THAN_AMTOOL: { readonly field: string; readonly since: number; readonly within?: string }[] = [
  { field: 'msteams_configs', since: 26 },
  { field: 'msteamsv2_configs', since: 28 },
  { field: 'url_file', since: 26, within: 'webhook_configs' },
];
const unknownToAmtool = NEWER_THAN_AMTOOL.filter((f) => Number(VERSION[1]) === 0 && MINOR < f.since);

type Config = { receivers: Record<string, unknown>[] } & Record<string, unknown>;

const workDir = mkdtempSync(join(tmpdir(), 'amtool-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Writes the config with its `*_file` credentials pointing at placeholder files in a temp dir. */
function writeConfig(name: string, plan: AlertmanagerPlan): { file: string; config: Config } {
  const dir = join(workDir, name);
  const secretsDir = join(dir, 'secrets');
  for (const mount of plan.secretMounts) {
    mkdirSync(join(secretsDir, mount.secret), { recursive: true });
    for (const key of mount.keys) writeFileSync(join(secretsDir, mount.secret, key), 'https://placeholder.invalid/credential\n');
  }
  const config = renderAlertmanagerConfig(plan, secretsDir) as Config;
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, stringify(config, { lineWidth: 0 }));
  return { file, config };
}

/** The same config without the integrations this amtool predates; receiver names and routes unchanged. */
function withoutNewerIntegrations(config: Config): Config {
  const receivers = config.receivers.map((r) => {
    const copy: Record<string, unknown> = { ...r };
    for (const f of unknownToAmtool) {
      if (f.within === undefined) {delete copy[f.field];} else if (Array.isArray(copy[f.within])) {
        const kept = (copy[f.within] as Record<string, unknown>[]).filter((c) => !(f.field in c));
        if (kept.length) copy[f.within] = kept; else delete copy[f.within];
      }
    }
    return copy;
  });
  return { ...config, receivers };
}

function checkConfig(file: string): { ok: boolean; output: string } {
  const r = spawnSync(AMTOOL, ['check-config', file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** Asserts the config is valid for this amtool, as described above. */
function expectValidConfig(file: string, config: Config): void {
  const full = checkConfig(file);
  if (full.ok) {
    expect(full.output).toContain('SUCCESS');
    return;
  }
  const unknownFields = [...full.output.matchAll(/field (\w+) not found in type/g)].map((m) => m[1]);
  const otherErrors = full.output.split('\n').filter((l) => /^\s*line \d+:/.test(l) && !/field \w+ not found in type/.test(l));
  // Only a field this amtool predates may be the cause.
  expect(otherErrors).toEqual([]);
  expect(unknownFields.length).toBeGreaterThan(0);
  for (const f of unknownFields) {
    expect(unknownToAmtool.map((u) => u.field)).toContain(f);
    expect(JSON.stringify(config.receivers)).toContain(`"${f}"`);
  }
  const compatible = checkConfig(file.replace(/\.yml$/, '.amtool-compatible.yml'));
  expect(compatible.output).toContain('SUCCESS');
  expect(compatible.ok).toBe(true);
}

/** The receivers amtool routes an alert with these labels to. */
function routesFor(file: string, labels: Record<string, string>): string[] {
  const reduced = file.replace(/\.yml$/, '.amtool-compatible.yml');
  const out = execFileSync(AMTOOL, ['config', 'routes', 'test', `--config.file=${reduced}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.trim().split(/,\s*|\n/).filter(Boolean).sort();
}

/** Writes the config and its amtool-compatible copy (used by `routes test`); check-config is its own test. */
function prepare(name: string, plan: AlertmanagerPlan | undefined): { file: string; config: Config } {
  if (!plan) throw new Error(`${name}: the stack has no Alertmanager`);
  const written = writeConfig(name, plan);
  writeFileSync(written.file.replace(/\.yml$/, '.amtool-compatible.yml'), stringify(withoutNewerIntegrations(written.config), { lineWidth: 0 }));
  return written;
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

describe(`amtool ${VERSION[0].replace('version ', '')}: the eks-teams example`, () => {
  const { file, config } = prepare('eks-teams', eksTeamsStack(Testing.app()).plan.routing?.alertmanager);

  test('check-config passes', () => {
    expectValidConfig(file, config);
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
  const { file, config } = prepare('every-receiver', new DetectionStack(Testing.app(), 'every', props).plan.routing?.alertmanager);

  test('check-config passes', () => {
    expectValidConfig(file, config);
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
  const { file, config } = prepare('one-team', new DetectionStack(Testing.app(), 'one', {
    cluster: { name: 'prod-oke', provider: 'oke', region: 'eu-frankfurt-1' },
    routing: { teams: [{ name: 'web', namespaces: ['web', 'web-canary'], receivers: { pagerDuty: [{ routingKey: { name: 'web-pd', key: 'key' }, minimumPriority: 'Critical' }] } }] },
    durable: { waived: { reason: 'routing-only conformance stack' } },
  }).plan.routing?.alertmanager);

  test('check-config passes', () => {
    expectValidConfig(file, config);
  });

  test('a namespace is matched whole, not as a prefix', () => {
    expect(routesFor(file, alert('Critical', 'web'))).toEqual(['web-pagerduty']);
    expect(routesFor(file, alert('Critical', 'web-canary'))).toEqual(['web-pagerduty']);
    expect(routesFor(file, alert('Critical', 'web-canary-2'))).toEqual(['no-notification']);
    expect(routesFor(file, alert('Critical', 'webshop'))).toEqual(['no-notification']);
  });
});

describe('amtool: the check has teeth', () => {
  test('a route to an undeclared receiver fails check-config', () => {
    const { file, config } = prepare('broken', eksTeamsStack(Testing.app()).plan.routing?.alertmanager);
    const broken = { ...config, receivers: config.receivers.filter((r) => r.name !== 'payments-slack') };
    writeFileSync(file, stringify(withoutNewerIntegrations(broken), { lineWidth: 0 }));
    const result = checkConfig(file);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/undefined receiver "payments-slack"/);
  });
});
