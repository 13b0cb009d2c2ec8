import { ChildProcess, execFileSync, spawn } from 'child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { get } from 'http';
import { join } from 'path';
import { realTool, run, scratchDir } from './workload-files';
import { falcoConfig } from '../../lib/falco/sensor/render';
import type { StackPlan } from '../../lib/stack/plan';
import { fullEksProps, stackPlan } from '../monitoring/fixtures';

/**
 * IPv6-only and dual-stack clusters (`cluster.ipFamily: 'IPv6'`), judged by the real programs on the loopback:
 * - Fluent Bit 5.1.1 serves its health endpoint on the generated `HTTP_Listen` (`::`: IPv6 and IPv4 both);
 * - Falco 0.44.1 accepts the generated `webserver.listen_address` (`::`) and refuses a bracketed one. This build is
 *   MINIMAL_BUILD (../shared/tools/falco-0.44.1/build.sh), which has no webserver, so the bind itself is not run here;
 * - Alertmanager 0.33.1 starts with the generated `--cluster.listen-address`/`--cluster.advertise-address` on `::1`,
 *   two replicas form one cluster and answer /-/ready; the unbracketed form stops it ("too many colons").
 * Alertmanager comes from `../shared/tools/sid-tools.sh DIR` (Debian unstable's 0.33.1, run in DIR/root with chroot:
 * it reads its default templates from /usr/share/prometheus/alertmanager): ALERTMANAGER_ROOT, default /opt/sid-tools/root.
 */
const IPV6: StackPlan = stackPlan({ ...fullEksProps(), cluster: { ...fullEksProps().cluster, ipFamily: 'IPv6' } });

function httpStatus(host: string, port: number, path: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = get({ host, port, path, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => { req.destroy(); resolve(undefined); });
  });
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const started: ChildProcess[] = [];
function start(file: string, args: readonly string[]): { proc: ChildProcess; output: () => string } {
  const proc = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  started.push(proc);
  return { proc, output: () => out };
}
afterAll(() => started.forEach((p) => { if (p.exitCode === null) p.kill('SIGKILL'); }));

describe('Fluent Bit 5.1.1: the shipper\'s HTTP server on IPv6', () => {
  const FLUENT_BIT = realTool('fluent-bit-5.1.1', 'fluent-bit');

  test('the generated HTTP_Listen (::) answers /api/v1/health on ::1 and on 127.0.0.1', async () => {
    const conf = IPV6.durable!.shipper!.files['fluent-bit.conf'];
    const listen = /^\s*HTTP_Listen\s+(\S+)$/m.exec(conf)![1];
    expect(listen).toBe('::');
    const port = 21000 + (process.pid % 2000);
    const dir = scratchDir('ipv6-fb');
    // The generated [SERVICE] HTTP lines, with a dummy input: the outputs need a bucket, not what is judged here.
    const file = join(dir, 'fluent-bit.conf');
    writeFileSync(file, ['[SERVICE]', '    Flush 1', '    HTTP_Server On', `    HTTP_Listen ${listen}`, `    HTTP_Port ${port}`,
      '    Health_Check On', '[INPUT]', '    Name dummy', '[OUTPUT]', '    Name null', '    Match *', ''].join('\n'));
    const fb = start(FLUENT_BIT, ['-c', file]);
    try {
      const v6 = await until(`fluent-bit on [::1]:${port}\n${fb.output()}`, () => httpStatus('::1', port, '/api/v1/health'));
      expect(v6).toEqual({ status: 200, body: 'ok\n' });
      expect(await httpStatus('127.0.0.1', port, '/api/v1/health')).toEqual({ status: 200, body: 'ok\n' });
    } finally {
      fb.proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('Falco 0.44.1: the webserver\'s listen_address on IPv6', () => {
  const FALCO_DIR = realTool('falco-0.44.1');
  const falco = join(FALCO_DIR, 'falco');
  const dryRun = (address: string) => {
    const dir = scratchDir('ipv6-falco');
    const rules = join(dir, 'r.yaml');
    writeFileSync(rules, '- rule: r\n  desc: r\n  condition: evt.type = open and proc.name = zzz\n  output: r\n  priority: INFO\n');
    try {
      return run(falco, ['-c', join(FALCO_DIR, 'falco.yaml'), '-r', rules, '-o', 'webserver.enabled=true',
        '-o', `webserver.listen_address=${address}`, '--dry-run'], { timeoutMs: 60_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('the generated address (::, node Falco and k8saudit Falco alike) passes Falco\'s config check', () => {
    const node = (falcoConfig(IPV6.falco!).webserver as Record<string, unknown>).listen_address as string;
    expect(node).toBe('::');
    expect(IPV6.k8sauditFalco!.falcoYaml).toMatch(/^ {2}listen_address: "?::"?$/m);
    const r = dryRun(node);
    expect(r.output).not.toMatch(/Error/);
    expect(r.status).toBe(0);
  });

  test('a bracketed address is refused: the check above can fail', () => {
    const r = dryRun('[::]');
    expect(r.output).toMatch(/webserver listen address "\[::\]" is not a valid IP address/);
    expect(r.status).not.toBe(0);
  });
});

describe('Alertmanager 0.33.1: the cluster addresses on IPv6', () => {
  const root = process.env.ALERTMANAGER_ROOT ?? '/opt/sid-tools/root';
  const binary = '/usr/bin/prometheus-alertmanager';
  const args = IPV6.routing!.alertmanager!.workload!.pod.containers[0]?.args ?? [];
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))!.slice(name.length + 3);

  beforeAll(() => {
    if (!existsSync(join(root, binary))) {
      throw new Error(`alertmanager 0.33.1 not found at ${join(root, binary)}: run 'bash ../shared/tools/sid-tools.sh /opt/sid-tools' as root `
        + '(or set ALERTMANAGER_ROOT to the root/ folder of another DIR)');
    }
    const version = execFileSync('chroot', [root, binary, '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(version).toMatch(/^alertmanager, version 0\.33\.1\b/);
  });

  /** One replica, its flags the generated ones with the pod IP ::1 and ports of the test. */
  function replica(dir: string, i: number, web: number, gossip: number, peers: readonly number[], advertise = flag('cluster.advertise-address')) {
    const inRoot = `/tmp/${dir}/${i}`;
    mkdirSync(join(root, inRoot), { recursive: true });
    writeFileSync(join(root, inRoot, 'am.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
    const port = (a: string) => a.replace(/:9094$/, `:${gossip}`);
    return start('chroot', [root, binary, `--config.file=${inRoot}/am.yml`, `--storage.path=${inRoot}/data`,
      `--web.listen-address=[::1]:${web}`,
      `--cluster.listen-address=${port(flag('cluster.listen-address'))}`,
      `--cluster.advertise-address=${port(advertise.replace('$(POD_IP)', '::1'))}`,
      ...peers.map((p) => `--cluster.peer=[::1]:${p}`)]);
  }

  test('the generated flags are Go\'s bracketed host:port', () => {
    expect(flag('cluster.listen-address')).toBe('[::]:9094');
    expect(flag('cluster.advertise-address')).toBe('[$(POD_IP)]:9094');
  });

  test('two replicas started with them on ::1 form one cluster and answer /-/ready', async () => {
    const dir = `ds-ipv6-am-${process.pid}`;
    const base = 23000 + (process.pid % 2000) * 4;
    const a = replica(dir, 0, base, base + 2, [base + 3]);
    const b = replica(dir, 1, base + 1, base + 3, [base + 2]);
    try {
      for (const [am, web] of [[a, base], [b, base + 1]] as const) {
        const ready = await until(`alertmanager ready on [::1]:${web}\n${am.output()}`, () => httpStatus('::1', web, '/-/ready'));
        expect(ready.status).toBe(200);
      }
      const peers = await until('both peers in the cluster', async () => {
        const s = await httpStatus('::1', base, '/api/v2/status');
        const list = s && (JSON.parse(s.body) as { cluster: { peers: { address: string }[] } }).cluster.peers.map((p) => p.address).sort();
        return list && list.length === 2 ? list : undefined;
      });
      expect(peers).toEqual([`[::1]:${base + 2}`, `[::1]:${base + 3}`]);
    } finally {
      a.proc.kill('SIGTERM');
      b.proc.kill('SIGTERM');
      rmSync(join(root, 'tmp', dir), { recursive: true, force: true });
    }
  }, 90_000);

  test('the unbracketed pod IP of an IPv6 cluster stops Alertmanager: the check above can fail', async () => {
    const dir = `ds-ipv6-am-bad-${process.pid}`;
    const base = 27000 + (process.pid % 2000);
    const am = replica(dir, 0, base, base + 1, [], '$(POD_IP):9094');
    try {
      const code = await new Promise<number | null>((r) => am.proc.on('exit', r));
      expect(code).not.toBe(0);
      expect(am.output()).toMatch(/too many colons in address/);
    } finally {
      rmSync(join(root, 'tmp', dir), { recursive: true, force: true });
    }
  }, 30_000);
});
