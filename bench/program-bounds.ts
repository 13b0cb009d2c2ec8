/**
 * The bounds of the two commands that run the user's own program: `report` over a generated cdk8s app of
 * {@link PROGRAM_BOUNDS}.report.stacks stacks (the fleet bench's clusters, each its own DetectionStack), and `plan`
 * over an installed copy of examples/eks-pulumi (the package linked as node_modules/detection-stack, as after
 * `npm install`) and over a generated program of as many resources as the plan admits (PLAN_BOUNDS.resources). Each run is the built package as a whole process: CPU time and peak memory, one BENCH line each;
 * the run fails when a figure exceeds the bound the README's "Bounds" table states.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CliBoundsBench, check, measure } from './cli-bounds';
import { benchFleetProps } from './fleet-props';
import { planFleet } from '../lib/fleet/plan';
import { PLAN_BOUNDS } from '../lib/pulumi/offline-plan';
import { installedCopy, linkModules } from '../test/pulumi/installed-copy';

/** The sizes and bounds the README's "Bounds" table states for `report` and `plan`. */
export const PROGRAM_BOUNDS = {
  report: { stacks: 200, seconds: 60, mib: 1024 },
  plan: { example: 'eks-pulumi', resources: PLAN_BOUNDS.resources, seconds: 60, mib: 2048 },
} as const;

/** A cdk8s app (plain JavaScript, as `cdk8s synth` runs it) that builds one DetectionStack per entry of stacks.json. */
const REPORT_APP = `const { App } = require('cdk8s');
const { DetectionStack } = require('detection-stack');
const app = new App();
for (const { name, props } of require('./stacks.json')) new DetectionStack(app, name, props);
app.synth();
`;

/** A folder holding the report app of `stacks` stacks, its node_modules linked; returns the app file. */
function reportApp(dir: string, stacks: number): string {
  const clusters = planFleet(benchFleetProps(stacks)).clusters;
  writeFileSync(join(dir, 'stacks.json'), JSON.stringify(clusters.map((c) => ({ name: c.name, props: c.stackProps }))));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'report-bench', version: '1.0.0', private: true }));
  writeFileSync(join(dir, 'main.js'), REPORT_APP);
  linkModules(dir);
  return join(dir, 'main.js');
}

/** A Pulumi program of `count` S3 buckets (each with its own name and tags), its node_modules linked. */
function bucketsProgram(dir: string, count: number): string {
  writeFileSync(join(dir, 'Pulumi.yaml'), 'name: plan-bench\nruntime: nodejs\n');
  writeFileSync(join(dir, 'Pulumi.plan.yaml'), 'config:\n  aws:region: eu-west-1\n');
  writeFileSync(join(dir, 'index.js'), `const aws = require('@pulumi/aws');
for (let i = 0; i < ${count}; i++) new aws.s3.Bucket(\`b\${i}\`, { bucket: \`bench-\${i}\`, tags: { team: \`t\${i % 10}\`, index: String(i) } });
`);
  linkModules(dir);
  return dir;
}

/** `plan` of one program, by a process of the built package: its cost and the number of resources it printed. */
function planCost(cli: string, program: string): ReturnType<typeof measure> & { resources: number } {
  try {
    const cost = measure(cli, ['plan', program, '--format', 'json']);
    return { ...cost, resources: (JSON.parse(cost.stdout) as { resources: unknown[] }).resources.length };
  } finally {
    rmSync(program, { recursive: true, force: true });
  }
}

export function benchProgramBounds({ cli, report }: Omit<CliBoundsBench, 'rulesFile'>): void {
  const r = PROGRAM_BOUNDS.report;
  const dir = mkdtempSync(join(tmpdir(), 'ds-report-bench-'));
  let reported: ReturnType<typeof measure>;
  try {
    reported = measure(cli, ['report', reportApp(dir, r.stacks), '--format', 'json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const stacks = (JSON.parse(reported.stdout) as unknown[]).length;
  if (stacks !== r.stacks) throw new Error(`bench: report printed ${stacks} stacks' reports, not ${r.stacks}`);
  report('cli_report_bound_stacks', stacks, 'stacks');
  report('cli_report_bound_cpu_ms', reported.ms, 'ms');
  report('cli_report_bound_max_rss_mib', reported.mib, 'MiB');
  check('report CPU time', reported.ms, r.seconds * 1000, 'ms');
  check('report memory', reported.mib, r.mib, 'MiB');

  const p = PROGRAM_BOUNDS.plan;
  const example = planCost(cli, installedCopy(p.example));
  if (example.resources < 50) throw new Error(`bench: plan of ${p.example} printed ${example.resources} resources, fewer than its program registers`);
  report('cli_plan_example_resources', example.resources, 'resources');
  report('cli_plan_example_cpu_ms', example.ms, 'ms');
  report('cli_plan_example_max_rss_mib', example.mib, 'MiB');
  const bound = planCost(cli, bucketsProgram(mkdtempSync(join(tmpdir(), 'ds-plan-bench-')), p.resources));
  if (bound.resources !== p.resources) throw new Error(`bench: plan printed ${bound.resources} resources, not the program's ${p.resources} buckets`);
  report('cli_plan_bound_resources', p.resources, 'resources');
  report('cli_plan_bound_cpu_ms', bound.ms, 'ms');
  report('cli_plan_bound_max_rss_mib', bound.mib, 'MiB');
  for (const [what, cost] of [['example', example], ['bound', bound]] as const) {
    check(`plan CPU time (${what})`, cost.ms, p.seconds * 1000, 'ms');
    check(`plan memory (${what})`, cost.mib, p.mib, 'MiB');
  }
}
