/**
 * `npm run bench`: the project's performance figures, one `BENCH <name> <value> <unit>` line each.
 * Reads the public corpora (../shared/corpora, or CORPORA_DIR) and fails loudly without them.
 */
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { syntheticSyscallEvents } from './synthetic-events';
import { RuleEvaluator } from '../lib/falco/evaluator/evaluator';
import { loadRuleFiles } from '../lib/falco/rules/loader';

const UPSTREAM_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];

function corporaDir(): string {
  const dir = resolve(process.env.CORPORA_DIR ?? join(__dirname, '..', '..', 'shared', 'corpora'));
  if (!existsSync(dir)) {
    throw new Error(`bench: corpora not found at ${dir}: set CORPORA_DIR or place them in ../shared/corpora`);
  }
  return dir;
}

function readUpstream(dir: string): { name: string; content: string }[] {
  return UPSTREAM_FILES.map((f) => {
    const path = join(dir, 'falco-rules', f);
    if (!existsSync(path)) throw new Error(`bench: corpus file missing: ${path}`);
    return { name: path, content: readFileSync(path, 'utf8') };
  });
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
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`);
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

function main(): void {
  const inputs = readUpstream(corporaDir());
  report('rules_load_upstream_ms', benchRulesLoad(inputs), 'ms');
  const { eventsPerSecond, detections } = benchEvaluator(inputs[0]);
  console.log(`# evaluator: ${detections} detections per 20000 synthetic events (rule_matching: first)`);
  report('evaluator_events_per_s', eventsPerSecond, 'events/s');
  // For reference: only events of a type some stable rule watches (execve, openat, connect, ...).
  const watched = benchEvaluator(inputs[0], (evaluator, e) => evaluator.rulesFor(e).length > 0);
  console.log(`# evaluator on watched event types only: ${watched.eventsPerSecond} events/s`);
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
