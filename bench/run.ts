/**
 * `npm run bench`: the project's performance figures, one `BENCH <name> <value> <unit>` line each.
 * Reads the public corpora (../shared/corpora, or CORPORA_DIR) and fails loudly without them.
 */
import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { benchCliBounds } from './cli-bounds';
import { benchFleetSynth } from './fleet-synth';
import { benchProgramBounds } from './program-bounds';
import { syntheticSyscallEvents } from './synthetic-events';
import { RuleEvaluator } from '../lib/falco/evaluator/evaluator';
import { parseEventsText } from '../lib/falco/evaluator/events';
import { loadRuleFiles } from '../lib/falco/rules/loader';

const ROOT = join(__dirname, '..');

const UPSTREAM_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];

function corporaDir(): string {
  const dir = resolve(process.env.CORPORA_DIR ?? join(__dirname, '..', '..', 'shared', 'corpora'));
  if (!existsSync(dir)) {
    throw new Error(`bench: corpora not found at ${dir}: set CORPORA_DIR or place them in ../shared/corpora`);
  }
  return dir;
}

function upstreamPaths(dir: string): string[] {
  return UPSTREAM_FILES.map((f) => {
    const path = join(dir, 'falco-rules', f);
    if (!existsSync(path)) throw new Error(`bench: corpus file missing: ${path}`);
    return path;
  });
}

function readUpstream(dir: string): { name: string; content: string }[] {
  return upstreamPaths(dir).map((path) => ({ name: path, content: readFileSync(path, 'utf8') }));
}

/**
 * CPU milliseconds used by this process so far. The figures are per CPU time, not wall time:
 * "on one core" even when the machine is shared (the CI box runs several jobs at once).
 */
function nowMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function report(name: string, value: number, unit: string): void {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(unit === 'ratio' ? 2 : 1);
  console.log(`BENCH ${name} ${text} ${unit}`);
}

/** Load and fully check the three upstream files in one load (like `falco -r a -r b -r c`), after warm-up. */
function benchRulesLoad(inputs: readonly { name: string; content: string }[]): number {
  const first = loadRuleFiles(inputs);
  if (!first.ok) {
    const errors = first.diagnostics.filter((d) => d.severity === 'error').slice(0, 5).map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`);
    throw new Error(`bench: the upstream rules do not load:\n${errors.join('\n')}`);
  }
  for (let i = 0; i < 10; i++) loadRuleFiles(inputs);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const start = nowMs();
    loadRuleFiles(inputs);
    times.push(nowMs() - start);
  }
  return median(times);
}

/** The stable rule set over a stream of synthetic syscall events, on this one thread. */
function benchEvaluator(
  stable: { name: string; content: string },
  keep: (evaluator: RuleEvaluator, event: Record<string, unknown>) => boolean = () => true,
): { eventsPerSecond: number; detections: number } {
  const loaded = loadRuleFiles([stable]);
  if (!loaded.ok) throw new Error(`bench: ${stable.name} does not load`);
  const evaluator = new RuleEvaluator(loaded.ruleset.rules);
  const events = syntheticSyscallEvents(20_000).filter((e) => keep(evaluator, e));
  let detections = 0;
  const pass = () => {
    for (let i = 0; i < events.length; i++) detections += evaluator.evaluate(events[i]).length;
  };
  for (let i = 0; i < 20; i++) pass(); // warm-up: let V8 optimize the generated conditions
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    let count = 0;
    const start = nowMs();
    while (nowMs() - start < 400) {
      pass();
      count += events.length;
    }
    rates.push(count / ((nowMs() - start) / 1000));
  }
  detections = 0;
  pass();
  return { eventsPerSecond: Math.round(median(rates)), detections };
}

/** A rules file of `count` distinct rules, each with a macro and a list of its own. */
function syntheticRulesFile(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      `- list: l${i}\n  items: [p${i}, q${i}]\n`,
      `- macro: m${i}\n  condition: proc.name in (l${i})\n`,
      `- rule: r${i}\n  desc: rule ${i}\n  condition: evt.type = execve and m${i} and fd.name startswith /tmp/${i}\n`
        + `  output: started %proc.name (file %fd.name)\n  priority: WARNING\n  tags: [t${i % 10}]\n`,
    );
  }
  return parts.join('');
}

/** CPU milliseconds of one call. */
function cpuMs(run: () => void): number {
  const start = nowMs();
  run();
  return nowMs() - start;
}

/** Loading N rules (each with its own macro and list) must grow linearly with N. */
function benchRulesScaling(): void {
  const times = new Map<number, number>();
  for (const count of [25_000, 50_000, 100_000]) {
    const file = { name: `synthetic-${count}.yaml`, content: syntheticRulesFile(count) };
    let loaded = 0;
    times.set(count, cpuMs(() => {
      const result = loadRuleFiles([file]);
      if (!result.ok) throw new Error(`bench: the synthetic rules file of ${count} rules does not load: ${result.diagnostics[0]?.message}`);
      loaded = result.ruleset.rules.length;
    }));
    if (loaded !== count) throw new Error(`bench: ${loaded} of ${count} synthetic rules loaded`);
    report(`rules_load_${count / 1000}k_rules_ms`, Math.round(times.get(count) as number), 'ms');
    report(`rules_load_${count / 1000}k_rules_bytes`, Buffer.byteLength(file.content), 'bytes');
  }
  // linear: 4.0 (the 100k file is 4 times the 25k file); quadratic would be 16
  report('rules_load_100k_vs_25k_ratio', (times.get(100_000) as number) / (times.get(25_000) as number), 'ratio');
}

/** The same 40,000 events read as a JSON array (one event per line, and pretty-printed) and as JSON lines. */
function benchEventsReading(): void {
  const count = 40_000;
  const events = syntheticSyscallEvents(count);
  const array = `[\n${events.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]\n`;
  const lines = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
  // the same array pretty-printed (JSON.stringify(events, null, 2)): read by the general array reader, not line by line
  const pretty = `${JSON.stringify(events, null, 2)}\n`;
  const read = (text: string, name: string) => () => {
    const got = parseEventsText(text, name).length;
    if (got !== count) throw new Error(`bench: ${name} read as ${got} events, not ${count}`);
  };
  const arrayMs = median([0, 1, 2].map(() => cpuMs(read(array, 'events.json'))));
  const linesMs = median([0, 1, 2].map(() => cpuMs(read(lines, 'events.jsonl'))));
  const prettyMs = median([0, 1, 2].map(() => cpuMs(read(pretty, 'events-pretty.json'))));
  report('events_read_json_array_40k_ms', arrayMs, 'ms');
  report('events_read_json_array_40k_bytes', Buffer.byteLength(array), 'bytes');
  report('events_read_json_lines_40k_ms', linesMs, 'ms');
  report('events_read_json_lines_40k_bytes', Buffer.byteLength(lines), 'bytes');
  report('events_read_array_vs_lines_ratio', arrayMs / linesMs, 'ratio');
  report('events_read_json_array_pretty_40k_ms', prettyMs, 'ms');
  report('events_read_json_array_pretty_40k_bytes', Buffer.byteLength(pretty), 'bytes');
  report('events_read_pretty_array_vs_lines_ratio', prettyMs / linesMs, 'ratio');
}

/** The newest modification time under a folder (for telling a stale build). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtCli(): string {
  const entry = join(ROOT, 'build', 'cli', 'main.js');
  if (!existsSync(entry)) throw new Error(`bench: the package is not built (${entry} missing): run \`npx tsc --build\` first`);
  if (newestMtime(join(ROOT, 'build')) < newestMtime(join(ROOT, 'lib'))) {
    throw new Error('bench: build/ is older than lib/: run `npx tsc --build` first, the CLI runs the built package');
  }
  return join(ROOT, 'bin', 'detection-stack');
}

function falcoCompat(): string {
  const dir = resolve(process.env.FALCO_DIR ?? join(ROOT, '..', 'shared', 'tools', 'falco-0.44.1'));
  const compat = join(dir, 'falco-compat');
  if (!existsSync(compat) || !existsSync(join(dir, 'falco'))) {
    throw new Error(`bench: real Falco 0.44.1 not found at ${dir} (falco-compat and falco): set FALCO_DIR or install ../shared/tools; `
      + 'validate_vs_falco_ratio is not measured without it');
  }
  return compat;
}

/**
 * CPU seconds (user + system) and wall seconds of one whole process, as bash's `times` reports
 * its children; fails when the process does.
 */
function processCost(command: string, args: readonly string[]): { cpu: number; wall: number } {
  const script = '"$@" >/dev/null; status=$?; times; exit $status';
  const started = process.hrtime.bigint();
  const run = spawnSync('bash', ['-c', script, 'bench', command, ...args], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`bench: ${command} ${args.join(' ')} failed (exit ${run.status}): ${run.stderr}`);
  const children = run.stdout.trim().split('\n')[1] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`bench: cannot read the CPU times of ${command} from ${JSON.stringify(run.stdout)}`);
  return { cpu: seconds[0] + seconds[1], wall };
}

/**
 * Whole-process `detection-stack validate` over the upstream rules files against real
 * `falco -V` over the same files: CPU time, medians of 5 alternating runs (after one warm-up
 * run of each, so both read the files from the page cache).
 */
function benchValidateVsFalco(paths: readonly string[]): void {
  const cli = builtCli();
  const compat = falcoCompat();
  const ours = () => processCost(cli, ['validate', ...paths]);
  const falco = () => processCost(compat, paths.flatMap((p) => ['-V', p]));
  ours();
  falco();
  const oursRuns: { cpu: number; wall: number }[] = [];
  const falcoRuns: { cpu: number; wall: number }[] = [];
  for (let i = 0; i < 5; i++) {
    oursRuns.push(ours());
    falcoRuns.push(falco());
  }
  const oursCpu = median(oursRuns.map((r) => r.cpu));
  const falcoCpu = median(falcoRuns.map((r) => r.cpu));
  console.log(`# validate wall time (medians): detection-stack ${median(oursRuns.map((r) => r.wall)).toFixed(3)} s, falco ${median(falcoRuns.map((r) => r.wall)).toFixed(3)} s`);
  report('validate_upstream_cpu_ms', Math.round(oursCpu * 1000), 'ms');
  report('falco_validate_upstream_cpu_ms', Math.round(falcoCpu * 1000), 'ms');
  report('validate_vs_falco_ratio', oursCpu / falcoCpu, 'ratio');
}

/** The bench's parts, in the order they run; `npm run bench -- NAME...` runs only those named. */
const PARTS: Readonly<Record<string, () => void>> = {
  validate: () => benchValidateVsFalco(upstreamPaths(corporaDir())),
  load: () => { report('rules_load_upstream_ms', benchRulesLoad(readUpstream(corporaDir())), 'ms'); },
  evaluator: () => {
    const stable = readUpstream(corporaDir())[0];
    const { eventsPerSecond, detections } = benchEvaluator(stable);
    console.log(`# evaluator: ${detections} detections per 20000 synthetic events (rule_matching: first)`);
    report('evaluator_events_per_s', eventsPerSecond, 'events/s');
    // For reference: only events of a type some stable rule watches (execve, openat, connect, ...).
    const watched = benchEvaluator(stable, (evaluator, e) => evaluator.rulesFor(e).length > 0);
    console.log(`# evaluator on watched event types only: ${watched.eventsPerSecond} events/s`);
  },
  events: benchEventsReading,
  scaling: benchRulesScaling,
  bounds: () => benchCliBounds({ cli: builtCli(), report, rulesFile: syntheticRulesFile }),
  // report over a generated app of many stacks, plan over an installed Pulumi example; no corpora needed
  programs: () => benchProgramBounds({ cli: builtCli(), report }),
  // the fleet synthesis figures need no corpora
  fleet: () => {
    builtCli();
    benchFleetSynth(report);
  },
};

function main(): void {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in PARTS));
  if (unknown.length > 0) throw new Error(`bench: unknown part(s) ${unknown.join(', ')}; the parts are ${Object.keys(PARTS).join(', ')}`);
  for (const [name, part] of Object.entries(PARTS)) {
    if (names.length === 0 || names.includes(name)) part();
  }
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
