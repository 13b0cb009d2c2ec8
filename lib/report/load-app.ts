import { existsSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { CAPTURE_DEFINITION_ERRORS } from '../core/app-run';
import { DetectionStackError } from '../core/errors';
import type { StackPlan } from '../stack/plan';

/** What a DetectionStack chart exposes to the report (duck-typed: the app may load its own copy of the library). */
interface PlannedChart {
  readonly plan: StackPlan;
}

function isPlannedChart(chart: unknown): chart is PlannedChart {
  const plan = (chart as { plan?: Partial<StackPlan> } | null)?.plan;
  return !!plan && typeof plan === 'object' && !!plan.cluster && !!plan.profile && typeof plan.path === 'string';
}

/** The entry file of a cdk8s app: a `.ts`/`.js` file, or `main.ts`/`main.js` in a folder. */
export function appEntry(target: string): string {
  const path = resolve(target);
  if (!existsSync(path)) {
    throw new DetectionStackError('DS-PACK-030', target, 'no such file or folder', 'give an example folder (with main.ts) or the app file');
  }
  if (statSync(path).isFile()) {
    if (/\.(ts|js|cjs|mjs)$/.test(path)) return path;
    throw new DetectionStackError('DS-PACK-030', target, 'this is not a cdk8s app file (.ts or .js)', 'give an example folder (with main.ts) or the app file');
  }
  for (const name of ['main.ts', 'main.js']) if (existsSync(join(path, name))) return join(path, name);
  throw new DetectionStackError('DS-PACK-030', target, 'the folder has no main.ts or main.js', 'give the folder of a cdk8s app (as in examples/<name>/)');
}

/**
 * Runs a cdk8s app the way `cdk8s synth` does (as the main module, so `if (require.main === module)`
 * blocks run), with `App.synth()` turned into a no-op so nothing is written, and returns the plans of
 * the DetectionStack charts it built. TypeScript apps are loaded through ts-node (transpile only).
 */
export function loadStackPlans(target: string): StackPlan[] {
  const entry = appEntry(target);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk8s = require('cdk8s') as typeof import('cdk8s');
  if (entry.endsWith('.ts')) {
    try {
      // ts-node is optional: only TypeScript apps need it (DS-PACK-031 says so when it is missing).
      // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
      (require('ts-node') as typeof import('ts-node')).register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
    } catch {
      throw new DetectionStackError('DS-PACK-031', entry, 'ts-node is needed to run a TypeScript app and was not found',
        'npm install --save-dev ts-node, or compile the app and pass its .js file');
    }
  }
  const apps: InstanceType<typeof cdk8s.App>[] = [];
  const proto = cdk8s.App.prototype as { synth: () => void };
  const originalSynth = proto.synth;
  proto.synth = function capture(this: InstanceType<typeof cdk8s.App>) { apps.push(this); };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('module') as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const savedMain = process.mainModule;
  const flags = globalThis as Record<symbol, unknown>;
  flags[CAPTURE_DEFINITION_ERRORS] = true;
  try {
    Module._load(entry, null, true);
  } finally {
    proto.synth = originalSynth;
    (process as { mainModule?: unknown }).mainModule = savedMain;
    delete flags[CAPTURE_DEFINITION_ERRORS];
  }
  const plans = apps.flatMap((app) => (app.charts as unknown[]).filter(isPlannedChart).map((c) => c.plan));
  if (plans.length === 0) {
    throw new DetectionStackError('DS-PACK-032', entry, 'the app synthesized no DetectionStack',
      'create a DetectionStack in the app and call app.synth() when it runs as the main module');
  }
  return plans;
}
