import { ChildProcess, execFileSync, spawn } from 'child_process';
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync } from 'fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'http';
import { createServer as createHttpsServer } from 'https';
import { createServer as createTcpServer } from 'net';
import { join } from 'path';
import { createServer as createTlsServer } from 'tls';
import { gunzipSync } from 'zlib';
import { Testing } from 'cdk8s';
import { writeWithKey } from './analytics-support';
import { kprobeEvent, processOf } from './tetragon-export';
import { freePort, realTool, scratchDir, shipperOf } from './workload-files';
import { DetectionStack } from '../../lib';
import type { ShipperPlan } from '../../lib/durable/plan';
import { ANALYTICS_STACKS, AZURE_LOGS, OCI_LA, OCI_STREAMING, TETRAGON_ANALYTICS_STACKS } from '../durable/analytics-fixtures';

/**
 * The analytics outputs as the pinned Fluent Bit 5.1.1 runs them, with their generated config and only the service
 * addresses moved to 127.0.0.1 (each output's own override: `host`/`port`, `endpoint`/`port`, `auth_url`/`dce_url`,
 * `brokers`), TLS kept where the service uses it (a throwaway self-signed certificate, `tls.verify Off` added for
 * it alone). The bucket output is taken out, so nothing leaves the machine. The input is a Falco alert written into a
 * fake Falco container log, as the kubelet writes it, and (for the Tetragon case) Tetragon 1.7.0's JSON export lines
 * (./tetragon-export.ts) in the export file the generated config reads.
 */
const FLUENT_BIT = realTool('fluent-bit-5.1.1', 'fluent-bit');
jest.setTimeout(120_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const RULE = 'DS Shell In Product Container';
const ALERT = JSON.stringify({
  hostname: 'ip-10-0-12-34',
  priority: 'Warning',
  rule: RULE,
  source: 'syscall',
  tags: ['owner:platform-security', 'T1059'],
  time: '2026-12-02T05:00:00.000000000Z',
  output: `05:00:00.000000000: Warning ${RULE} | k8s.ns.name=billing`,
  output_fields: { 'k8s.ns.name': 'billing', 'proc.exepath': '/bin/sh' },
});

interface Captured { readonly method: string; readonly url: string; readonly headers: IncomingMessage['headers']; readonly body: Buffer }

/** A throwaway certificate for 127.0.0.1 (openssl from the machine; the conformance run fails loudly without it). */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1',
    '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'tls.key')), cert: readFileSync(join(dir, 'tls.crt')) };
}

/** An HTTP(S) server on 127.0.0.1 that records every request and answers with `reply`. */
async function recorder(tls: { key: Buffer; cert: Buffer } | undefined, reply: (req: Captured, res: ServerResponse) => void) {
  const port = await freePort();
  const seen: Captured[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const c = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(c);
      reply(c, res);
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { port, seen, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

/**
 * A TLS server that reads raw HTTP/1.1 requests (head, then content-length bytes) and answers 200. For the OCI
 * output: with `host` set, 5.1.1 frees its own host name at start (oci_logan_conf.c: `host = ins->host.name` ...
 * `flb_sds_destroy(host)`), so the Host header it then writes is garbage, which Node's HTTP parser refuses. The
 * generated config never sets `host` (the endpoint comes from the region); only this test's move to 127.0.0.1 does.
 */
async function rawTlsRecorder(tls: { key: Buffer; cert: Buffer }) {
  const port = await freePort();
  const seen: Captured[] = [];
  const server = createTlsServer(tls, (socket) => {
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = data.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of head.slice(1)) headers[l.slice(0, l.indexOf(':')).trim().toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const length = Number(headers['content-length'] ?? 0);
      if (data.length < end + 4 + length) return;
      const [method, url] = head[0].split(' ');
      seen.push({ method, url, headers, body: data.subarray(end + 4, end + 4 + length) });
      data = data.subarray(end + 4 + length);
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { port, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The shipper's config with the bucket output taken out and the analytics output moved by `edit`. */
class LoopbackShipper {
  private child?: ChildProcess;
  readonly log: string;
  private readonly config: string;
  private readonly alertLog: string;
  private readonly tetragonFile?: string;

  constructor(plan: ShipperPlan, dir: string, httpPort: number, edit: (conf: string) => string,
    private readonly tetragon?: { readonly exportHostPath: string; readonly lines: readonly string[] }) {
    const logDir = join(dir, 'log', 'containers');
    mkdirSync(logDir, { recursive: true });
    this.alertLog = join(logDir, 'falco-x7k2p_falco_falco-0123456789abcdef.log');
    this.log = join(dir, 'fluent-bit.log');
    const sections = plan.files['fluent-bit.conf'].split('\n\n');
    const bucket = sections.filter((s) => /^\[OUTPUT\]\n\s+Name\s+(s3|azure_blob)\n/.test(s));
    if (bucket.length !== 1) throw new Error('the generated config no longer has one bucket output for this test to take out');
    const conf = edit(sections.filter((s) => !bucket.includes(s)).join('\n\n'));
    this.tetragonFile = tetragon && join(dir, 'tetragon.log');
    this.config = writeWithKey({ ...plan, files: { ...plan.files, 'fluent-bit.conf': conf } }, dir, [
      ['/var/log/containers', logDir],
      ...(tetragon ? [[tetragon.exportHostPath, this.tetragonFile!] as [string, string]] : []),
      ['HTTP_Listen                0.0.0.0', 'HTTP_Listen                127.0.0.1'],
      [`HTTP_Port                  ${plan.httpPort}`, `HTTP_Port                  ${httpPort}`],
    ]);
  }

  start(env: NodeJS.ProcessEnv): void {
    appendFileSync(this.alertLog, `${new Date().toISOString()} stdout F ${ALERT}\n`);
    // A Falco log line that is not an alert: analytics must not get it.
    appendFileSync(this.alertLog, `${new Date().toISOString()} stderr F {"level":"info","msg":"Falco initialized"}\n`);
    if (this.tetragon) appendFileSync(this.tetragonFile!, `${this.tetragon.lines.join('\n')}\n`);
    const out = createWriteStream(this.log, { flags: 'a' });
    this.child = spawn(FLUENT_BIT, ['-c', this.config], { env: { ...process.env, NODE_NAME: 'node-1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.pipe(out);
    this.child.stderr!.pipe(out);
  }

  /** What Fluent Bit has logged so far ('' before the log file is opened). */
  text(): string {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8') : '';
  }

  async stop(): Promise<string> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGKILL');
      await exited;
    }
    return readFileSync(this.log, 'utf8');
  }
}

/** Inserts `lines` after the analytics output's Alias line and applies `replace` inside that section only. */
function moveOutput(alias: string, lines: readonly string[], replace: readonly [string, string][] = []) {
  return (conf: string) => conf.split('\n\n').map((s) => {
    if (!s.includes(`Alias                      ${alias}\n`)) return s;
    const moved = replace.reduce((t, [from, to]) => {
      if (!t.includes(from)) throw new Error(`'${from}' is not in the ${alias} output`);
      return t.split(from).join(to);
    }, s);
    return moved.replace(/(Alias +[a-z-]+\n)/, `$1${lines.map((l) => `    ${l}\n`).join('')}`);
  }).join('\n\n');
}

async function until(done: () => boolean, seconds = 40): Promise<void> {
  for (let i = 0; i < seconds * 4 && !done(); i++) await sleep(250);
}

const shipper = (stack: string) => shipperOf(new DetectionStack(Testing.app(), stack, ANALYTICS_STACKS[stack]));

test('OCI Logging Analytics: a signed uploadLogEventsFile request over TLS, the alert with the log group and source', async () => {
  const dir = scratchDir('loopback-oci-la');
  const server = await rawTlsRecorder(selfSigned(dir));
  const fb = new LoopbackShipper(shipper('oke-analytics'), dir, await freePort(), moveOutput('analytics-oci-log-analytics',
    ['host                       127.0.0.1', `port                       ${server.port}`], [['tls.verify                 On', 'tls.verify                 Off']]));
  let log = '';
  try {
    fb.start({ OCI_STREAMING_AUTH_TOKEN: 'x', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' });
    await until(() => server.seen.length > 0);
  } finally {
    log = await fb.stop();
    await server.close();
  }
  expect(server.seen.length).toBeGreaterThan(0);
  const req = server.seen[0];
  expect(req.method).toBe('POST');
  const url = new URL(req.url, 'https://127.0.0.1');
  expect(url.pathname).toBe(`/20200601/namespaces/${OCI_LA.namespace}/actions/uploadLogEventsFile`);
  // The request is signed with the API key named by the generated OCI config file (keyId tenancy/user/fingerprint).
  expect(req.headers.authorization).toContain(`keyId="${OCI_LA.apiKey.tenancy}/${OCI_LA.apiKey.user}/${OCI_LA.apiKey.fingerprint}"`);
  expect(req.headers.authorization).toContain('algorithm="rsa-sha256"');
  expect(url.searchParams.get('logGroupId')).toBe(OCI_LA.logGroupId);
  const body = JSON.parse(req.body.toString('utf8'));
  // The source name keeps its spaces; cluster and node travel as the upload's metadata.
  expect(body.metadata).toEqual({ cluster: 'prod-oke', node_name: 'node-1' });
  expect(body.logEvents.map((e: { logSourceName: string }) => e.logSourceName)).toEqual(['Detection Stack Alerts']);
  // Each record is the alert line as Falco wrote it (Falco's own log line is not sent).
  expect(body.logEvents.flatMap((e: { logRecords: string[] }) => e.logRecords)).toEqual([ALERT]);
  expect(log).not.toMatch(/SIGSEGV/);
});

test('CloudWatch Logs: CreateLogStream and PutLogEvents over TLS into the named group, one stream per node and source, no CreateLogGroup', async () => {
  const dir = scratchDir('loopback-cloudwatch');
  const server = await recorder(selfSigned(dir), (_req, res) => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'loopback-1' }).end('{"nextSequenceToken":"1"}'));
  const fb = new LoopbackShipper(shipper('eks-analytics'), dir, await freePort(), moveOutput('analytics-cloudwatch-logs',
    ['endpoint                   127.0.0.1', `port                       ${server.port}`, 'tls.verify                 Off']));
  const puts = () => server.seen.filter((r) => r.headers['x-amz-target'] === 'Logs_20140328.PutLogEvents');
  try {
    fb.start({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true' });
    await until(() => puts().length > 0);
  } finally {
    await fb.stop();
    await server.close();
  }
  const targets = server.seen.map((r) => r.headers['x-amz-target']);
  expect(targets).not.toContain('Logs_20140328.CreateLogGroup');
  const create = server.seen.find((r) => r.headers['x-amz-target'] === 'Logs_20140328.CreateLogStream');
  expect(JSON.parse(create!.body.toString())).toEqual({ logGroupName: '/detection-stack/prod-eks/alerts', logStreamName: 'node-1.alerts.falco' });
  const put = JSON.parse(puts()[0].body.toString());
  expect(put).toMatchObject({ logGroupName: '/detection-stack/prod-eks/alerts', logStreamName: 'node-1.alerts.falco' });
  expect(put.logEvents.map((e: { message: string }) => JSON.parse(e.message).rule)).toEqual([RULE]);
  // Signed with the shipper's AWS identity (SigV4 for the logs service in the cluster's region).
  expect(puts()[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/logs\/aws4_request/);
});

test('Tetragon alerts reach CloudWatch Logs as Falco\'s do: the policy event as an alert with its owner, the exec event and the raw events not', async () => {
  const dir = scratchDir('loopback-cloudwatch-tetragon');
  const server = await recorder(selfSigned(dir), (_req, res) => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'loopback-1' }).end('{"nextSequenceToken":"1"}'));
  const chart = new DetectionStack(Testing.app(), 'eks-analytics-tetragon', TETRAGON_ANALYTICS_STACKS['eks-analytics-tetragon']);
  const lines = [
    kprobeEvent('ds-shell-in-container', 'billing', '/bin/bash', '-c id', 'ZXhlYy0x', 'security_bprm_check'),
    JSON.stringify({ process_exec: { process: processOf('billing', 'billing-api-7f9c8d6b5-x2x9z', '/bin/ls', '-l', 'ZXhlYy0z') }, node_name: 'node-1', time: '2026-12-02T05:00:02Z' }),
  ];
  const fb = new LoopbackShipper(shipperOf(chart), dir, await freePort(), moveOutput('analytics-cloudwatch-logs',
    ['endpoint                   127.0.0.1', `port                       ${server.port}`, 'tls.verify                 Off']),
  { exportHostPath: chart.plan.tetragon!.exportHostPath, lines });
  const puts = () => server.seen.filter((r) => r.headers['x-amz-target'] === 'Logs_20140328.PutLogEvents');
  const messages = () => puts().flatMap((p) => JSON.parse(p.body.toString()).logEvents.map((e: { message: string }) => JSON.parse(e.message)));
  try {
    fb.start({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true' });
    await until(() => messages().some((m) => m.source === 'tetragon'));
    await sleep(2000);
  } finally {
    await fb.stop();
    await server.close();
  }
  const tetragon = messages().filter((m) => m.source === 'tetragon');
  expect(tetragon).toHaveLength(1);
  expect(tetragon[0].tags).toContain('owner:platform-security');
  expect(tetragon[0].output_fields).toMatchObject({ 'k8s.ns.name': 'billing', 'tetragon.policy_name': 'ds-shell-in-container', 'proc.exepath': '/bin/bash' });
  // The raw Tetragon events (the exec event among them) stay the bucket's: no message carries them.
  expect(messages().filter((m) => m.process_exec !== undefined || m.process_kprobe !== undefined)).toEqual([]);
  expect(messages().filter((m) => m.source !== 'tetragon')).toEqual([]);
  expect(puts()[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
});

test('Azure Logs Ingestion: a client-credentials token, then the alert posted to the rule\'s Custom-<table> stream with it', async () => {
  const dir = scratchDir('loopback-azure-logs');
  const token = await recorder(undefined, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' })
    .end('{"token_type":"Bearer","expires_in":3599,"access_token":"loopback-token"}'));
  const dce = await recorder(selfSigned(dir), (_req, res) => res.writeHead(204).end());
  const endpoint = (AZURE_LOGS.dataCollection as { endpointUrl: string }).endpointUrl;
  const fb = new LoopbackShipper(shipper('aks-analytics'), dir, await freePort(), moveOutput('analytics-azure-logs-ingestion',
    [`auth_url                   http://127.0.0.1:${token.port}/token`, 'tls.verify                 Off'],
    [[endpoint, `https://127.0.0.1:${dce.port}`]]));
  try {
    fb.start({ AZURE_LOGS_CLIENT_SECRET: 'loopback-client-secret', AZURE_BLOB_SAS_TOKEN: 'x' });
    await until(() => dce.seen.length > 0);
  } finally {
    await fb.stop();
    await token.close();
    await dce.close();
  }
  const form = new URLSearchParams(token.seen[0].body.toString());
  expect(Object.fromEntries(form)).toEqual({
    grant_type: 'client_credentials', client_id: AZURE_LOGS.clientId, client_secret: 'loopback-client-secret', scope: 'https://monitor.azure.com/.default',
  });
  const post = dce.seen[0];
  // Fluent Bit writes the request line in absolute form (https://host:port/path).
  expect(new URL(post.url, 'https://127.0.0.1').pathname + new URL(post.url, 'https://127.0.0.1').search).toBe('/dataCollectionRules/dcr-0123456789abcdef0123456789abcdef/streams/Custom-DetectionStackAlerts_CL?api-version=2021-11-01-preview');
  expect(post.headers.authorization).toBe('Bearer loopback-token');
  const rows = JSON.parse((post.headers['content-encoding'] === 'gzip' ? gunzipSync(post.body) : post.body).toString());
  expect(rows.map((r: { rule: string }) => r.rule)).toEqual([RULE]);
  expect(rows[0]).toMatchObject({ cluster: 'prod-aks', node_name: 'node-1', priority: 'Warning' });
  expect(rows[0].TimeGenerated).toMatch(/^\d{4}-\d\d-\d\dT/);
});

test('OCI Streaming: librdkafka accepts every generated rdkafka property and opens TLS to the bootstrap server', async () => {
  const port = await freePort();
  const first: Buffer[] = [];
  const server = createTcpServer((c) => c.once('data', (b: Buffer) => {
    first.push(b);
    c.destroy();
  }));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const dir = scratchDir('loopback-oci-streaming');
  const plan = shipper('oke-analytics');
  const bootstrap = 'streaming.eu-frankfurt-1.oci.oraclecloud.com:9092';
  const fb = new LoopbackShipper(plan, dir, await freePort(), moveOutput('analytics-oci-streaming', [], [[bootstrap, `127.0.0.1:${port}`]]));
  let log = '';
  try {
    fb.start({ OCI_STREAMING_AUTH_TOKEN: 'loopback-token', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' });
    await until(() => first.length > 0 && fb.text().includes('SSL handshake failed'));
  } finally {
    log = await fb.stop();
    await new Promise<void>((r) => server.close(() => r()));
  }
  // librdkafka refuses an unknown or invalid property when the producer is created: none is reported.
  expect(log).not.toMatch(/configuration property|Failed to create producer|cannot create|initialization failed/i);
  // It speaks SASL over TLS to the broker (the fake one answers nothing, so the handshake fails after the hello).
  expect(log).toMatch(/sasl_ssl:\/\/127\.0\.0\.1:\d+\/bootstrap: SSL handshake failed/);
  expect(log).toMatch(/\[output:kafka:analytics-oci-streaming\] brokers='127\.0\.0\.1:\d+' topics='detections'/);
  // A TLS handshake record (content type 22, version 3.x): SASL/PLAIN's password never goes in clear text.
  expect(first.length).toBeGreaterThan(0);
  expect([first[0][0], first[0][1]]).toEqual([0x16, 0x03]);
  expect(OCI_STREAMING.user).toBe('acme/Default/alert-shipper');
});

test('the check has teeth: librdkafka refuses an unknown rdkafka property when the producer is created', async () => {
  const dir = scratchDir('loopback-oci-streaming-bad');
  const bootstrap = 'streaming.eu-frankfurt-1.oci.oraclecloud.com:9092';
  const fb = new LoopbackShipper(shipper('oke-analytics'), dir, await freePort(), moveOutput('analytics-oci-streaming',
    ['rdkafka.no.such.property     1'], [[bootstrap, `127.0.0.1:${await freePort()}`]]));
  let log = '';
  try {
    fb.start({ OCI_STREAMING_AUTH_TOKEN: 'loopback-token', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' });
    await until(() => /configuration property/i.test(fb.text()), 20);
  } finally {
    log = await fb.stop();
  }
  expect(log).toMatch(/No such configuration property: "no\.such\.property"/);
});
