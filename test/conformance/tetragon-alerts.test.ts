import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import { Testing } from 'cdk8s';
import { routesFor, writeConfig } from './amtool-support';
import { kprobeEvent, processOf } from './tetragon-export';
import { freePort, realTool, scratchDir, shipperOf, writeShipperConfig } from './workload-files';
import { EKS_TETRAGON, eksTetragonStack } from '../../examples/eks-tetragon/main';
import { DetectionStack } from '../../lib';

/**
 * Tetragon's alerts on the same path as Falco's, judged by the real Fluent Bit 5.1.1 with the eks-tetragon example's
 * generated config (only paths and addresses moved to a scratch folder and 127.0.0.1) and by amtool 0.33.1 with its
 * generated alertmanager.yml. The input is Tetragon's JSON export as Tetragon 1.7.0 writes it: one protojson
 * GetEventsResponse a line with the proto field names (cilium/tetragon v1.7.0, pkg/encoder/encoder.go
 * `UseProtoNames: true`; api/v1/tetragon/events.proto GetEventsResponse, tetragon.proto ProcessKprobe, Process, Pod,
 * Container, Image; UInt32Value fields are JSON numbers, Timestamps RFC 3339 strings).
 */
const FLUENT_BIT = realTool('fluent-bit-5.1.1', 'fluent-bit');
jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const EVENTS = [
  kprobeEvent('ds-shell-in-container', 'billing', '/bin/bash', '-c id', 'ZXhlYy0x', 'security_bprm_check'),
  kprobeEvent('ds-ptrace', 'identity', '/usr/bin/gdb', '-p 1', 'ZXhlYy0y', '__x64_sys_ptrace'),
  // Not alerts: an exec event (every exec is exported) and a policy event of a policy the stack does not own.
  JSON.stringify({ process_exec: { process: processOf('billing', 'billing-api-7f9c8d6b5-x2x9z', '/bin/ls', '-l', 'ZXhlYy0z') }, node_name: 'ip-10-0-12-34.ec2.internal', time: '2026-12-02T05:00:02Z' }),
  kprobeEvent('someone-elses-policy', 'billing', '/bin/sh', '', 'ZXhlYy00', 'security_bprm_check'),
];

/** Records what the bucket (PutObject, gzip JSON lines) and the Alertmanagers (POST /api/v2/alerts) receive. */
class Capture {
  readonly objects: { key: string; records: Record<string, unknown>[] }[] = [];
  readonly posts: { url: string; body: unknown }[] = [];
  private server?: Server;
  port = 0;

  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.method === 'PUT') {
          const lines = gunzipSync(body).toString('utf8').split('\n').filter(Boolean);
          this.objects.push({ key: req.url ?? '', records: lines.map((l) => JSON.parse(l)) });
        } else if (req.method === 'POST') {
          this.posts.push({ url: req.url ?? '', body: JSON.parse(body.toString('utf8')) });
        }
        res.writeHead(200, { 'ETag': '"fake"', 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  down(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

const chart = eksTetragonStack(Testing.app());
const plan = shipperOf(chart);
const am = chart.plan.routing?.alertmanager;

let capture: Capture;
beforeAll(async () => {
  capture = new Capture();
  await capture.up();
  const dir = scratchDir('tetragon-alerts');
  const exportFile = join(dir, 'tetragon.log');
  writeFileSync(exportFile, `${EVENTS.join('\n')}\n`);
  const text = plan.files['fluent-bit.conf'];
  const amHosts = [...text.matchAll(/^ {4}Host {23}(\S+)$/gm)].map((m) => m[1]);
  if (amHosts.length !== 2 || !text.includes('    Port                       9093')) throw new Error('the config no longer has the two Alertmanager outputs this test moves to loopback');
  const config = writeShipperConfig(plan, dir, [
    [chart.plan.tetragon!.exportHostPath, exportFile],
    ['HTTP_Listen                0.0.0.0', 'HTTP_Listen                127.0.0.1'],
    ['HTTP_Port                  2020', `HTTP_Port                  ${await freePort()}`],
    ['    Name                       s3\n', `    Name                       s3\n    endpoint                   http://127.0.0.1:${capture.port}\n`],
    ...amHosts.map((h): [string, string] => [h, '127.0.0.1']),
    ['    Port                       9093', `    Port                       ${capture.port}`],
  ]);
  const log = createWriteStream(join(dir, 'fluent-bit.log'));
  const child: ChildProcess = spawn(FLUENT_BIT, ['-c', config], {
    env: { ...process.env, NODE_NAME: 'ip-10-0-12-34.ec2.internal', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const until = Date.now() + 40_000;
  while (capture.posts.length < 2 && Date.now() < until) await sleep(500);
  // The s3 output uploads what it holds when Fluent Bit stops (SIGTERM, as the kubelet sends it).
  const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  child.kill('SIGTERM');
  const deadline = setTimeout(() => child.kill('SIGKILL'), 40_000);
  await exited;
  clearTimeout(deadline);
  await capture.down();
  process.stdout.write(readFileSync(join(dir, 'fluent-bit.log'), 'utf8').split('\n').filter((l) => /\[\s*(error|warn)\]/.test(l)).join('\n'));
});

const alertObjects = () => capture.objects.filter((o) => o.key.includes('/tetragon-alerts/'));
const rawObjects = () => capture.objects.filter((o) => o.key.includes('/tetragon/'));

test('the bucket keeps every raw Tetragon event, unwrapped, under tetragon/', () => {
  const raw = rawObjects().flatMap((o) => o.records);
  expect(raw).toHaveLength(EVENTS.length);
  expect(raw.map((r) => Object.keys(r).find((k) => k.startsWith('process_')))).toEqual(['process_kprobe', 'process_kprobe', 'process_exec', 'process_kprobe']);
  expect(raw[0]).toMatchObject({ cluster: 'prod-us', node_name: 'ip-10-0-12-34.ec2.internal', time: '2026-12-02T05:00:01.987654321Z' });
});

test('each policy event of a deployed detection is also an alert shaped like Falco\'s, with its owner and investigation fields', () => {
  const alerts = alertObjects().flatMap((o) => o.records);
  expect(alerts.map((a) => a.rule).sort()).toEqual([
    'A process attached to or wrote into another process with ptrace',
    'A shell was started in a container',
  ]);
  const shell = alerts.find((a) => a.rule === 'A shell was started in a container')!;
  expect(shell).toEqual({
    time: '2026-12-02T05:00:01.987654321Z',
    hostname: 'ip-10-0-12-34.ec2.internal',
    source: 'tetragon',
    rule: 'A shell was started in a container',
    priority: 'Warning',
    owner: 'platform-security',
    tags: ['detection-stack', 'pattern:shell-in-container', 'mitre:T1059.004', 'owner:platform-security', 'detection:shell-in-container'],
    output: 'A shell was started in a container | detection=shell-in-container owner=platform-security',
    cluster: 'prod-us',
    node_name: 'ip-10-0-12-34.ec2.internal',
    output_fields: {
      'tetragon.event': 'process_kprobe',
      'k8s.ns.name': 'billing',
      'k8s.pod.name': 'billing-api-7f9c8d6b5-x2x9z',
      'container.name': 'app',
      'container.full_id': 'containerd://5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f',
      'container.image': 'registry.example.com/billing/app:1.4.2',
      'tetragon.image_id': 'registry.example.com/billing/app@sha256:9b2a4c1e0f5d8a7b6c3e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b',
      'tetragon.workload': 'billing-api',
      'tetragon.workload_kind': 'Deployment',
      'proc.exepath': '/bin/bash',
      'proc.args': '-c id',
      'proc.cwd': '/srv',
      'proc.pid': 48213,
      'user.uid': 0,
      'user.loginuid': 4294967295,
      'tetragon.exec_id': 'ZXhlYy0x',
      'proc.pexepath': '/usr/bin/node',
      'tetragon.parent_arguments': 'server.js',
      'tetragon.parent_exec_id': 'ZXhlYy0x-parent',
      'tetragon.policy_name': 'ds-shell-in-container',
      'tetragon.function_name': 'security_bprm_check',
      'tetragon.action': 'KPROBE_ACTION_POST',
      'tetragon.args': [{ linux_binprm_arg: { path: '/bin/bash', permission: '-rwxr-xr-x' } }],
      'tetragon.message': 'from the policy',
      'evt.hostname': 'ip-10-0-12-34.ec2.internal',
      'cluster': 'prod-us',
    },
  });
});

describe('the routed copies reach every Alertmanager in its API\'s shape and the owning team\'s receiver', () => {
  const postedAlerts = () => capture.posts.map((p) => p.body as { labels: Record<string, string>; annotations: Record<string, string> }[]);

  test('each instance gets a JSON array of postableAlert objects (labels and annotations, string values only)', () => {
    expect(capture.posts.map((p) => p.url)).toEqual(['/api/v2/alerts', '/api/v2/alerts']);
    for (const batch of postedAlerts()) {
      expect(Array.isArray(batch)).toBe(true);
      expect(batch).toHaveLength(2);
      for (const a of batch) {
        expect(Object.keys(a).sort()).toEqual(['annotations', 'labels']);
        for (const v of [...Object.values(a.labels), ...Object.values(a.annotations)]) expect(typeof v).toBe('string');
      }
    }
  });

  test('the labels are Falcosidekick\'s: the team routes match on them as on Falco\'s alerts', () => {
    const shell = postedAlerts()[0].find((a) => a.labels.rule === 'A shell was started in a container')!;
    expect(shell.labels).toEqual({
      alertname: 'A shell was started in a container',
      rule: 'A shell was started in a container',
      priority: 'Warning',
      severity: 'warning',
      owner: 'platform-security',
      source: 'tetragon',
      eventsource: 'tetragon',
      tags: 'detection-stack,detection:shell-in-container,mitre:T1059.004,owner:platform-security,pattern:shell-in-container',
      cluster: 'prod-us',
      k8s_ns_name: 'billing',
      k8s_pod_name: 'billing-api-7f9c8d6b5-x2x9z',
      container_name: 'app',
      container_image: 'registry.example.com/billing/app:1.4.2',
      proc_exepath: '/bin/bash',
      evt_hostname: 'ip-10-0-12-34.ec2.internal',
      hostname: 'ip-10-0-12-34.ec2.internal',
    });
    expect(shell.annotations).toEqual({
      summary: 'A shell was started in a container',
      description: 'A shell was started in a container | detection=shell-in-container owner=platform-security',
    });
  });

  test('amtool routes each posted alert, as posted, to the team that owns its namespace', () => {
    const { file } = writeConfig('eks-tetragon', am!);
    const byNamespace = Object.fromEntries(postedAlerts()[0].map((a) => [a.labels.k8s_ns_name, routesFor(file, a.labels)]));
    expect(byNamespace).toEqual({ billing: ['payments-pagerduty'], identity: ['identity-email'] });
  });

  test('with routing.routeBy owner-first, amtool routes each posted alert to the detection\'s owner wherever it was raised', () => {
    // The same stack with a team for the detections' owner and owner-first routing; the alerts are the ones the real
    // Fluent Bit posted above (the owner travels in the `tags` label as Falcosidekick sends it: sorted, comma-joined).
    const props = EKS_TETRAGON;
    const routing = props.routing!;
    const ownerFirst = new DetectionStack(Testing.app(), 'eks-tetragon-owner-first', {
      ...props,
      routing: {
        ...routing,
        routeBy: 'owner-first',
        teams: [...routing.teams!, { name: 'platform-security', namespaces: ['security'], receivers: { pagerDuty: [{ routingKey: { name: 'ps-pagerduty', key: 'routing-key' }, minimumPriority: 'Warning' }] } }],
      },
    }).plan.routing!.alertmanager!;
    const { file } = writeConfig('eks-tetragon-owner-first', ownerFirst);
    const posted = postedAlerts()[0];
    expect(posted.map((a) => a.labels.tags.split(',').filter((t) => t.startsWith('owner:')))).toEqual([['owner:platform-security'], ['owner:platform-security']]);
    expect(Object.fromEntries(posted.map((a) => [a.labels.k8s_ns_name, routesFor(file, a.labels)])))
      .toEqual({ billing: ['platform-security-pagerduty'], identity: ['platform-security-pagerduty'] });
    // Without an owner tag the namespace still decides (the same alert, its owner tag taken out).
    const untagged = { ...posted[0].labels, tags: posted[0].labels.tags.split(',').filter((t) => !t.startsWith('owner:')).join(',') };
    expect(routesFor(file, untagged)).toEqual(['payments-pagerduty']);
  });
});
