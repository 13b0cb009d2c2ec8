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

/** The bounds the README's "Bounds" table states: input size, CPU seconds, peak memory in MiB. */
export const CLI_BOUNDS = {
  validate: { rules: 20_000, seconds: 60, mib: 1024 },
  test: { rules: 2_000, events: 20_000, seconds: 60, mib: 1024 },
} as const;

export interface CliBoundsBench {
  readonly cli: string;
  readonly report: (name: string, value: number, unit: string) => void;
  readonly rulesFile: (count: number) => string;
}

/** CPU milliseconds and peak memory (MiB) of one process; fails when it does (unless `allowExit` says otherwise). */
function measure(command: string, args: readonly string[], allowExit: readonly number[] = [0]): { ms: number; mib: number } {
  const run = spawnSync('/usr/bin/time', ['-f', 'BOUNDS %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 2 ** 30 });
  const m = /BOUNDS ([\d.]+) ([\d.]+) (\d+)/.exec(run.stderr);
  if (!m || !allowExit.includes(run.status ?? -1)) {
    throw new Error(`bench: ${command} ${args.join(' ')} failed (exit ${run.status}): ${run.stderr.slice(-500)}`);
  }
  return { ms: Math.round((Number(m[1]) + Number(m[2])) * 1000), mib: Math.round(Number(m[3]) / 1024) };
}

function check(name: string, value: number, bound: number, unit: string): void {
  if (value > bound) throw new Error(`bench: ${name} is ${value} ${unit}, above the README's bound of ${bound} ${unit}`);
}

export function benchCliBounds({ cli, report, rulesFile }: CliBoundsBench): void {
  const dir = mkdtempSync(join(tmpdir(), 'ds-bounds-'));
  try {
    const v = CLI_BOUNDS.validate;
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, rulesFile(v.rules));
    console.log(`# validate bound: ${v.rules} rules (each with a macro and a list), ${(statSync(rules).size / 2 ** 20).toFixed(1)} MiB`);
    const validate = measure(cli, ['validate', rules]);
    report(`cli_validate_${v.rules / 1000}k_rules_cpu_ms`, validate.ms, 'ms');
    report(`cli_validate_${v.rules / 1000}k_rules_max_rss_mib`, validate.mib, 'MiB');
    check('validate CPU time', validate.ms, v.seconds * 1000, 'ms');
    check('validate memory', validate.mib, v.mib, 'MiB');

    const t = CLI_BOUNDS.test;
    const testRules = join(dir, 'test-rules.yaml');
    writeFileSync(testRules, rulesFile(t.rules));
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${syntheticSyscallEvents(t.events).map((e) => JSON.stringify(e)).join('\n')}\n`);
    console.log(`# test bound: ${t.rules} rules over ${t.events} events, ${(statSync(events).size / 2 ** 20).toFixed(1)} MiB of JSON lines`);
    const test = measure(cli, ['test', '--rules', testRules, '--events', events, '--format', 'json']);
    report(`cli_test_${t.events / 1000}k_events_cpu_ms`, test.ms, 'ms');
    report(`cli_test_${t.events / 1000}k_events_max_rss_mib`, test.mib, 'MiB');
    check('test CPU time', test.ms, t.seconds * 1000, 'ms');
    check('test memory', test.mib, t.mib, 'MiB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
