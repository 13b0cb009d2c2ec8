import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { CommandIo, oneOf, parseCommandLine, parseOrUsage, UsageError } from './args';
import { appTarget, loadAppStackPlans, PlanLoader, plansOrError } from './report-command';
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

/** Parses the arguments that follow `deliver`; throws a usage error naming the problem. */
export function parseDeliverArgs(argv: readonly string[]): DeliverCommandArgs {
  const { values, positionals } = parseCommandLine(argv, { out: { type: 'string' }, only: { type: 'string' } }, { out: 'a folder' });
  const target = appTarget(positionals);
  if (!values.out) throw new UsageError('--out DIR is missing: the folder to write helm/ and operator/ into');
  const only = values.only === undefined ? undefined : oneOf('only', values.only, STACK_DELIVERIES, STACK_DELIVERIES[0]);
  return { target, out: values.out, deliveries: only === undefined ? STACK_DELIVERIES : [only] };
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
export function runDeliverCommand(argv: readonly string[], io: CommandIo, load: PlanLoader = loadAppStackPlans): number {
  const args = parseOrUsage(parseDeliverArgs, DELIVER_USAGE, argv, io);
  if (!args) return 2;
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
  run: (argv: readonly string[], io: CommandIo) => runDeliverCommand(argv, io),
} as const;
