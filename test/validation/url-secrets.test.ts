import { readFileSync } from 'fs';
import { join } from 'path';
import { DetectionStackError } from '../../lib/core/errors';
import { credentialInUrl, redactUrl } from '../../lib/core/urls';
import { planStack } from '../../lib/stack/plan';
import { DetectionStackProps } from '../../lib/stack/props';

const EKS = { cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' }, durable: { waived: { reason: 'not needed in this test' } } } as const;
const TOKEN = 'Zx9Kq2Lm7Np4Rs8Tv1Wy5Ab3Cd6Ef0Gh';

function errorWithAddress(address: string): DetectionStackError {
  try {
    planStack({ ...EKS, routing: { sidekick: { outputs: { webhook: { address } } } } } as DetectionStackProps, 'stack');
  } catch (e) {
    if (e instanceof DetectionStackError) return e;
    throw e;
  }
  throw new Error('expected a DetectionStackError');
}

describe('URLs that carry credentials are refused as plain strings', () => {
  test.each([
    ['a Slack incoming webhook (the path is the secret)', `https://hooks.slack.com/services/T000/B000/${TOKEN}`, /Slack webhook/],
    ['a token in the query', `https://events.example.com/hook?token=${TOKEN}`, /query string/],
    ['an Azure SAS signature in the query', `https://acct.blob.core.windows.net/c?sv=2022&sig=${TOKEN}`, /query string/],
    ['userinfo', `https://user:${TOKEN}@events.example.com/hook`, /user or password/],
    ['a Discord webhook', `https://discord.com/api/webhooks/123/${TOKEN}`, /Discord/],
    ['a Teams Workflows trigger', 'https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke', /Logic Apps/],
    ['a token-like path segment', `https://events.example.com/hooks/${TOKEN}`, /looks like a token/],
  ])('%s', (_name, url, why) => {
    expect(credentialInUrl(url)).toMatch(why);
    const error = errorWithAddress(url);
    expect(error).toMatchObject({ code: 'DS-ROUTE-020', where: 'stack/routing.sidekick.outputs.webhook.address' });
    expect(error.fix).toMatch(/Secret/);
    expect(error.message).not.toContain(TOKEN);
  });

  test.each([
    'https://events.example.com/falco',
    'http://falcosidekick-ui.falco.svc.cluster.local:2802/events',
    'https://alerts.example.com/v1/ingest/falco-prod',
  ])('a clean URL is accepted: %s', (url) => {
    expect(credentialInUrl(url)).toBeUndefined();
  });

  test('a Secret reference is accepted for the same webhook', () => {
    const plan = planStack({ ...EKS, routing: { sidekick: { outputs: { webhook: { address: { name: 'hook', key: 'url' } } } } } }, 'stack');
    expect(plan.routing).toBeDefined();
  });

  test('the other URL props (Loki, Elasticsearch, Alertmanager URLs) refuse credentials too, pointing at their Secret fields', () => {
    expect(() => planStack({ ...EKS, routing: { sidekick: { outputs: { loki: { hostPort: `https://logs.example.com/?apikey=${TOKEN}` } } } } }, 'stack'))
      .toThrow(/^DS-ROUTE-020 at stack\/routing\.sidekick\.outputs\.loki\.hostPort: .*Fix: .*Secret reference \(apiKey, password\)/);
  });
});

describe('no message prints a URL\'s userinfo, query or secret path', () => {
  test('redactUrl keeps scheme, host and a clean path only', () => {
    expect(redactUrl(`https://u:${TOKEN}@h.example.com:8443/a/b?token=${TOKEN}#f`)).toBe('https://…@h.example.com:8443/a/b?…');
    expect(redactUrl(`https://hooks.slack.com/services/T0/B0/${TOKEN}`)).toBe('https://hooks.slack.com/…');
    expect(redactUrl('https://events.example.com/falco')).toBe('https://events.example.com/falco');
    expect(redactUrl(`not a url?token=${TOKEN}`)).toBe('not a url?…');
    expect(redactUrl(`//user:${TOKEN}@host/x`)).not.toContain(TOKEN);
  });

  test('the README sentence on DS-ROUTE-020 is true: its Slack example is refused, its redaction example is what redactUrl prints', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\n/g, ' ');
    const sentence = /`DS-ROUTE-020` a URL given as a plain string that carries a credential .*?`lib\/core\/urls\.ts`\)/.exec(readme)?.[0];
    expect(sentence).toBeDefined();
    const slack = /such as `(https:\/\/hooks\.slack\.com\/services\/)\.\.\.`/.exec(sentence!)?.[1];
    expect(errorWithAddress(`${slack}T000/B000/${TOKEN}`).code).toBe('DS-ROUTE-020');
    const [, given, printed] = /cut: `([^`]+)` as `([^`]+)`/.exec(sentence!)!;
    expect(credentialInUrl(given)).toMatch(/user or password/);
    expect(redactUrl(given)).toBe(printed);
    expect(redactUrl(`${slack}T000/B000/${TOKEN}`)).toBe('https://hooks.slack.com/…');
  });

  test('DS-ROUTE-003 "not a URL" (it echoed the whole string, token included) prints the redacted form', () => {
    const error = errorWithAddress(`events.example.com/hook?token=${TOKEN}`);
    expect(error.code).toBe('DS-ROUTE-003');
    expect(error.problem).toMatch(/is not a URL/);
    expect(error.message).not.toContain(TOKEN);
  });
});
