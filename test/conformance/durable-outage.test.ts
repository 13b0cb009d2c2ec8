import { ChildProcess, spawn } from 'child_process';
import { appendFileSync, createWriteStream, mkdirSync, readdirSync, readFileSync, statSync } from 'fs';
import { createServer, get, IncomingMessage, Server, ServerResponse } from 'http';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import { Testing } from 'cdk8s';
import { EXTRA_STACKS, freePort, realTool, scratchDir, shipperOf, writeShipperConfig } from './workload-files';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { okeFalcoStack } from '../../examples/oke-falco/main';
import { DetectionStack, DetectionStackChartProps } from '../../lib';
import { ShipperPlan, STORED_ALERT_BYTES } from '../../lib/durable/plan';
import { METRICS } from '../../lib/monitoring/metrics';

/**
 * The durable path keeps every alert through a bucket outage and a shipper restart, measured with the real
 * Fluent Bit 5.1.1 and each generated bucket config (EKS: S3; OKE: Object Storage's S3 endpoint; AKS: azure_blob with
 * a SAS token and with a shared key). Only paths and addresses are rewritten: the buffer and config folders into a
 * scratch folder, the kubelet's log folder to a fake one, the bucket endpoint and the HTTP server to 127.0.0.1. A fake
 * bucket on 127.0.0.1 (S3 PutObject, or Blob Storage's Put Block + Put Block List: what the configs use) is down at
 * first; alerts are written at a fixed rate into a fake Falco container log (CRI lines); the shipper is restarted in
 * the middle of the outage; then the bucket comes back. Every alert must arrive, none twice (whole objects, and a
 * block blob is visible only once its block list is committed: nothing is stored twice unless an answer was cut after
 * the bucket stored it), and the buffer must hold an alert in no more than the bytes the outage budget assumes. Past
 * the budget, loss is counted in Fluent Bit's metrics.
 */
const FLUENT_BIT = realTool('fluent-bit-5.1.1', 'fluent-bit');
const RATE_PER_SECOND = 5;
const WRITE_SECONDS = 30;
const RESTART_AT_SECONDS = 15;
const BUCKET_BACK_AT_SECONDS = 35;
const ARRIVAL_DEADLINE_SECONDS = 200;
jest.setTimeout(420_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fake bucket on 127.0.0.1: listens only when `up()` is called; `alerts` are the `evt.num` of every stored alert. */
abstract class FakeBucket {
  readonly alerts: number[] = [];
  /** The names of the stored objects (S3 keys, committed blob paths). */
  readonly keys: string[] = [];
  /** Requests refused for missing credentials (a config that would be refused by the real bucket). */
  readonly refused: string[] = [];
  private server?: Server;
  constructor(readonly port: number) {}

  protected abstract handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void;

  protected store(key: string, jsonLines: string): void {
    this.keys.push(key);
    for (const line of jsonLines.split('\n').filter(Boolean)) this.alerts.push(JSON.parse(line).output_fields['evt.num']);
  }

  up(): Promise<void> {
    this.server = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(body), res));
    });
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  down(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** S3: stores what PutObject sends (gzip JSON lines), answers 200. */
class FakeS3 extends FakeBucket {
  protected handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    if (req.method === 'PUT') this.store(req.url ?? '', gunzipSync(body).toString('utf8'));
    res.writeHead(200, { ETag: '"fake"' }).end();
  }
}

/**
 * Azure Blob Storage as Fluent Bit 5.1.1's azure_blob output uses it with `blob_type blockblob` and no
 * `buffering_enabled` (fluent/fluent-bit v5.1.1 plugins/out_azure_blob/azure_blob.c `send_blob`, and
 * azure_blob_blockblob.c): one chunk is one Put Block (`PUT /<container>/<path>/<tag>.<random>.<ms>?blockid=<id>
 * &comp=block`, body JSON lines, 201 Created) and then one Put Block List (`?comp=blocklist`, body
 * `<BlockList><Latest>id</Latest></BlockList>`, 201 Created). As in Blob Storage, a staged block is not stored data:
 * only a committed block list makes the blob exist, so a chunk whose commit failed and was retried under a new name
 * is stored once. Requests without the SAS token (in the query) or a SharedKey Authorization header are refused
 * with 403, as the real service does.
 */
class FakeBlob extends FakeBucket {
  private readonly staged = new Map<string, Buffer>();
  constructor(port: number, readonly auth: 'sas' | 'key', readonly account: string) {
    super(port);
  }

  protected handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorized = this.auth === 'sas'
      ? url.searchParams.get('sig') === 'placeholder' && url.searchParams.get('sp') === 'cw'
      : (req.headers.authorization ?? '').startsWith(`SharedKey ${this.account}:`);
    if (!authorized) {
      this.refused.push(`${req.method} ${url.pathname}`);
      res.writeHead(403).end('<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code></Error>');
      return;
    }
    const comp = url.searchParams.get('comp');
    if (req.method === 'PUT' && comp === 'block') {
      this.staged.set(`${url.pathname} ${url.searchParams.get('blockid')}`, body);
      res.writeHead(201).end();
    } else if (req.method === 'PUT' && comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<Latest>([^<]+)<\/Latest>/g)].map((m) => m[1]);
      const blocks = ids.map((id) => this.staged.get(`${url.pathname} ${id}`));
      if (ids.length === 0 || blocks.some((b) => !b)) {
        res.writeHead(400).end('<?xml version="1.0"?><Error><Code>InvalidBlockList</Code></Error>');
        return;
      }
      this.store(url.pathname, Buffer.concat(blocks as Buffer[]).toString('utf8'));
      res.writeHead(201).end();
    } else {
      res.writeHead(400).end();
    }
  }
}

/** The shipper's credentials, placeholders read from its environment as the DaemonSet reads them from the Secret. */
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_EC2_METADATA_DISABLED: 'true',
  // A container-scoped create/write SAS, as the README advises (sp=cw, sr=c).
  AZURE_BLOB_SAS_TOKEN: 'sv=2022-11-02&sr=c&sp=cw&se=2030-01-01T00:00:00Z&sig=placeholder',
  AZURE_BLOB_SHARED_KEY: Buffer.from('placeholder-key').toString('base64'),
};

/** The fake bucket a generated config ships to. */
function fakeBucketFor(plan: ShipperPlan, port: number): FakeBucket {
  const d = plan.destination;
  return d.kind === 's3' ? new FakeS3(port) : new FakeBlob(port, d.auth, d.storageAccount);
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
  /** The folders that hold what the shipper has not yet uploaded. */
  readonly bufferDirs: readonly string[];
  /** How each stopped run ended: `exit <code>` or `signal <name>`. */
  readonly exits: string[] = [];
  private readonly config: string;

  constructor(plan: ShipperPlan, readonly dir: string, bucketPort: number, readonly httpPort: number) {
    this.logDir = join(dir, 'log', 'containers');
    mkdirSync(this.logDir, { recursive: true });
    this.bufferDir = join(dir, 'buffer');
    this.logFile = join(dir, 'fluent-bit.log');
    const fileText = plan.files['fluent-bit.conf'];
    const endpoint = `http://127.0.0.1:${bucketPort}`;
    const d = plan.destination;
    let withEndpoint: [string, string];
    if (d.kind === 's3') {
      withEndpoint = d.endpoint ? [d.endpoint, endpoint] : ['    Name                       s3\n', `    Name                       s3\n    endpoint                   ${endpoint}\n`];
    } else {
      // Blob Storage at a custom endpoint (what Azurite uses): plain HTTP when the endpoint is http://.
      withEndpoint = ['    Name                       azure_blob\n', `    Name                       azure_blob\n    endpoint                   ${endpoint}\n`];
    }
    if (!fileText.includes(withEndpoint[0])) throw new Error(`the generated config no longer has the line this test rewrites: ${withEndpoint[0]}`);
    // The buffer: the engine's disk queue, and the s3 output's own store beside it.
    this.bufferDirs = [join(this.bufferDir, 'storage'), ...(d.kind === 's3' ? [join(this.bufferDir, 's3')] : [])];
    if (!fileText.includes('HTTP_Listen                0.0.0.0') || !fileText.includes(`HTTP_Port                  ${plan.httpPort}`)) {
      throw new Error('the generated config no longer has the HTTP server lines this test moves to loopback');
    }
    this.config = writeShipperConfig(plan, dir, [
      ['/var/log/containers', this.logDir],
      ['HTTP_Listen                0.0.0.0', 'HTTP_Listen                127.0.0.1'],
      [`HTTP_Port                  ${plan.httpPort}`, `HTTP_Port                  ${httpPort}`],
      withEndpoint,
    ]);
  }

  start(): void {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.child = spawn(FLUENT_BIT, ['-c', this.config], {
      env: { ...process.env, NODE_NAME: 'node-1', ...CREDENTIALS },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.pipe(log);
    this.child.stderr!.pipe(log);
  }

  /** SIGTERM as the kubelet sends it, then wait for the exit (bounded by Grace 30 s in the config). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', (code, signal) => {
      this.exits.push(signal ? `signal ${signal}` : `exit ${code}`);
      r();
    }));
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
  keys: string[];
  refused: string[];
  exits: string[];
  logFile: string;
}

/** Runs the outage timeline against one generated config. */
async function outage(name: string, plan: ShipperPlan): Promise<OutageResult> {
  const bucket = fakeBucketFor(plan, await freePort());
  const shipper = new Shipper(plan, scratchDir(`outage-${name}`), bucket.port, await freePort());
  const log = join(shipper.logDir, 'falco-x7k2p_falco_falco-0123456789abcdef.log');
  let written = 0;
  let maxBufferBytesPerAlert = 0;
  try {
    shipper.start();
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    // The restart runs beside the writer, as a DaemonSet's pod is replaced while Falco goes on writing: SIGTERM, the
    // old process's grace period (up to Grace 30 s while chunks are pending), then the new process.
    let restart: Promise<void> | undefined;
    let restartDone = false;
    while (elapsed() < BUCKET_BACK_AT_SECONDS || !restartDone) {
      if (elapsed() < WRITE_SECONDS && written < elapsed() * RATE_PER_SECOND) {
        written += 1;
        appendFileSync(log, `${new Date().toISOString()} stdout F ${falcoAlert(written)}\n`);
      }
      if (restartDone && written > 0 && elapsed() > WRITE_SECONDS + 2) {
        // All written alerts are in the buffer now: the bucket output's store and the engine's queue before it.
        const buffered = shipper.bufferDirs.reduce((sum, dir) => sum + dirBytes(dir), 0);
        maxBufferBytesPerAlert = Math.max(maxBufferBytesPerAlert, buffered / written);
      }
      if (!restart && elapsed() >= RESTART_AT_SECONDS) {
        restart = shipper.stop().then(() => {
          shipper.start();
          restartDone = true;
        });
      }
      await sleep(1000 / (RATE_PER_SECOND * 2));
    }
    // The shipper has read everything into its buffer before the bucket comes back.
    await sleep(5000);
    const buffered = shipper.bufferDirs.reduce((sum, dir) => sum + dirBytes(dir), 0);
    maxBufferBytesPerAlert = Math.max(maxBufferBytesPerAlert, buffered / written);
    await bucket.up();
    const waitUntil = Date.now() + ARRIVAL_DEADLINE_SECONDS * 1000;
    while (new Set(bucket.alerts).size < written && Date.now() < waitUntil) await sleep(1000);
    const droppedRecords = (await metrics(shipper.httpPort)).split('\n')
      .filter((l) => /^fluentbit_(output_dropped_records_total|routing_logs_drop_records_total)\{/.test(l));
    await shipper.stop();
    return {
      written,
      arrived: [...bucket.alerts],
      maxBufferBytesPerAlert,
      droppedRecords,
      keys: [...bucket.keys],
      refused: [...bucket.refused],
      exits: [...shipper.exits],
      logFile: shipper.logFile,
    };
  } finally {
    await shipper.stop();
    await bucket.down();
  }
}

const aksShipper = (name: string) => shipperOf(new DetectionStack(Testing.app(), name, EXTRA_STACKS[name]));
const stacks: [string, ShipperPlan][] = [
  ['eks-teams (S3)', shipperOf(eksTeamsStack(Testing.app()))],
  ['oke-falco (Object Storage S3 endpoint)', shipperOf(okeFalcoStack(Testing.app()))],
  ['aks-blob-sas (azure_blob, SAS token)', aksShipper('aks-blob-sas')],
  ['aks-blob-key (azure_blob, shared key)', aksShipper('aks-blob-key')],
];

/** Where the generated config puts the objects: the s3 key format's prefix, or the container and blob path. */
function objectPrefix(plan: ShipperPlan): string {
  const d = plan.destination;
  return d.kind === 's3' ? `/${d.bucket}/${d.prefix}/falco/` : `/${d.container}/${d.prefix}/alerts.falco.`;
}

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

  test('the bucket took every request with the credentials, under the configured prefix, and the shipper stopped cleanly', () => {
    expect(result.refused).toEqual([]);
    expect(result.keys.length).toBeGreaterThan(0);
    for (const key of result.keys) expect(key.slice(0, objectPrefix(plan).length)).toBe(objectPrefix(plan));
    // Both runs (the restart, the end) ended on SIGTERM within the grace period, not by a crash or a SIGKILL.
    expect(result.exits).toEqual(['exit 0', 'exit 0']);
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

/** Alerts written past the budget: about 800 KB, far more than twice a 64K buffer. */
const OUTAGE_ALERTS = 400;

/** A shipper whose bucket never answers, filled as `writeAlertsUntil` does; the last count. */
async function fillWithBucketDown(plan: ShipperPlan, name: string, count: (metricsText: string) => number): Promise<number> {
  const shipper = new Shipper(plan, scratchDir(name), await freePort(), await freePort());
  try {
    shipper.start();
    return await writeAlertsUntil(shipper, count);
  } finally {
    await shipper.stop();
  }
}

/** Writes `OUTAGE_ALERTS` alerts into a started shipper, then polls its metrics until `count` is above 0 (a minute at most). */
async function writeAlertsUntil(shipper: Shipper, count: (metricsText: string) => number): Promise<number> {
  const log = join(shipper.logDir, 'falco-x7k2p_falco_falco-0123456789abcdef.log');
  for (let i = 1; i <= OUTAGE_ALERTS; i++) {
    appendFileSync(log, `${new Date().toISOString()} stdout F ${falcoAlert(i)}\n`);
    if (i % 20 === 0) await sleep(500);
  }
  let value = 0;
  const until = Date.now() + 60_000;
  while (value === 0 && Date.now() < until) {
    await sleep(2000);
    value = count(await metrics(shipper.httpPort));
  }
  return value;
}

describe('past the budget, it shows in the shipper metrics, not silently', () => {
  const tiny = { bytes: '64K', alertsPerSecond: 5 };
  const eks = shipperOf(new DetectionStack(Testing.app(), 'tiny', {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    durable: { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } }, buffer: tiny },
  } satisfies DetectionStackChartProps));
  const aks = shipperOf(new DetectionStack(Testing.app(), 'tiny-aks', {
    cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
    durable: { bucket: { name: 'detections', azure: { storageAccount: 'detectionsprod', sasToken: { name: 'blob', key: 'sas' } } }, buffer: tiny },
  } satisfies DetectionStackChartProps));

  // Within the budget the s3 output takes every chunk into its store at once, so the engine retries nothing; once the
  // store is full it refuses chunks ("Buffer is full"), and fluentbit_output_retries_total counts each refusal. What
  // is then lost is counted in fluentbit_output_dropped_records_total / fluentbit_routing_logs_drop_records_total.
  test('s3: with the bucket down and the 64K buffer full, fluentbit_output_retries_total counts the refused chunks', async () => {
    const refused = await fillWithBucketDown(eks, 'outage-full', (text) => metricValue(text, 'fluentbit_output_retries_total'));
    expect(refused).toBeGreaterThan(0);
    expect(eks.outageBudget.hours).toBeLessThan(0.01);
  });

  // The README's "what is lost past it", measured: with the store full, the oldest alerts stay in it and are sent
  // once the bucket is back; newer data is refused at the input ("fail to drop enough chunks") while the tail reads
  // on, so it is lost, and Fluent Bit 5.1.1 counts that refusal in no drop counter: what shows it is
  // fluentbit_output_retries_total (the DetectionStackShipperRetrying alert) and the chunk capacity gauge.
  test('s3: past the budget the oldest alerts are kept and sent when the bucket is back, the newest are lost; retries show it', async () => {
    const bucket = fakeBucketFor(eks, await freePort());
    const shipper = new Shipper(eks, scratchDir('outage-past'), bucket.port, await freePort());
    try {
      shipper.start();
      const retries = await writeAlertsUntil(shipper, (text) => metricValue(text, METRICS.shipperOutputRetries.name));
      await sleep(5000);
      await bucket.up();
      let stable = 0;
      const back = Date.now() + 150_000;
      for (let last = -1; stable < 3 && Date.now() < back; await sleep(5000)) {
        const n = new Set(bucket.alerts).size;
        stable = n > 0 && n === last ? stable + 1 : 0;
        last = n;
      }
      const text = await metrics(shipper.httpPort);
      const arrived = [...new Set(bucket.alerts)].sort((a, b) => a - b);
      expect(retries).toBeGreaterThan(0);
      // the oldest are kept: the store's files, alerts 1..n in order, none twice
      expect(arrived.length).toBeGreaterThan(0);
      expect(arrived.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(bucket.alerts.length).toBe(arrived.length);
      // the newest are lost: far more than 2 x 64K of alerts was written
      expect(arrived.length).toBeLessThan(OUTAGE_ALERTS / 2);
      expect(readFileSync(shipper.logFile, 'utf8')).toMatch(/fail to drop enough chunks in order to place new data/);
      // and no drop counter says so
      expect(metricValue(text, METRICS.shipperOutputDroppedRecords.name) + metricValue(text, 'fluentbit_routing_logs_drop_records_total')).toBe(0);
    } finally {
      await shipper.stop();
      await bucket.down();
    }
  }, 300_000);

  // azure_blob keeps nothing itself: the engine's disk queue (storage.total_limit_size = buffer.bytes) is the whole
  // buffer, and the engine retries every chunk while the bucket is down, so retries say nothing there. Once the queue
  // is full, chunks are evicted or refused and their records counted as dropped, in the counter the stack's
  // DetectionStackShipperDroppingRecords alert reads (fluentbit_routing_logs_drop_records_total counts the same records).
  test('azure_blob (no store of its own): with the bucket down and the 64K buffer full, the dropped records are counted', async () => {
    const dropped = await fillWithBucketDown(aks, 'outage-full-aks', (text) => metricValue(text, METRICS.shipperOutputDroppedRecords.name));
    expect(METRICS.shipperOutputDroppedRecords.name).toBe('fluentbit_output_dropped_records_total');
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(400);
    expect(aks.outageBudget.hours).toBeLessThan(0.01);
  });
});
