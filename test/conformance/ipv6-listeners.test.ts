import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ALERTMANAGER_BINARY, ALERTMANAGER_ROOT, expectAlertmanager, httpCall, start, stopAll, until } from './alertmanager-support';
import { realTool, run, scratchDir } from './workload-files';
import { falcoConfig } from '../../lib/falco/sensor/render';
import type { StackPlan } from '../../lib/stack/plan';
import { fullEksProps, stackPlan } from '../monitoring/fixtures';

/**
 * IPv6-only and dual-stack clusters (`cluster.ipFamily: 'IPv6'`), judged by the real programs on the loopback:
 * - Fluent Bit 5.1.1 serves its health endpoint on the generated `HTTP_Listen` (`::`: IPv6 and IPv4 both);
 * - Falco 0.44.1 accepts the generated `webserver.listen_address` (`::`) and refuses a bracketed one. This build is
 *   MINIMAL_BUILD (../shared/tools/falco-0.44.1/build.sh), which has no webserver, so the bind itself is not run here;
 * - Alertmanager 0.33.1 with the generated `--cluster.listen-address`/`--cluster.advertise-address`: two replicas form
 *   one cluster on 127.0.0.1 (IPv4) and on ::1 (IPv6); the IPv6 listener `[::]` also takes an IPv4 peer (dual-stack),
 *   the unbracketed IPv6 form stops it ("too many colons").
 * The deployed image is Alertmanager v0.34.0 (lib/core/images.ts); what is judged here is the same in it: prometheus/alertmanager
 * `git diff v0.33.1 v0.34.0 -- cluster/` is empty, and cmd/alertmanager/main.go v0.34.0 l.72-76 keeps the three flags.
 * Alertmanager: see alertmanager-support.ts.
 */
const IPV6: StackPlan = stackPlan({ ...fullEksProps(), cluster: { ...fullEksProps().cluster, ipFamily: 'IPv6' } });

const httpStatus = (host: string, port: number, path: string) => httpCall(host, port, path);
afterAll(stopAll);

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

describe('Alertmanager 0.33.1: the cluster addresses per family (IPv4, IPv6-only, dual-stack)', () => {
  const root = ALERTMANAGER_ROOT;
  const binary = ALERTMANAGER_BINARY;
  const IPV4: StackPlan = stackPlan(fullEksProps());
  const flagsOf = (plan: StackPlan) => {
    const args = plan.routing!.alertmanager!.workload!.pod.containers[0]?.args ?? [];
    const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))!.slice(name.length + 3);
    return { listen: flag('cluster.listen-address'), advertise: flag('cluster.advertise-address') };
  };
  const V4 = flagsOf(IPV4);
  const V6 = flagsOf(IPV6);

  beforeAll(expectAlertmanager);

  interface Replica {
    readonly flags: { readonly listen: string; readonly advertise: string };
    readonly podIP: string;
    readonly peers: readonly string[];
  }
  type Gossip = readonly [number, number];
  /**
   * One replica: the generated cluster flags with the test's ports and `podIP` for $(POD_IP); `peers` are `host:port`
   * as 0.33.1 gets them once it has resolved the --cluster.peer names (cluster/cluster.go resolvePeers).
   */
  function replica(dir: string, i: number, web: number, gossip: number, r: Replica) {
    const inRoot = `/tmp/${dir}/${i}`;
    mkdirSync(join(root, inRoot), { recursive: true });
    writeFileSync(join(root, inRoot, 'am.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
    const port = (a: string) => a.replace(/:9094$/, `:${gossip}`);
    return start('chroot', [root, binary, `--config.file=${inRoot}/am.yml`, `--storage.path=${inRoot}/data`,
      `--web.listen-address=127.0.0.1:${web}`,
      `--cluster.listen-address=${port(r.flags.listen)}`,
      `--cluster.advertise-address=${port(r.flags.advertise.replace('$(POD_IP)', r.podIP))}`,
      ...r.peers.map((p) => `--cluster.peer=${p}`)]);
  }

  async function peersOf(web: number): Promise<string[] | undefined> {
    const s = await httpStatus('127.0.0.1', web, '/api/v2/status');
    return s && (JSON.parse(s.body) as { cluster: { peers: { address: string }[] } }).cluster.peers.map((p) => p.address).sort();
  }

  /** Two replicas; resolves to the peers each one sees once both are ready and (when `joined`) have found each other. */
  async function pair(name: string, base: number, a: (gossip: Gossip) => Replica, b: (gossip: Gossip) => Replica,
    joined: boolean): Promise<{ peers: string[][]; logs: string[] }> {
    const dir = `ds-am-${name}-${process.pid}`;
    const gossip = [base + 2, base + 3] as const;
    const ams = [replica(dir, 0, base, gossip[0], a(gossip)), replica(dir, 1, base + 1, gossip[1], b(gossip))];
    try {
      for (const [i, am] of ams.entries()) {
        const ready = await until(`alertmanager ready on 127.0.0.1:${base + i}\n${am.output()}`, () => httpStatus('127.0.0.1', base + i, '/-/ready'));
        expect(ready.status).toBe(200);
      }
      if (!joined) await new Promise((r) => setTimeout(r, 5000));
      const peers = await Promise.all([0, 1].map((i) => until(`the peers of replica ${i}\n${ams[i].output()}`, async () => {
        const list = await peersOf(base + i);
        return list && (!joined || list.length === 2) ? list : undefined;
      })));
      return { peers, logs: ams.map((am) => am.output()) };
    } finally {
      ams.forEach((am) => am.proc.kill('SIGTERM'));
      rmSync(join(root, 'tmp', dir), { recursive: true, force: true });
    }
  }
  const portBase = (slot: number) => 23000 + (process.pid % 1000) * 16 + slot * 4;

  test('the generated flags: Go\'s host:port, bracketed for IPv6; the peers\' headless Service of the same family', () => {
    expect(V4).toEqual({ listen: '0.0.0.0:9094', advertise: '$(POD_IP):9094' });
    expect(V6).toEqual({ listen: '[::]:9094', advertise: '[$(POD_IP)]:9094' });
    expect(IPV4.routing!.alertmanager!.workload!.services.find((s) => s.headless)!.ipFamily).toBe('IPv4');
    expect(IPV6.routing!.alertmanager!.workload!.services.find((s) => s.headless)!.ipFamily).toBe('IPv6');
  });

  test('IPv4: two replicas with the generated flags on 127.0.0.1 form one cluster', async () => {
    const base = portBase(0);
    const v4 = (self: 0 | 1) => (g: Gossip): Replica => ({ flags: V4, podIP: '127.0.0.1', peers: [`127.0.0.1:${g[1 - self]}`] });
    const { peers } = await pair('v4', base, v4(0), v4(1), true);
    expect(peers).toEqual([[`127.0.0.1:${base + 2}`, `127.0.0.1:${base + 3}`], [`127.0.0.1:${base + 2}`, `127.0.0.1:${base + 3}`]]);
  }, 90_000);

  test('IPv6: two replicas with the generated flags on ::1 form one cluster', async () => {
    const base = portBase(1);
    const v6 = (self: 0 | 1) => (g: Gossip): Replica => ({ flags: V6, podIP: '::1', peers: [`[::1]:${g[1 - self]}`] });
    const { peers } = await pair('v6', base, v6(0), v6(1), true);
    expect(peers).toEqual([[`[::1]:${base + 2}`, `[::1]:${base + 3}`], [`[::1]:${base + 2}`, `[::1]:${base + 3}`]]);
  }, 90_000);

  test('dual-stack: the IPv6 flags take both families, replicas advertising ::1 and 127.0.0.1 form one cluster', async () => {
    const base = portBase(2);
    // [::] is one dual-stack socket (TCP and UDP); [127.0.0.1]:port is Go's host:port too.
    const { peers } = await pair('dual', base,
      (g) => ({ flags: V6, podIP: '::1', peers: [`127.0.0.1:${g[1]}`] }),
      (g) => ({ flags: V6, podIP: '127.0.0.1', peers: [`127.0.0.1:${g[0]}`] }), true);
    expect(peers).toEqual([[`127.0.0.1:${base + 3}`, `[::1]:${base + 2}`], [`127.0.0.1:${base + 3}`, `[::1]:${base + 2}`]]);
  }, 90_000);

  test('the unbracketed pod IP of an IPv6 cluster stops Alertmanager: the bracketed form above is needed', async () => {
    const dir = `ds-ipv6-am-bad-${process.pid}`;
    const base = portBase(4);
    const am = replica(dir, 0, base, base + 1, { flags: { ...V6, advertise: '$(POD_IP):9094' }, podIP: '::1', peers: [] });
    try {
      const code = await new Promise<number | null>((r) => am.proc.on('exit', r));
      expect(code).not.toBe(0);
      expect(am.output()).toMatch(/too many colons in address/);
    } finally {
      rmSync(join(root, 'tmp', dir), { recursive: true, force: true });
    }
  }, 30_000);
});
