import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { parseArgs } from 'util';
import { loadAppStackPlans, PlanLoader, plansOrError, ReportCommandIo } from './report-command';
import { STACK_DELIVERIES, StackDelivery, stackDeliveryFiles } from '../gitops/stack-files';
import type { StackPlan } from '../stack/plan';

/**
 * `detection-stack deliver TARGET --out DIR [--only helm|operator]`: runs the cdk8s app in TARGET the way
 * `cdk8s synth` does (without writing manifests) and writes, from each DetectionStack's plan, the values files for the
 * official charts (`DIR/helm/`: `<release>-values.yaml`, HELM.md) and the Falco Operator resources (`DIR/operator/`:
 * falco-operator.yaml, OPERATOR.md). An app with several stacks gets `DIR/<cluster>/helm/` and so on.
 */
export const DELIVER_USAGE = 'usage: detection-stack deliver TARGET --out DIR [--only helm|operator]';

export interface DeliverCommandArgs {
  readonly target: string;
  readonly out: string;
  readonly deliveries: readonly StackDelivery[];
}

class UsageError extends Error {}

/** Parses the arguments that follow `deliver`; throws a usage error naming the problem. */
export function parseDeliverArgs(argv: readonly string[]): DeliverCommandArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { out: { type: 'string' }, only: { type: 'string' } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('the app (an example folder or its main.ts) is missing');
  if (positionals.length > 1) throw new UsageError(`one app only (got ${positionals.map((p) => `'${p}'`).join(' and ')})`);
  if (!values.out) throw new UsageError('--out DIR is missing: the folder to write helm/ and operator/ into');
  const only = values.only;
  if (only !== undefined && !(STACK_DELIVERIES as readonly string[]).includes(only)) {
    throw new UsageError(`--only takes ${STACK_DELIVERIES.join(' or ')}, not '${only}'`);
  }
  return { target: positionals[0], out: values.out, deliveries: only === undefined ? STACK_DELIVERIES : [only as StackDelivery] };
}

/** The folder of each stack under DIR: DIR itself for one stack, `DIR/<cluster>` (made unique) for several. */
export function stackFolders(plans: readonly StackPlan[]): string[] {
  if (plans.length === 1) return [''];
  const seen = new Map<string, number>();
  return plans.map((plan) => {
    const n = (seen.get(plan.cluster.name) ?? 0) + 1;
    seen.set(plan.cluster.name, n);
    return n === 1 ? plan.cluster.name : `${plan.cluster.name}-${n}`;
  });
}

/** Runs `deliver`; returns the exit code (0 written, 1 the app failed, 2 bad arguments). */
export function runDeliverCommand(argv: readonly string[], io: ReportCommandIo, load: PlanLoader = loadAppStackPlans): number {
  let args: DeliverCommandArgs;
  try {
    args = parseDeliverArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`error CLI_USAGE ${e.message}\n${DELIVER_USAGE}\n`);
    return 2;
  }
  const plans = plansOrError(args.target, load, io);
  if (!plans) return 1;
  if (plans.length === 0) {
    io.stderr(`error CLI_USAGE ${args.target} builds no DetectionStack: nothing to deliver\n`);
    return 1;
  }
  const folders = stackFolders(plans);
  const written: string[] = [];
  plans.forEach((plan, i) => {
    for (const file of stackDeliveryFiles(plan, args.deliveries)) {
      const path = join(args.out, folders[i], file.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
      written.push(path);
    }
  });
  io.stdout(`${written.map((f) => `wrote ${f}`).join('\n')}\n`);
  return 0;
}

/** The command as the CLI registry lists it. */
export const DELIVER_COMMAND = {
  usage: DELIVER_USAGE,
  run: (argv: readonly string[], io: ReportCommandIo) => runDeliverCommand(argv, io),
} as const;
