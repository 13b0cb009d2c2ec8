import { ChildProcess, spawn } from 'child_process';
import { appendFileSync, createWriteStream, mkdirSync, readdirSync, statSync } from 'fs';
import { createServer, get, Server } from 'http';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import { Testing } from 'cdk8s';
import { freePort, realTool, scratchDir, shipperOf, writeShipperConfig } from './workload-files';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { okeFalcoStack } from '../../examples/oke-falco/main';
import { DetectionStack, DetectionStackChartProps } from '../../lib';
import { ShipperPlan, STORED_ALERT_BYTES } from '../../lib/durable/plan';

/**
 * The durable path keeps every alert through a bucket outage and a shipper restart, measured with the real
 * Fluent Bit 5.1.1 and each generated s3 config (EKS: S3; OKE: Object Storage's S3 endpoint). Only paths and
 * addresses are rewritten: the buffer and config folders into a scratch folder, the kubelet's log folder to a fake
 * one, the bucket endpoint and the HTTP server to 127.0.0.1. A fake S3 on 127.0.0.1 (PutObject only, what the
 * config uses) is down at first; alerts are written at a fixed rate into a fake Falco container log (CRI lines);
 * the shipper is restarted in the middle of the outage; then the bucket comes back. Every alert must arrive, none
 * twice (PutObject of whole files: nothing is re-sent unless an upload was cut), and the buffer must hold an alert
 * in no more than the bytes the outage budget assumes. Past the budget, loss is counted in Fluent Bit's metrics.
 */
const FLUENT_BIT = realTool('fluent-bit-5.1.1', 'fluent-bit');
const RATE_PER_SECOND = 5;
const WRITE_SECONDS = 30;
const RESTART_AT_SECONDS = 15;
const BUCKET_BACK_AT_SECONDS = 35;
const ARRIVAL_DEADLINE_SECONDS = 200;
jest.setTimeout(420_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fake S3 bucket: stores what PutObject sends (gzip JSON lines), answers 200. Listens only when `up()` is called. */
class FakeS3 {
  readonly alerts: number[] = [];
  readonly keys: string[] = [];
  private server?: Server;
  constructor(readonly port: number) {}

  up(): Promise<void> {
    this.server = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => {
        if (req.method === 'PUT') {
          this.keys.push(req.url ?? '');
          const text = gunzipSync(Buffer.concat(body)).toString('utf8');
          for (const line of text.split('\n').filter(Boolean)) this.alerts.push(JSON.parse(line).output_fields['evt.num']);
        }
        res.writeHead(200, { ETag: '"fake"' }).end();
      });
    });
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  down(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A Falco alert as Falco 0.44 writes it with the stack's append_output, one JSON line. */
function falcoAlert(seq: number): string {
  const fields = {
    'cluster': 'prod',
    'evt.num': seq,
    'k8s.ns.name': 'billing',
    'k8s.pod.name': 'checkout-7f9c8d6b5-x2x9z',
    'container.name': 'app',
    'container.image.repository': '111122223333.dkr.ecr.eu-west-1.amazonaws.com/billing/checkout',
    'container.image.digest': 'sha256:9b2a4c1e0f5d8a7b6c3e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b',
    'proc.cmdline': 'sh -c curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'proc.exepath': '/bin/sh',
    'proc.pname': 'node',
    'proc.pcmdline': 'node /srv/app/server.js --port 8080',
    'user.name': 'app',
    'user.uid': 1000,
    'thread.cap_effective': '',
    'evt.hostname': 'ip-10-0-12-34.eu-west-1.compute.internal',
    'container.id': '4f1c2b3a9d8e',
  };
  return JSON.stringify({
    hostname: fields['evt.hostname'],
    priority: 'Warning',
    rule: 'DS Shell In Product Container',
    source: 'syscall',
    tags: ['container', 'shell', 'mitre_execution', 'T1059', 'owner:platform-security', 'runbook:ds-shell-in-product-container', 'pack:runtime'],
    time: new Date().toISOString(),
    output: `2026-12-02T05:00:00.000000000+0000: Warning DS Shell In Product Container | ${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ')} `
      + 'runbook=ds-shell-in-product-container',
    output_fields: fields,
  });
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

function metrics(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/api/v2/metrics/prometheus', timeout: 5000 }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

/** The shipper under test: the generated config, made runnable on loopback in `dir`. */
class Shipper {
  private child?: ChildProcess;
  readonly logFile: string;
  readonly logDir: string;
  readonly bufferDir: string;
  private readonly config: string;

  constructor(plan: ShipperPlan, readonly dir: string, bucketPort: number, readonly httpPort: number) {
    this.logDir = join(dir, 'log', 'containers');
    mkdirSync(this.logDir, { recursive: true });
    this.bufferDir = join(dir, 'buffer');
    this.logFile = join(dir, 'fluent-bit.log');
    const fileText = plan.files['fluent-bit.conf'];
    const endpoint = `http://127.0.0.1:${bucketPort}`;
    const withEndpoint = plan.destination.kind === 's3' && plan.destination.endpoint
      ? [[plan.destination.endpoint, endpoint] as [string, string]]
      : [['    Name                       s3\n', `    Name                       s3\n    endpoint                   ${endpoint}\n`] as [string, string]];
    if (!fileText.includes('HTTP_Listen                0.0.0.0') || !fileText.includes(`HTTP_Port                  ${plan.httpPort}`)) {
      throw new Error('the generated config no longer has the HTTP server lines this test moves to loopback');
    }
    this.config = writeShipperConfig(plan, dir, [
      ['/var/log/containers', this.logDir],
      ['HTTP_Listen                0.0.0.0', 'HTTP_Listen                127.0.0.1'],
      [`HTTP_Port                  ${plan.httpPort}`, `HTTP_Port                  ${httpPort}`],
      ...withEndpoint,
    ]);
  }

  start(): void {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.child = spawn(FLUENT_BIT, ['-c', this.config], {
      env: { ...process.env, NODE_NAME: 'node-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.pipe(log);
    this.child.stderr!.pipe(log);
  }

  /** SIGTERM as the kubelet sends it, then wait for the exit (bounded by Grace 30 s in the config). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const deadline = setTimeout(() => child.kill('SIGKILL'), 45_000);
    await exited;
    clearTimeout(deadline);
  }
}

interface OutageResult {
  written: number;
  arrived: number[];
  maxBufferBytesPerAlert: number;
  droppedRecords: string[];
}

/** Runs the outage timeline against one generated config. */
async function outage(name: string, plan: ShipperPlan): Promise<OutageResult> {
  const bucket = new FakeS3(await freePort());
  const shipper = new Shipper(plan, scratchDir(`outage-${name}`), bucket.port, await freePort());
  const log = join(shipper.logDir, 'falco-x7k2p_falco_falco-0123456789abcdef.log');
  let written = 0;
  let maxBufferBytesPerAlert = 0;
  try {
    shipper.start();
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    let restarted = false;
    let bucketUp = false;
    while (elapsed() < BUCKET_BACK_AT_SECONDS) {
      if (elapsed() < WRITE_SECONDS && written < elapsed() * RATE_PER_SECOND) {
        written += 1;
        appendFileSync(log, `${new Date().toISOString()} stdout F ${falcoAlert(written)}\n`);
      }
      if (written > 0 && elapsed() > WRITE_SECONDS + 2) {
        // All written alerts are in the buffer now: the bucket output's store and the engine's queue before it.
        const buffered = dirBytes(join(shipper.bufferDir, 's3')) + dirBytes(join(shipper.bufferDir, 'storage'));
        maxBufferBytesPerAlert = Math.max(maxBufferBytesPerAlert, buffered / written);
      }
      if (!restarted && elapsed() >= RESTART_AT_SECONDS) {
        restarted = true;
        await shipper.stop();
        shipper.start();
      }
      await sleep(1000 / (RATE_PER_SECOND * 2));
    }
    await bucket.up();
    bucketUp = true;
    const waitUntil = Date.now() + ARRIVAL_DEADLINE_SECONDS * 1000;
    while (bucketUp && new Set(bucket.alerts).size < written && Date.now() < waitUntil) await sleep(1000);
    const droppedRecords = (await metrics(shipper.httpPort)).split('\n')
      .filter((l) => /^fluentbit_(output_dropped_records_total|routing_logs_drop_records_total)\{/.test(l));
    return { written, arrived: [...bucket.alerts], maxBufferBytesPerAlert, droppedRecords };
  } finally {
    await shipper.stop();
    await bucket.down();
  }
}

const stacks: [string, ShipperPlan][] = [
  ['eks-teams (S3)', shipperOf(eksTeamsStack(Testing.app()))],
  ['oke-falco (Object Storage S3 endpoint)', shipperOf(okeFalcoStack(Testing.app()))],
];

describe.each(stacks)('%s: a bucket outage with a shipper restart in the middle', (name, plan) => {
  let result: OutageResult;
  beforeAll(async () => {
    result = await outage(name.split(' ')[0], plan);
  });

  test('every alert written during the outage arrives, none twice', () => {
    expect(result.written).toBeGreaterThanOrEqual(RATE_PER_SECOND * WRITE_SECONDS - 1);
    const expected = Array.from({ length: result.written }, (_, i) => i + 1);
    expect([...new Set(result.arrived)].sort((a, b) => a - b)).toEqual(expected);
    expect(result.arrived.length).toBe(result.written);
  });

  test('nothing was dropped, and the buffer holds an alert in no more than the bytes the budget assumes', () => {
    process.stdout.write(`${name}: ${result.maxBufferBytesPerAlert.toFixed(0)} bytes per alert in the buffer\n`);
    expect(result.droppedRecords.some((l) => l.startsWith('fluentbit_output_dropped_records_total{'))).toBe(true);
    for (const line of result.droppedRecords) expect(line).toMatch(/ 0$/);
    expect(result.maxBufferBytesPerAlert).toBeGreaterThan(0);
    expect(result.maxBufferBytesPerAlert).toBeLessThanOrEqual(STORED_ALERT_BYTES);
    expect(plan.outageBudget.bytesPerAlert).toBe(STORED_ALERT_BYTES);
  });
});

/** A metric's value (the sum over its label sets), 0 when absent. */
function metricValue(text: string, name: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe('past the budget, it shows in the shipper metrics, not silently', () => {
  const props: DetectionStackChartProps = {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    durable: { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } }, buffer: { bytes: '64K', alertsPerSecond: 5 } },
  };
  const plan = shipperOf(new DetectionStack(Testing.app(), 'tiny', props));

  // Within the budget the s3 output takes every chunk into its store at once, so the engine retries nothing; once the
  // store is full it refuses chunks ("Buffer is full"), and fluentbit_output_retries_total counts each refusal. What
  // is then lost is counted in fluentbit_output_dropped_records_total / fluentbit_routing_logs_drop_records_total.
  test('with the bucket down and the 64K buffer full, fluentbit_output_retries_total counts the refused chunks', async () => {
    const shipper = new Shipper(plan, scratchDir('outage-full'), await freePort(), await freePort());
    const log = join(shipper.logDir, 'falco-x7k2p_falco_falco-0123456789abcdef.log');
    try {
      shipper.start();
      for (let i = 1; i <= 400; i++) {
        appendFileSync(log, `${new Date().toISOString()} stdout F ${falcoAlert(i)}\n`);
        if (i % 20 === 0) await sleep(500);
      }
      let refused = 0;
      const until = Date.now() + 60_000;
      while (refused === 0 && Date.now() < until) {
        await sleep(2000);
        refused = metricValue(await metrics(shipper.httpPort), 'fluentbit_output_retries_total');
      }
      expect(refused).toBeGreaterThan(0);
      expect(plan.outageBudget.hours).toBeLessThan(0.01);
    } finally {
      await shipper.stop();
    }
  });
});
