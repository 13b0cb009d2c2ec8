#!/usr/bin/env node
// `npm run synth`: runs `cdk8s synth` in every examples/<name>/ that has a cdk8s.yaml, exactly as a
// user runs it in CI. Each example writes its manifests to dist/<name>/ (its cdk8s.yaml says so).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..');
// Tests point this at a scratch folder with its own examples/ and dist/; users never need it.
const root = process.env.SYNTH_EXAMPLES_ROOT ? path.resolve(process.env.SYNTH_EXAMPLES_ROOT) : repo;
const examplesDir = path.join(root, 'examples');
const cdk8sCli = path.join(repo, 'node_modules', '.bin', process.platform === 'win32' ? 'cdk8s.cmd' : 'cdk8s');

function fail(message) {
  console.error(`synth-examples: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(cdk8sCli)) fail(`${path.relative(repo, cdk8sCli)} not found: run \`npm install\` first (cdk8s-cli is a devDependency)`);

const only = process.argv.slice(2);
if (!fs.existsSync(examplesDir)) fail(`no examples/ folder in ${root}`);
const examples = fs.readdirSync(examplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(examplesDir, e.name, 'cdk8s.yaml')))
  .map((e) => e.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
if (examples.length === 0) fail(only.length ? `no example named ${only.join(', ')} with a cdk8s.yaml` : 'no examples/*/cdk8s.yaml found');

// REPORT.md (coverage matrix, Mermaid diagram) and runbooks/ next to each example's manifests, and the other
// deliveries of the same plans (helm/: values for the official charts; operator/: Falco Operator resources): the same
// files as `detection-stack report examples/<name> --out` and `detection-stack deliver examples/<name> --out`, run
// from the library sources like the examples, the app loaded once for both.
function writeReport(cwd, outdir) {
  const script = 'const io = { stdout: () => {}, stderr: (t) => process.stderr.write(t) };'
    + 'let plans; const load = (t) => (plans = plans || require("./lib/report/load-app").loadStackPlans(t));'
    + 'const code = require("./lib/cli/report-command").runReportCommand([process.argv[1], "--out", process.argv[2]], io, load);'
    + 'process.exitCode = code || require("./lib/cli/deliver-command").runDeliverCommand([process.argv[1], "--out", process.argv[2]], io, load);';
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, cwd, outdir],
    { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Whether a folder holds a .yaml file at any depth (a fleet writes its manifests in per-cluster folders). */
function hasManifest(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .some((e) => (e.isDirectory() ? hasManifest(path.join(dir, e.name)) : e.name.endsWith('.yaml')));
}

// A DetectionFleet writes its own fleet REPORT.md and per-cluster reports, and marks its folder so.
const FLEET_MARKER_FILE = '.detection-fleet';

const failed = [];
for (const name of examples) {
  const cwd = path.join(examplesDir, name);
  const outdir = path.join(root, 'dist', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  console.log(`synth ${name} -> ${path.relative(root, outdir)}/`);
  const result = spawnSync(cdk8sCli, ['synth'], { cwd, stdio: 'inherit', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  const produced = fs.existsSync(outdir) && hasManifest(outdir);
  if (result.error) failed.push(`${name}: could not run cdk8s (${result.error.message})`);
  else if (result.status !== 0) failed.push(`${name}: \`cdk8s synth\` exited with ${result.status} (its output is above)`);
  else if (!produced) failed.push(`${name}: \`cdk8s synth\` wrote no manifest to ${path.relative(root, outdir)}/ (check "output" in examples/${name}/cdk8s.yaml)`);
  else if (fs.existsSync(path.join(outdir, FLEET_MARKER_FILE))) console.log(`fleet ${name} -> ${path.relative(root, outdir)}/ (REPORT.md, <cluster>/, argocd/, flux/)`);
  else {
    const report = writeReport(cwd, outdir);
    if (report.status !== 0) failed.push(`${name}: REPORT.md, helm/ or operator/ could not be written (\`detection-stack report|deliver examples/${name}\` exited with ${report.status}; its output is above)`);
    else console.log(`report ${name} -> ${path.relative(root, path.join(outdir, 'REPORT.md'))}, helm/, operator/`);
  }
}

if (failed.length > 0) fail(`${failed.length} of ${examples.length} example(s) failed:\n  ${failed.join('\n  ')}`);
console.log(`synthesized ${examples.length} example(s) into dist/`);
