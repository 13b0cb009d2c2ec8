/**
 * The CLI's bounds on time and memory: each command run as a whole process (the built package) on an input of
 * the largest size the README states, with its CPU time (user + system: a shared machine does not skew it) and
 * peak memory (GNU time's maximum resident set).
 * One BENCH line per bound; the run fails when a figure exceeds the bound the README states.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { syntheticSyscallEvents } from './synthetic-events';
import { INPUT_BOUNDS } from '../lib/cli/input';

/**
 * The bounds the README's "Bounds" table states: CPU seconds and peak memory in MiB for inputs that fill the
 * commands' input bounds (lib/cli/input.ts: larger inputs are refused).
 */
export const CLI_BOUNDS = {
  validate: { seconds: 60, mib: 1024 },
  test: { seconds: 60, mib: 1024 },
} as const;

/** The largest `make(count)` (count a multiple of `step`) of at most `bytes` bytes, found by doubling and bisection. */
function largestWithin(bytes: number, step: number, make: (count: number) => string): { count: number; text: string } {
  let lo = step;
  while (Buffer.byteLength(make(lo * 2)) <= bytes) lo *= 2;
  let hi = lo * 2;
  while (hi - lo > step) {
    const mid = Math.round((lo + hi) / 2 / step) * step;
    if (Buffer.byteLength(make(mid)) <= bytes) lo = mid;
    else hi = mid;
  }
  return { count: lo, text: make(lo) };
}

const eventLines = (count: number): string => `${syntheticSyscallEvents(count).map((e) => JSON.stringify(e)).join('\n')}\n`;

export interface CliBoundsBench {
  readonly cli: string;
  readonly report: (name: string, value: number, unit: string) => void;
  readonly rulesFile: (count: number) => string;
}

/** CPU milliseconds, peak memory (MiB) and standard output of one process; fails when it does (unless `allowExit` says otherwise). */
export function measure(command: string, args: readonly string[], allowExit: readonly number[] = [0]): { ms: number; mib: number; stdout: string } {
  const run = spawnSync('/usr/bin/time', ['-f', 'BOUNDS %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 2 ** 30 });
  const m = /BOUNDS ([\d.]+) ([\d.]+) (\d+)/.exec(run.stderr);
  if (!m || !allowExit.includes(run.status ?? -1)) {
    throw new Error(`bench: ${command} ${args.join(' ')} failed (exit ${run.status}): ${run.stderr.slice(-500)}`);
  }
  return { ms: Math.round((Number(m[1]) + Number(m[2])) * 1000), mib: Math.round(Number(m[3]) / 1024), stdout: run.stdout };
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

export function check(name: string, value: number, bound: number, unit: string): void {
  if (value > bound) throw new Error(`bench: ${name} is ${value} ${unit}, above the README's bound of ${bound} ${unit}`);
}

export function benchCliBounds({ cli, report, rulesFile }: CliBoundsBench): void {
  const dir = mkdtempSync(join(tmpdir(), 'ds-bounds-'));
  try {
    const v = CLI_BOUNDS.validate;
    const rules = join(dir, 'rules.yaml');
    const validateInput = largestWithin(INPUT_BOUNDS.validate.bytes, 1000, rulesFile);
    writeFileSync(rules, validateInput.text);
    console.log(`# validate bound: ${validateInput.count} rules (each with a macro and a list), ${mib(statSync(rules).size)} MiB of ${mib(INPUT_BOUNDS.validate.bytes)}`);
    const validate = measure(cli, ['validate', rules]);
    report('cli_validate_bound_rules', validateInput.count, 'rules');
    report('cli_validate_bound_cpu_ms', validate.ms, 'ms');
    report('cli_validate_bound_max_rss_mib', validate.mib, 'MiB');
    check('validate CPU time', validate.ms, v.seconds * 1000, 'ms');
    check('validate memory', validate.mib, v.mib, 'MiB');

    const t = CLI_BOUNDS.test;
    const testRules = join(dir, 'test-rules.yaml');
    const testRulesInput = largestWithin(INPUT_BOUNDS.testRules.bytes, 100, rulesFile);
    writeFileSync(testRules, testRulesInput.text);
    const events = join(dir, 'events.jsonl');
    const eventsInput = largestWithin(INPUT_BOUNDS.testEvents.bytes, 1000, eventLines);
    writeFileSync(events, eventsInput.text);
    console.log(`# test bound: ${testRulesInput.count} rules (${mib(statSync(testRules).size)} MiB of ${mib(INPUT_BOUNDS.testRules.bytes)}) `
      + `over ${eventsInput.count} events (${mib(statSync(events).size)} MiB of JSON lines, of ${mib(INPUT_BOUNDS.testEvents.bytes)})`);
    const test = measure(cli, ['test', '--rules', testRules, '--events', events, '--format', 'json']);
    report('cli_test_bound_rules', testRulesInput.count, 'rules');
    report('cli_test_bound_events', eventsInput.count, 'events');
    report('cli_test_bound_cpu_ms', test.ms, 'ms');
    report('cli_test_bound_max_rss_mib', test.mib, 'MiB');
    check('test CPU time', test.ms, t.seconds * 1000, 'ms');
    check('test memory', test.mib, t.mib, 'MiB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
