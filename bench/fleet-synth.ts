/**
 * Fleet synthesis at scale: a fleet of 50, 100 and 200 clusters (the three providers in turn, 10 teams, the runtime
 * and Kubernetes-audit packs: bench/fleet-props.ts) synthesized to disk by one process of the built package, as
 * `cdk8s synth` of a fleet app runs. Per size: CPU seconds (user + system, which a shared machine does not inflate),
 * wall seconds for reference, and peak memory (GNU time's maximum resident set); the ratios between sizes show
 * whether the cost grows linearly (2.0 each). The run fails when 200 clusters exceed the targets.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { benchFleetProps } from './fleet-props';

export const FLEET_SIZES = [50, 100, 200] as const;
/** The targets of issue #16 for 200 clusters. */
export const FLEET_TARGETS = { clusters: 200, seconds: 15, mb: 1536 } as const;

interface Cost { readonly cpu: number; readonly wall: number; readonly mb: number }

function synthesize(dir: string, clusters: number): Cost {
  const input = join(dir, `fleet-${clusters}.json`);
  const out = join(dir, `out-${clusters}`);
  writeFileSync(input, JSON.stringify(benchFleetProps(clusters)));
  const run = spawnSync('/usr/bin/time', ['-f', 'FLEET %e %U %S %M', process.execPath, join(__dirname, 'fleet-synth-child.js'), input, out],
    { encoding: 'utf8', maxBuffer: 2 ** 28 });
  const m = /FLEET ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(run.stderr);
  if (run.status !== 0 || !m) throw new Error(`bench: fleet synth of ${clusters} clusters failed (exit ${run.status}): ${run.stderr.slice(-800)}`);
  // The synthesis did its job: a folder per cluster beside the fleet's own folders and files.
  const folders = readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory() && !['argocd', 'flux'].includes(e.name));
  if (folders.length !== clusters) throw new Error(`bench: fleet synth of ${clusters} clusters wrote ${folders.length} cluster folders`);
  rmSync(out, { recursive: true, force: true });
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), mb: Math.round(Number(m[4]) / 1024) };
}

export function benchFleetSynth(report: (name: string, value: number, unit: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ds-fleet-bench-'));
  try {
    const costs = new Map<number, Cost>();
    for (const clusters of FLEET_SIZES) {
      const cost = synthesize(dir, clusters);
      costs.set(clusters, cost);
      report(`fleet_synth_${clusters}_s`, cost.cpu, 's');
      report(`fleet_synth_${clusters}_wall_s`, cost.wall, 's');
      report(`fleet_synth_${clusters}_peak_mb`, cost.mb, 'MB');
    }
    for (let i = 1; i < FLEET_SIZES.length; i++) {
      const [small, large] = [FLEET_SIZES[i - 1], FLEET_SIZES[i]];
      report(`fleet_synth_${large}_vs_${small}_ratio`, costs.get(large)!.cpu / costs.get(small)!.cpu, 'ratio');
    }
    const target = costs.get(FLEET_TARGETS.clusters)!;
    if (target.cpu > FLEET_TARGETS.seconds) {
      throw new Error(`bench: fleet_synth_${FLEET_TARGETS.clusters}_s is ${target.cpu.toFixed(1)} s, above the target of ${FLEET_TARGETS.seconds} s`);
    }
    if (target.mb > FLEET_TARGETS.mb) {
      throw new Error(`bench: fleet_synth_${FLEET_TARGETS.clusters}_peak_mb is ${target.mb} MB, above the target of ${FLEET_TARGETS.mb} MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
