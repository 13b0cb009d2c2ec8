import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Testing } from 'cdk8s';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { eksTetragonStack } from '../../examples/eks-tetragon/main';
import { okeFalcoStack } from '../../examples/oke-falco/main';
import { DetectionStack, DetectionStackChartProps } from '../../lib';

/** A synthesized object, loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = any;

/**
 * The real programs (`../shared/tools`, or `TOOLS_DIR`). Missing or unrunnable, the conformance run fails
 * with the fix, never skips.
 */
export function realTool(...parts: string[]): string {
  const dir = resolve(process.env.TOOLS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'tools'));
  const file = join(dir, ...parts);
  if (!existsSync(file)) {
    throw new Error(`${file} not found: place the real tools in ../shared/tools (or set TOOLS_DIR) and run 'bash ../shared/tools/install.sh'`);
  }
  return file;
}

export function scratchDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `ds-${name}-`));
}

/** Runs a real program with a hard time limit; its whole output (stdout then stderr) and exit status. */
export interface RunResult { readonly status: number | null; readonly output: string }

export function run(file: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): RunResult {
  const r = spawnSync(file, [...args], { encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, env: { ...process.env, ...opts.env } });
  if (r.error) throw new Error(`${file} ${args.join(' ')} did not run: ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const waived = { waived: { reason: 'conformance stack: the durable path is tested with the examples' } };

/** A stack with the k8saudit plugin's Falco, so its falco.yaml is judged too. */
export const K8SAUDIT_STACKS: Record<string, DetectionStackChartProps> = {
  'eks-k8saudit': { cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, audit: { kubernetes: { falcoPlugin: {} } }, durable: waived },
  'aks-k8saudit': { cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' }, audit: { kubernetes: { falcoPlugin: {} } }, durable: waived },
};

/** Every stack whose generated files the conformance tests judge: the examples and the k8saudit stacks. */
export function generatedStacks(): { name: string; chart: DetectionStack; objects: K8sObject[] }[] {
  const charts: [string, DetectionStack][] = [
    ['oke-falco', okeFalcoStack(Testing.app())],
    ['eks-teams', eksTeamsStack(Testing.app())],
    ['eks-tetragon', eksTetragonStack(Testing.app())],
    ...Object.entries(K8SAUDIT_STACKS).map(([name, props]): [string, DetectionStack] => [name, new DetectionStack(Testing.app(), name, props)]),
  ];
  return charts.map(([name, chart]) => ({ name, chart, objects: chart.toJson() as K8sObject[] }));
}

/** The data of one ConfigMap of a stack, by name. */
export function configMapData(objects: K8sObject[], name: string): Record<string, string> | undefined {
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === name)?.data;
}
