import { CommandIo, oneOf, onePositional, parseCommandLine, parseOrUsage, UsageError } from './args';
import { DetectionStackError } from '../core/errors';
import { coverageReport } from '../report/coverage';
import { renderReports, writeStackReports } from '../report/write';
import type { StackPlan } from '../stack/plan';

/**
 * `detection-stack report TARGET [--format markdown|json] [--out DIR]`: runs the cdk8s app in TARGET
 * (an example folder with main.ts, or the app file) the way `cdk8s synth` does, without writing any
 * manifest, and prints the coverage report of every DetectionStack it builds: the same Markdown as
 * the REPORT.md `npm run synth` writes. `--out DIR` writes REPORT.md and the runbooks into DIR instead.
 */

export const REPORT_USAGE = 'usage: detection-stack report TARGET [--format markdown|json] [--out DIR]';

export interface ReportCommandArgs {
  readonly target: string;
  readonly format: 'markdown' | 'json';
  readonly out?: string;
}

/** Parses the arguments that follow `report`; throws a usage error naming the problem. */
export function parseReportArgs(argv: readonly string[]): ReportCommandArgs {
  const { values, positionals } = parseCommandLine(argv, { format: { type: 'string' }, out: { type: 'string' } }, { out: 'a folder' });
  const format = oneOf('format', values.format, ['markdown', 'json'], 'markdown');
  if (values.out === '') throw new UsageError('--out needs a folder');
  return { target: appTarget(positionals), format, out: values.out };
}

/** The app a command runs: one folder with main.ts, or the app file. */
export function appTarget(positionals: readonly string[]): string {
  return onePositional(positionals, 'the app', 'the app (an example folder or its main.ts) is missing');
}

/** Loads the plans of an app; replaceable in tests. */
export type PlanLoader = (target: string) => StackPlan[];

/** Runs the app and returns its stacks' plans (loaded on demand: only the commands that run apps may need ts-node). */
export function loadAppStackPlans(target: string): StackPlan[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../report/load-app') as typeof import('../report/load-app')).loadStackPlans(target);
}

/** The app's plans, or undefined when its definition fails (the error printed as `error <message>`). */
export function plansOrError(target: string, load: PlanLoader, io: CommandIo): StackPlan[] | undefined {
  try {
    return load(target);
  } catch (e) {
    if (e instanceof DetectionStackError || (e as Error)?.name === 'DetectionStackError') {
      io.stderr(`error ${(e as Error).message}\n`);
      return undefined;
    }
    throw e;
  }
}

/** Runs `report`; resolves to the exit code (0 reported, 1 the app failed, 2 bad arguments). */
export function runReportCommand(argv: readonly string[], io: CommandIo, load: PlanLoader = loadAppStackPlans): number {
  const args = parseOrUsage(parseReportArgs, REPORT_USAGE, argv, io);
  if (!args) return 2;
  const plans = plansOrError(args.target, load, io);
  if (!plans) return 1;
  if (args.out) {
    const files = writeStackReports(args.out, plans);
    io.stdout(`${files.map((f) => `wrote ${f}`).join('\n')}\n`);
    return 0;
  }
  io.stdout(args.format === 'json'
    ? `${JSON.stringify(plans.map((p) => coverageReport(p)), null, 2)}\n`
    : renderReports(plans));
  return 0;
}

/** The command as the CLI registry lists it. */
export const REPORT_COMMAND = {
  usage: REPORT_USAGE,
  run: (argv: readonly string[], io: CommandIo) => runReportCommand(argv, io),
} as const;
