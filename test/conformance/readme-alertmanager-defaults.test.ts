import { ChildProcess, execFileSync, spawn } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { get } from 'http';
import { join } from 'path';
import { parse } from 'yaml';
import { planStack } from '../../lib';

/**
 * The README's Alertmanager defaults, against Alertmanager 0.33.1: the real binary (`--help` for the ports,
 * `/api/v2/status` for what an omitted `send_resolved` becomes) from `../shared/tools/sid-tools.sh DIR`, run in
 * DIR/root with chroot (ALERTMANAGER_ROOT, default /opt/sid-tools/root), and the route timings of its source,
 * prometheus/alertmanager v0.33.1 `dispatch/route.go` `DefaultRouteOpts` (GroupWait 30s, GroupInterval 5m,
 * RepeatInterval 4h), which no flag or API prints.
 */
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
const ROOT = process.env.ALERTMANAGER_ROOT ?? '/opt/sid-tools/root';
const BINARY = '/usr/bin/prometheus-alertmanager';
const UPSTREAM_ROUTE_DEFAULTS = { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' };

const plan = planStack({
  cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
  routing: {
    teams: [{ name: 'payments', namespaces: ['billing'], receivers: { webhook: [{ url: { name: 'hooks', key: 'url' }, minimumPriority: 'Warning' }] } }],
    alertmanager: { mode: 'bundled' },
  },
  durable: { waived: { reason: 'README defaults check: no bucket' } },
}, 'defaults');
const workload = plan.routing!.alertmanager!.workload!;
const config = parse(workload.configs![0]!.data['alertmanager.yml']!);
const args = workload.pod.containers[0]?.args ?? [];

function alertmanager(argv: readonly string[]): string {
  if (!existsSync(join(ROOT, BINARY))) {
    throw new Error(`alertmanager 0.33.1 not found at ${join(ROOT, BINARY)}: run 'bash ../shared/tools/sid-tools.sh /opt/sid-tools' as root `
      + '(or set ALERTMANAGER_ROOT to the root/ folder of another DIR)');
  }
  return execFileSync('chroot', [ROOT, BINARY, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('the binary is 0.33.1', () => {
  expect(alertmanager(['--version'])).toMatch(/^alertmanager, version 0\.33\.1\b/);
});

test('grouping: the README\'s defaults are the generated root route, with 0.33.1\'s own timings', () => {
  expect(README).toContain('Grouping defaults: `group_by: [rule, k8s_ns_name, priority]`, `group_wait: 30s`, `group_interval: 5m`, `repeat_interval: 4h`');
  expect(config.route).toMatchObject({ group_by: ['rule', 'k8s_ns_name', 'priority'], ...UPSTREAM_ROUTE_DEFAULTS });
  expect(README).toContain('the timings are Alertmanager 0.33.1\'s own defaults');
});

test('ports: 9093 and 9094, 0.33.1\'s defaults (--help)', () => {
  const help = alertmanager(['--help']);
  expect(help).toMatch(/--web\.listen-address=:9093\b/);
  expect(help).toMatch(/--cluster\.listen-address="0\.0\.0\.0:9094"/);
  expect(args).toContain('--web.listen-address=:9093');
  expect(args).toContain('--cluster.listen-address=0.0.0.0:9094');
});

describe('send_resolved', () => {
  let proc: ChildProcess | undefined;
  const dir = `/tmp/ds-am-defaults-${process.pid}`;
  afterAll(() => {
    proc?.kill('SIGKILL');
    rmSync(join(ROOT, dir), { recursive: true, force: true });
  });

  test('0.33.1 makes an omitted send_resolved true; the stack writes false, as the README says', async () => {
    mkdirSync(join(ROOT, dir), { recursive: true });
    writeFileSync(join(ROOT, dir, 'am.yml'), 'route:\n  receiver: x\nreceivers:\n  - name: x\n    webhook_configs:\n      - url: http://x.invalid/\n');
    const port = 25000 + (process.pid % 2000);
    proc = spawn('chroot', [ROOT, BINARY, `--config.file=${dir}/am.yml`, `--storage.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address='], { stdio: 'ignore' });
    const status = await new Promise<string>((resolve, reject) => {
      const end = Date.now() + 30_000;
      const poll = () => get({ host: '127.0.0.1', port, path: '/api/v2/status' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve(body));
      }).on('error', () => (Date.now() > end ? reject(new Error('alertmanager did not answer')) : setTimeout(poll, 250)));
      poll();
    });
    const loaded = parse((JSON.parse(status) as { config: { original: string } }).config.original);
    expect(loaded.receivers[0].webhook_configs[0].send_resolved).toBe(true);
    const webhooks = config.receivers.flatMap((r: { webhook_configs?: { send_resolved: boolean }[] }) => r.webhook_configs ?? []);
    expect(webhooks.length).toBeGreaterThan(0);
    webhooks.forEach((w: { send_resolved: boolean }) => expect(w.send_resolved).toBe(false));
    expect(README).toContain('`send_resolved: false` (a Falco alert is an event, not a condition)');
  }, 60_000);
});
