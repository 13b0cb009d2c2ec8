import { existsSync, statSync } from 'fs';
import { dirname, isAbsolute, join, resolve } from 'path';
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
  // The app's own cdk8s (its App is the one to capture), else this library's.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk8s = require(resolveFrom('cdk8s', dirname(entry))) as typeof import('cdk8s');
  if (entry.endsWith('.ts')) registerTypeScript(entry);
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
  } catch (e) {
    if (e instanceof DetectionStackError || (e as Error | null)?.name === 'DetectionStackError') throw e;
    throw appFailure(entry, e);
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

/**
 * Lets Node load the TypeScript app as CommonJS through ts-node (transpile only), whatever module settings the app's
 * own tsconfig has: `cdk8s synth` runs the app with them, but a `node16`/`nodenext` or `bundler` resolution beside
 * `module: commonjs` is a tsconfig error (TS5110), and `verbatimModuleSyntax` refuses imports in a CommonJS file.
 * ts-node is resolved from the app's folder first, as `npx ts-node` would find it.
 */
function registerTypeScript(entry: string): void {
  let tsNode: typeof import('ts-node');
  try {
    // ts-node is optional: only TypeScript apps need it (DS-PACK-031 says so when it is missing).
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    tsNode = require(resolveFrom('ts-node', dirname(entry))) as typeof import('ts-node');
  } catch {
    throw new DetectionStackError('DS-PACK-031', entry, 'ts-node is needed to run a TypeScript app and was not found',
      'npm install --save-dev ts-node, or compile the app and pass its .js file');
  }
  tsNode.register({
    transpileOnly: true,
    projectSearchDir: dirname(entry),
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', verbatimModuleSyntax: false },
  });
}

/** A module as the app would find it, else as this library finds it. */
function resolveFrom(request: string, dir: string): string {
  try {
    return require.resolve(request, { paths: [dir] });
  } catch {
    return request;
  }
}

/**
 * An error the app itself threw while it ran (not a definition error): DS-PACK-033 at the app's own frame
 * (file:line:col, the first stack frame outside node_modules and Node's internals), with the error's first line.
 */
export function appFailure(entry: string, e: unknown): DetectionStackError {
  const error = e instanceof Error ? e : new Error(String(e));
  // The first line, and the next one when the first only announces it (ts-node's 'Unable to compile TypeScript:').
  const lines = error.message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const firstLine = lines[0]?.endsWith(':') && lines.length > 1 ? `${lines[0]} ${lines[1]}` : lines[0] ?? '';
  const stack = (error.stack ?? '').split('\n');
  const library = resolve(__dirname, '..');
  const frame = stack.slice(1)
    .map((l) => /\(?((?:[A-Za-z]:)?[^\s():]+):(\d+):(\d+)\)?\s*$/.exec(l.trim()))
    .find((m) => m && !m[1].includes('node_modules') && isAbsolute(m[1]) && !m[1].startsWith(library));
  // A SyntaxError of the app's JavaScript has no frame of its own: V8 names `file:line` above the message.
  const syntaxAt = error instanceof SyntaxError ? /^(\/.+|[A-Za-z]:\\.+):(\d+)$/.exec(stack[0] ?? '') : null;
  const place = frame ? `${frame[1]}:${frame[2]}:${frame[3]}` : syntaxAt ? `${syntaxAt[1]}:${syntaxAt[2]}` : entry;
  const what = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${firstLine || 'an error without a message'}`;
  return new DetectionStackError('DS-PACK-033', place, `the app failed while it ran: ${what}`,
    'run the app as cdk8s synth does (npx ts-node main.ts) and fix the error there; the report needs an app that runs');
}
