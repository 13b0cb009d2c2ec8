import { CommandIo, oneOf, onePositional, parseCommandLine, parseOrUsage, UsageError } from './args';
import { DetectionStackError } from '../core/errors';
import type { OfflinePlan, PlannedResource } from '../pulumi/offline-plan';

/**
 * `detection-stack plan DIR [--stack NAME] [--format text|json]`: runs the Pulumi program in DIR under Pulumi's
 * mocks (no cloud account, no Pulumi CLI) and prints every resource it would register; `--stack` picks the stack
 * whose config (`Pulumi.<NAME>.yaml`) the program reads (default `plan`).
 */

export const PLAN_USAGE = 'usage: detection-stack plan DIR [--stack NAME] [--format text|json]';

export interface PlanCommandArgs {
  readonly dir: string;
  readonly format: 'text' | 'json';
  /** The stack whose config file the program reads. @default 'plan' */
  readonly stack?: string;
}

/** Parses the arguments that follow `plan`; throws a usage error naming the problem. */
export function parsePlanArgs(argv: readonly string[]): PlanCommandArgs {
  const { values, positionals } = parseCommandLine(argv, { format: { type: 'string' }, stack: { type: 'string' } }, { stack: 'a stack name' });
  const format = oneOf('format', values.format, ['text', 'json'], 'text');
  const stack = values.stack;
  if (stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(stack)) {
    throw new UsageError(`--stack takes a stack name (letters, digits, '-', '_', '.'), not '${stack}'`);
  }
  const dir = onePositional(positionals, 'the program folder');
  return { dir, format, ...(stack !== undefined ? { stack } : {}) };
}

/** Runs `plan`; resolves to the exit code (0: planned, 1: the program failed, 2: usage error). */
export async function runPlanCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseOrUsage(parsePlanArgs, PLAN_USAGE, argv, io);
  if (!args) return 2;
  try {
    // Loaded here, not at the top: other commands never touch the Pulumi runner.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { planProgram } = require('../pulumi/offline-plan') as typeof import('../pulumi/offline-plan');
    const plan = await planProgram(args.dir, args.stack !== undefined ? { stack: args.stack } : {});
    io.stdout(args.format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : formatPlanTable(plan));
    return 0;
  } catch (e) {
    if (e instanceof DetectionStackError || (e as Error)?.name === 'DetectionStackError') {
      io.stderr(`error ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}

/** A readable table: type, name, parent, and what each waits for (`Kind/name`); secrets never appear. */
export function formatPlanTable(plan: OfflinePlan): string {
  const rows = plan.resources.map((r: PlannedResource) => [r.type, r.name, r.parent ?? '', (r.dependsOn ?? []).map(shortUrn).join(', ')]);
  const header = ['TYPE', 'NAME', 'PARENT', 'DEPENDS ON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line), '', `${plan.resources.length} resources`, ''].join('\n');
}

/** `Kind/name` of a URN (the JSON format keeps the whole URN). */
function shortUrn(urn: string): string {
  const parts = urn.split('::');
  if (parts.length < 4) return urn;
  const type = parts[parts.length - 2].split('$').pop() ?? '';
  return `${type.slice(type.lastIndexOf(':') + 1)}/${parts[parts.length - 1]}`;
}

/** The command as the CLI registry lists it. */
export const PLAN_COMMAND = {
  usage: PLAN_USAGE,
  run: runPlanCommand,
} as const;
