import { execFile, execFileSync } from 'child_process';
import { basename } from 'path';
import { corpusPath, pinnedTool } from './corpora';
import { fieldKey } from '../../lib/falco/evaluator/compile';
import { RuleEvaluator } from '../../lib/falco/evaluator/evaluator';
import { Expr, FieldOperand, FieldRef, Operand, TransformerArg } from '../../lib/falco/language/ast';

/** Shared helpers of the conformance tests against sysdig 0.41.4 (falcosecurity libs 0.23.2). */

export function sysdigBinary(): string {
  return pinnedTool('sysdig');
}

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs sysdig with arguments (no shell: conditions go through as they are). */
export function runSysdig(args: readonly string[]): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(sysdigBinary(), [...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Maps over items with at most `limit` promises in flight (the CI machine has 2 cores). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The field names this sysdig knows (`sysdig -l`). */
export function sysdigFieldNames(): ReadonlySet<string> {
  const text = execFileSync(sysdigBinary(), ['-l'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z][a-zA-Z0-9_.]*[a-zA-Z0-9_])(\[[^\]]*\])?\s/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}

/** The smallest capture: enough for sysdig to compile a filter and run it. */
export function compileCapture(): string {
  return corpusPath('scap', 'syscall.scap');
}

/**
 * Compiles a condition with sysdig: accepted, or rejected with sysdig's message. sysdig 0.41 may exit 0
 * and print `filter error at ...` on a bad filter, so anything on stderr counts as a rejection.
 */
export async function sysdigCompiles(condition: string): Promise<{ readonly accepted: boolean; readonly message: string }> {
  const r = await runSysdig(['-r', compileCapture(), '-p', '%evt.num', condition]);
  return { accepted: r.code === 0 && r.stderr.trim() === '', message: `${r.stdout}${r.stderr}`.trim().split('\n').slice(-1)[0] ?? '' };
}

/** Every field reference in a condition, transformer arguments included. */
export function collectFields(expr: Expr | FieldOperand | Operand | TransformerArg, out: FieldRef[] = []): FieldRef[] {
  switch (expr.kind) {
    case 'and': case 'or': expr.children.forEach((c) => collectFields(c, out)); break;
    case 'not': collectFields(expr.child, out); break;
    case 'unaryCheck': collectFields(expr.left, out); break;
    case 'binaryCheck': collectFields(expr.left, out); collectFields(expr.right, out); break;
    case 'field': out.push(expr); break;
    case 'transformer': expr.args.forEach((a) => collectFields(a, out)); break;
    case 'transformerList': expr.items.forEach((a) => collectFields(a, out)); break;
    default: break;
  }
  return out;
}

/** Rebuilds a condition bottom-up, letting `rewrite` replace checks. */
export function mapChecks(expr: Expr, rewrite: (check: Expr) => Expr): Expr {
  switch (expr.kind) {
    case 'and': case 'or': return { ...expr, children: expr.children.map((c) => mapChecks(c, rewrite)) };
    case 'not': return { ...expr, child: mapChecks(expr.child, rewrite) };
    default: return rewrite(expr);
  }
}

/**
 * Fields libsinsp compares with custom logic and cannot print: each is built from the fields it
 * stands for (fd.net holds when the client or the server address is in the network).
 */
export const COMPOSITE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'fd.net': ['fd.cip', 'fd.sip'],
  'fd.cnet': ['fd.cip'],
  'fd.snet': ['fd.sip'],
  'fd.lnet': ['fd.lip'],
  'fd.rnet': ['fd.rip'],
  'fd.ip': ['fd.cip', 'fd.sip'],
  'fd.port': ['fd.cport', 'fd.sport'],
};

/**
 * An IPv4 or IPv6 socket without a tuple yet (the exit of `socket`): sysdig prints no fd.cip/fd.sip/fd.cport/fd.sport,
 * but libsinsp compares fd.ip, fd.net and fd.port against the socket's zeroed tuple, so `fd.port = 0` and
 * `fd.ip = 0.0.0.0` hold there, in sysdig 0.41.4 and in Falco 0.44.1 (`fd.port in (expected_udp_ports)` fires on
 * those events in the replay differential); the events where sysdig says so get the zero value.
 */
const UNCONNECTED_SOCKET: readonly { readonly condition: string; readonly composites: readonly string[]; readonly value: string }[] = [
  { condition: 'fd.ip = 0.0.0.0 and not fd.sip exists and not fd.cip exists', composites: ['fd.ip', 'fd.net'], value: '0.0.0.0' },
  { condition: 'fd.ip = "::" and not fd.sip exists and not fd.cip exists', composites: ['fd.ip', 'fd.net'], value: '::' },
  { condition: 'fd.port = 0 and not fd.sport exists and not fd.cport exists', composites: ['fd.port'], value: '0' },
];

const SEPARATOR = '\u001f';
const RECORD = '\u001e';
const NOT_AVAILABLE = '<NA>';

export interface Capture {
  readonly file: string;
  readonly events: readonly Record<string, unknown>[];
}

/** The fields sysdig must print: every field of every condition, composites replaced by their parts. */
export function printedFields(conditions: readonly { readonly expr: Expr }[]): string[] {
  const keys = new Set<string>(['evt.type']);
  for (const { expr } of conditions) {
    for (const f of collectFields(expr)) {
      const parts = COMPOSITE_FIELDS[f.name];
      if (parts) parts.forEach((p) => keys.add(p));
      else keys.add(fieldKey(f.name, f.arg));
    }
  }
  return [...keys];
}

/** The events (by number) where a field has a value, as libsinsp's `exists` says. */
async function eventsWhereExists(file: string, field: string, sysdigArgs: readonly string[]): Promise<Set<number>> {
  return new Set(await sysdigMatches(file, `${field} exists`, sysdigArgs));
}

/**
 * One event object per event of the capture, keyed by field text. A printed `<NA>` is ambiguous
 * (libsinsp names unknown threads `<NA>`), so for fields that print it, `exists` decides.
 */
export async function readCapture(file: string, fields: readonly string[], sysdigArgs: readonly string[] = []): Promise<Capture> {
  // each record starts with RECORD: values may hold new lines (proc.env)
  const format = `*${RECORD}%evt.num${fields.map((f) => `${SEPARATOR}%${f}`).join('')}`;
  const r = await runSysdig([...sysdigArgs, '-r', file, '-p', format]);
  if (r.code !== 0) throw new Error(`sysdig could not read ${file}: ${r.stderr || r.stdout}`);
  const rows: string[][] = [];
  for (const line of r.stdout.split(RECORD).slice(1).map((l) => l.replace(/\n$/, ''))) {
    const values = line.split(SEPARATOR);
    if (values.length !== fields.length + 1) {
      throw new Error(`${basename(file)}: cannot split sysdig's line into ${fields.length + 1} values: ${JSON.stringify(line)}`);
    }
    rows.push(values);
  }
  const ambiguous = fields.filter((_f, i) => rows.some((row) => row[i + 1] === NOT_AVAILABLE));
  const present = new Map<string, Set<number>>();
  const sets = await mapLimit(ambiguous, 2, (f) => eventsWhereExists(file, f, sysdigArgs));
  ambiguous.forEach((f, i) => present.set(f, sets[i]));
  const unconnected = await mapLimit(UNCONNECTED_SOCKET, 2, (z) => sysdigMatches(file, z.condition, sysdigArgs));
  const events = rows.map((values) => {
    const num = Number(values[0]);
    const event: Record<string, unknown> = { 'evt.num': num };
    fields.forEach((f, i) => {
      const v = values[i + 1];
      if (v !== NOT_AVAILABLE || present.get(f)?.has(num)) event[f] = v;
    });
    event['evt.num'] = num; // numbered as sysdig numbers it, also when a condition prints evt.num
    for (const [composite, parts] of Object.entries(COMPOSITE_FIELDS)) {
      const partValues = parts.map((p) => event[p]).filter((v) => v !== undefined);
      if (partValues.length > 0) event[composite] = partValues;
    }
    UNCONNECTED_SOCKET.forEach((z, i) => {
      if (unconnected[i].includes(num)) for (const composite of z.composites) event[composite] ??= [z.value];
    });
    return event;
  });
  return { file, events };
}

export async function sysdigMatches(file: string, condition: string, sysdigArgs: readonly string[] = []): Promise<number[]> {
  const r = await runSysdig([...sysdigArgs, '-r', file, '-p', '%evt.num', condition]);
  if (r.code !== 0) throw new Error(`sysdig rejected '${condition}': ${(r.stdout + r.stderr).trim()}`);
  return r.stdout.split('\n').filter((l) => l !== '').map(Number);
}

export function evaluatorMatches(expr: Expr, capture: Capture): number[] {
  const evaluator = new RuleEvaluator([{ name: 'c', condition: expr, output: '', priority: 'WARNING' }]);
  return capture.events.filter((e) => evaluator.matchesAny(e, 'syscall')).map((e) => e['evt.num'] as number);
}


/**
 * Hand-written conditions over fields sysdig can print for an event (no plugin fields), judged event by event
 * against sysdig (falco-sysdig-events) and, as rules, against real Falco (falco-replay-differential).
 */
export const CURATED_CONDITIONS: readonly string[] = [
  'evt.type = open and proc.name = cat',
  'evt.type in (open, openat) and fd.name startswith /etc',
  'fd.name endswith .so.6',
  'fd.name contains libc and evt.dir = <',
  'proc.name in (cat, curl, python) and evt.type = mmap',
  'evt.type = connect and fd.sip = 127.0.0.1',
  'fd.sip = "2001:db8::3" and fd.sport = 1234',
  'fd.sport > 1000 and fd.sport < 3000',
  'fd.l4proto = tcp and evt.type in (sendto, read, write)',
  'fd.snet = 127.0.0.0/8',
  'fd.net = 127.0.0.0/8 and evt.type = connect',
  'evt.rawarg.res < 0',
  'evt.type = read and evt.rawarg.res >= 0',
  'not proc.name = cat',
  'proc.name != cat',
  'fd.name exists and not fd.typechar = f',
  'not fd.name exists',
  'fd.name glob "/tmp/file-1*"',
  'fd.name pmatch (/tmp, /etc)',
  'proc.name icontains PYTH',
  'user.name = mstemm or user.name = ubuntu',
  'proc.pname = curl and evt.type = open',
  'proc.aname[2] = sshd and evt.type = execve',
  'evt.type = execve and proc.cmdline contains google',
  'fd.typechar in (4, 6) and evt.dir = >',
  'fd.num > 2 and fd.num < 10 and evt.type = close',
  'user.uid = 0 and evt.type = socket',
  '(evt.type = open or evt.type = close) and not fd.name in (/etc/ld.so.cache, /dev/null)',
  'evt.type != switch and proc.name = curl and fd.name startswith /usr/lib',
  'evt.is_io = true and fd.typechar = 6',
  'evt.arg.flags contains O_RDONLY and evt.type = open',
];
