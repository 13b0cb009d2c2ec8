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

export interface ReportCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface ReportCommandArgs {
  readonly target: string;
  readonly format: 'markdown' | 'json';
  readonly out?: string;
}

class UsageError extends Error {}

/** Parses the arguments that follow `report`; throws a usage error naming the problem. */
export function parseReportArgs(argv: readonly string[]): ReportCommandArgs {
  let target: string | undefined;
  let format: 'markdown' | 'json' = 'markdown';
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--format') {
      const value = argv[++i];
      if (value !== 'markdown' && value !== 'json') throw new UsageError(`--format takes markdown or json, not '${value ?? ''}'`);
      format = value;
    } else if (arg === '--out') {
      out = argv[++i];
      if (!out) throw new UsageError('--out needs a folder');
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option '${arg}'`);
    } else if (target === undefined) {
      target = arg;
    } else {
      throw new UsageError(`one app only (got '${target}' and '${arg}')`);
    }
  }
  if (target === undefined) throw new UsageError('the app (an example folder or its main.ts) is missing');
  return { target, format, out };
}

/** Loads the plans of an app; replaceable in tests. */
export type PlanLoader = (target: string) => StackPlan[];

/** Runs the app and returns its stacks' plans (loaded on demand: only the commands that run apps may need ts-node). */
export function loadAppStackPlans(target: string): StackPlan[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../report/load-app') as typeof import('../report/load-app')).loadStackPlans(target);
}

/** The app's plans, or undefined when its definition fails (the error printed as `error <message>`). */
export function plansOrError(target: string, load: PlanLoader, io: ReportCommandIo): StackPlan[] | undefined {
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
export function runReportCommand(argv: readonly string[], io: ReportCommandIo, load: PlanLoader = loadAppStackPlans): number {
  let args: ReportCommandArgs;
  try {
    args = parseReportArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`error CLI_USAGE ${e.message}\n${REPORT_USAGE}\n`);
    return 2;
  }
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
  run: (argv: readonly string[], io: ReportCommandIo) => runReportCommand(argv, io),
} as const;
