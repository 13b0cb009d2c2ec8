import { spawn } from 'child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { get } from 'http';
import { createServer } from 'net';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { realTool, scratchDir, shipperOf, writeShipperConfig } from './workload-files';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { METRICS } from '../../lib/monitoring/metrics';

/**
 * The real Fluent Bit 5.1.1 with the eks-teams shipper config, its bucket endpoint moved to a closed port on
 * 127.0.0.1 (an outage), alerts written into a fake container log. Its own /api/v2/metrics/prometheus must carry
 * every fluentbit_* name the alerts and dashboards read, and the counter the outage alerts use must move.
 */

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/api/v2/metrics/prometheus', timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The value of one sample (`name{labels} value`), summed over every label set. */
function sampleSum(text: string, name: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('the real Fluent Bit 5.1.1 exports what the shipper alerts read', () => {
  test('during a bucket outage: every fluentbit_* name is served, errors_total moves and the s3 output never counts retries', async () => {
    const fluentBit = realTool('fluent-bit-5.1.1', 'fluent-bit');
    const plan = shipperOf(eksTeamsStack(Testing.app()));
    const dir = scratchDir('monitoring-fluent-bit');
    const logs = join(dir, 'containers');
    mkdirSync(logs, { recursive: true });
    const [httpPort, deadPort] = [await freePort(), await freePort()];
    const conf = writeShipperConfig(plan, dir, [['/var/log/containers', logs]]);
    // Loopback only; the bucket on a closed port; a short upload timeout so an upload is tried within the test.
    const text = readFileSync(conf, 'utf8')
      .replace(/^(\s+HTTP_Listen\s+).*$/m, '$1127.0.0.1')
      .replace(/^(\s+HTTP_Port\s+).*$/m, `$1${httpPort}`)
      .replace(/^(\s+upload_timeout\s+).*$/m, '$15s')
      .replace(/^(\s+region\s+.*)$/m, `$1\n    endpoint                   http://127.0.0.1:${deadPort}`);
    expect(text).toContain(`http://127.0.0.1:${deadPort}`);
    writeFileSync(conf, text);

    const log = join(logs, 'falco-abcde_falco_falco-0123456789abcdef.log');
    const child = spawn(fluentBit, ['-c', conf], {
      env: { ...process.env, NODE_NAME: 'n1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    let metrics = '';
    try {
      // Bounded: at most 40 s of alerts (one a second), then the last scrape.
      for (let i = 0; i < 40; i++) {
        appendFileSync(log, `2026-12-02T05:00:${String(i % 60).padStart(2, '0')}.000000000Z stdout F {"rule":"r${i}","priority":"Warning","output":"x"}\n`);
        await sleep(1000);
        if (i >= 20) {
          metrics = await scrape(httpPort).catch(() => '');
          if (sampleSum(metrics, METRICS.shipperOutputErrors.name) > 0) break;
        }
      }
    } finally {
      child.kill('SIGKILL');
    }
    expect({ served: metrics.length > 0, output: metrics.length > 0 ? '' : output.slice(-2000) }).toEqual({ served: true, output: '' });
    const fluentBitNames = Object.values(METRICS).filter((m) => m.program === 'fluent-bit').map((m) => m.name);
    expect(fluentBitNames.filter((n) => !new RegExp(`^${n}[{ ]`, 'm').test(metrics))).toEqual([]);
    expect(sampleSum(metrics, METRICS.shipperInputRecords.name)).toBeGreaterThan(0);
    // The outage shows as failed uploads (DetectionStackShipperOutputErrors), not as engine retries.
    expect(sampleSum(metrics, METRICS.shipperOutputErrors.name)).toBeGreaterThan(0);
    expect(sampleSum(metrics, METRICS.shipperOutputRetries.name)).toBe(0);
  }, 90_000);
});
