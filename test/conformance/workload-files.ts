import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { corpusPath, toolsDir } from './corpora';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { eksTetragonStack } from '../../examples/eks-tetragon/main';
import { okeFalcoStack } from '../../examples/oke-falco/main';
import { DetectionStack, DetectionStackChartProps } from '../../lib';
import { SHIPPER_CONFIG_DIR, ShipperPlan } from '../../lib/durable/plan';
import { SYSCALL_INVESTIGATION_FIELDS } from '../../lib/packs/fields';

/** A synthesized object, loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = any;

/** A file of the real tools folder (see corpora.ts `toolsDir`); missing, the conformance run fails with the fix. */
export function realTool(...parts: string[]): string {
  const file = join(toolsDir(), ...parts);
  if (!existsSync(file)) throw new Error(`${file} not found: the tools folder is incomplete (see ../shared/tools/README.md)`);
  return file;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
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

/** Stacks for what the examples do not cover: the k8saudit Falco (EKS, AKS) and the AKS shipper (azure_blob, both credentials). */
export const EXTRA_STACKS: Record<string, DetectionStackChartProps> = {
  'eks-k8saudit': { cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' }, audit: { kubernetes: { falcoPlugin: {} } }, durable: waived },
  'aks-k8saudit': { cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' }, audit: { kubernetes: { falcoPlugin: {} } }, durable: waived },
  // The k8smeta opt-in with TLS (sensors.falco.kubernetesMetadata): the plugin's entry in falco.yaml is judged too.
  'eks-k8smeta': {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    sensors: { falco: { kubernetesMetadata: { tls: { serverSecret: 'k8s-metacollector-tls', caConfigMap: 'k8s-metacollector-ca' }, collector: { image: { tag: '0.1.1' } } } } },
    durable: waived,
  },
  'aks-blob-sas': {
    cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
    durable: { bucket: { name: 'detections', azure: { storageAccount: 'detectionsprod', sasToken: { name: 'blob', key: 'sas' } } } },
  },
  'aks-blob-key': {
    cluster: { name: 'prod-aks', provider: 'aks', region: 'westeurope' },
    durable: { bucket: { name: 'detections', azure: { storageAccount: 'detectionsprod', sharedKey: { name: 'blob', key: 'key' } } } },
  },
};

/** Every stack whose generated files the conformance tests judge: the examples and the k8saudit stacks. */
export function generatedStacks(): { name: string; chart: DetectionStack; objects: K8sObject[] }[] {
  const charts: [string, DetectionStack][] = [
    ['oke-falco', okeFalcoStack(Testing.app())],
    ['eks-teams', eksTeamsStack(Testing.app())],
    ['eks-tetragon', eksTetragonStack(Testing.app())],
    ...Object.entries(EXTRA_STACKS).map(([name, props]): [string, DetectionStack] => [name, new DetectionStack(Testing.app(), name, props)]),
  ];
  return charts.map(([name, chart]) => ({ name, chart, objects: chart.toJson() as K8sObject[] }));
}

/** The data of one ConfigMap of a stack, by name. */
export function configMapData(objects: K8sObject[], name: string): Record<string, string> | undefined {
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === name)?.data;
}

/** The shipper plan of a stack, or a loud failure. */
export function shipperOf(chart: DetectionStack): ShipperPlan {
  const shipper = chart.plan.durable?.shipper;
  if (!shipper) throw new Error(`${chart.node.path}: the stack has no durable shipper`);
  return shipper;
}

/**
 * The generated fluent-bit.conf and parsers.conf, written into `dir` with only their absolute paths moved there:
 * the buffer (hostPath) and config folders, plus any `replace` pairs (e.g. a source path, an endpoint).
 */
export function writeShipperConfig(plan: ShipperPlan, dir: string, replace: readonly [string, string][] = []): string {
  const moves: [string, string][] = [[plan.bufferHostPath, join(dir, 'buffer')], [SHIPPER_CONFIG_DIR, join(dir, 'etc')], ...replace];
  mkdirSync(join(dir, 'buffer'), { recursive: true });
  mkdirSync(join(dir, 'etc'), { recursive: true });
  for (const [file, text] of Object.entries(plan.files)) {
    const moved = moves.reduce((t, [from, to]) => t.split(from).join(to), text as string);
    writeFileSync(join(dir, 'etc', file), moved);
  }
  return join(dir, 'etc', 'fluent-bit.conf');
}

/** The alerts of one rule when real Falco replays a capture with the config `file` (alerts read from stdout). */
export function replayAlerts(file: string, capture: string, rule: string): K8sObject[] {
  const { status, output } = run(realTool('falco-0.44.1', 'falco'), ['-c', file, '-o', 'engine.kind=replay', '-o', `engine.replay.capture_file=${corpusPath('scap', capture)}`,
    // This build has no http output (Falcosidekick is not here anyway).
    '-o', 'log_level=error', '-o', 'rule_matching=all', '-o', 'http_output.enabled=false']);
  expect(status).toBe(0);
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((a) => a.rule === rule);
}

/** Every syscall investigation field and the cluster name in each alert's output_fields. */
export function expectInvestigationReady(alerts: K8sObject[], cluster: string): void {
  expect(alerts.length).toBeGreaterThan(0);
  for (const alert of alerts) {
    expect(alert.output_fields.cluster).toBe(cluster);
    expect(Object.keys(alert.output_fields)).toEqual(expect.arrayContaining(SYSCALL_INVESTIGATION_FIELDS.map(([, f]) => f)));
  }
}

/**
 * A rule of Falco's own rules files, unchanged, with its own output format: "Unexpected UDP Traffic" of
 * falcosecurity/rules falco-incubating_rules.yaml is the upstream rule that fires on the corpus captures (its
 * test_ipv6_client.scap); none of falco_rules.yaml's stable rules fires on any of them with Falco 0.44.1.
 */
export const UPSTREAM_RULE = { file: 'falco-incubating_rules.yaml', rule: 'Unexpected UDP Traffic', capture: 'test_ipv6_client.scap' };
