import { ChildProcess, execFileSync, spawn } from 'child_process';
import { existsSync } from 'fs';
import { get, request } from 'http';
import { join } from 'path';

/**
 * Running the real Alertmanager 0.33.1 on the loopback. It comes from `../shared/tools/sid-tools.sh DIR` (Debian
 * unstable's 0.33.1, run in DIR/root with chroot: it reads its default templates from
 * /usr/share/prometheus/alertmanager): ALERTMANAGER_ROOT, default /opt/sid-tools/root.
 */
export const ALERTMANAGER_ROOT = process.env.ALERTMANAGER_ROOT ?? '/opt/sid-tools/root';
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

/** Fails loudly, with the fix, when the binary is missing; checks it is 0.33.1. */
export function expectAlertmanager(): void {
  if (!existsSync(join(ALERTMANAGER_ROOT, ALERTMANAGER_BINARY))) {
    throw new Error(`alertmanager 0.33.1 not found at ${join(ALERTMANAGER_ROOT, ALERTMANAGER_BINARY)}: run 'bash ../shared/tools/sid-tools.sh /opt/sid-tools' `
      + 'as root (or set ALERTMANAGER_ROOT to the root/ folder of another DIR)');
  }
  const version = execFileSync('chroot', [ALERTMANAGER_ROOT, ALERTMANAGER_BINARY, '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!/^alertmanager, version 0\.33\.1\b/.test(version)) throw new Error(`expected alertmanager 0.33.1, got: ${version}`);
}

/** The status and body of an HTTP request on the loopback, or undefined when nothing answers. */
export function httpCall(host: string, port: number, path: string, body?: unknown): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const done = (res: import('http').IncomingMessage) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    };
    const req = body === undefined
      ? get({ host, port, path, timeout: 2000 }, done)
      : request({ host, port, path, method: 'POST', timeout: 2000, headers: { 'content-type': 'application/json' } }, done);
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => { req.destroy(); resolve(undefined); });
    if (body !== undefined) req.end(JSON.stringify(body));
  });
}

/** Polls `f` until it gives a value; past `ms`, fails naming `what`. */
export async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Started programs, killed by `stopAll` (call it in afterAll). */
const started: ChildProcess[] = [];
export function start(file: string, args: readonly string[]): { proc: ChildProcess; output: () => string } {
  const proc = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  started.push(proc);
  return { proc, output: () => out };
}
export function stopAll(): void {
  started.forEach((p) => { if (p.exitCode === null) p.kill('SIGKILL'); });
}

/** Stops a program with SIGTERM and waits for its exit. */
export function stop(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => {
    proc.on('exit', (code) => resolve(code));
    proc.kill('SIGTERM');
  });
}
