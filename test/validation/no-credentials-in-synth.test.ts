import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdk8s';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { eksTetragonStack } from '../../examples/eks-tetragon/main';
import { exampleFleet } from '../../examples/fleet/main';
import { okeFalcoStack } from '../../examples/oke-falco/main';
import type { DetectionStack } from '../../lib';
import { runDeliverCommand } from '../../lib/cli/deliver-command';
import { runReportCommand } from '../../lib/cli/report-command';
import { credentialInUrl } from '../../lib/core/urls';

// #14 "no error message, report or snapshot ever prints a URL's query or userinfo", over what the examples
// synthesize now (not only the committed snapshots, see no-credentials-in-output.test.ts): every file
// `npm run synth` writes for each cdk8s example (manifests, REPORT.md, runbooks, helm/, operator/; the fleet's
// per-cluster folders, GitOps objects and fleet REPORT.md) and what the commands print, written here into a
// scratch folder in-process, holds no URL credentialInUrl finds a credential in.

const ROOT = join(__dirname, '..', '..');
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`\\<>)\],]+/gi;

const STACK_EXAMPLES: Record<string, (app: App) => DetectionStack> = {
  'eks-teams': eksTeamsStack,
  'eks-tetragon': eksTetragonStack,
  'oke-falco': okeFalcoStack,
};
const FLEET_EXAMPLES = ['fleet'];

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

function credentialUrls(text: string): string[] {
  return [...text.matchAll(URL_IN_TEXT)].map((m) => m[0]).filter((url) => credentialInUrl(url) !== undefined);
}

/** Everything `npm run synth` writes for the example, and what the report and deliver commands print. */
function synthesize(name: string, out: string): { files: string[]; printed: string } {
  const printed: string[] = [];
  const io = { stdout: (t: string) => printed.push(t), stderr: (t: string) => printed.push(t) };
  const app = new App({ outdir: out });
  if (FLEET_EXAMPLES.includes(name)) {
    exampleFleet(app).writeTo(out);
  } else {
    const stack = STACK_EXAMPLES[name](app);
    app.synth();
    const load = () => [stack.plan];
    expect(runReportCommand([`examples/${name}`, '--out', out], io, load)).toBe(0);
    expect(runDeliverCommand([`examples/${name}`, '--out', out], io, load)).toBe(0);
  }
  return { files: allFiles(out), printed: printed.join('') };
}

describe('no synthesized example output carries a URL credential', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ds-no-credentials-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('the scan covers every cdk8s example', () => {
    const cdk8sExamples = readdirSync(join(ROOT, 'examples')).filter((n) => existsSync(join(ROOT, 'examples', n, 'cdk8s.yaml'))).sort();
    expect([...Object.keys(STACK_EXAMPLES), ...FLEET_EXAMPLES].sort()).toEqual(cdk8sExamples);
  });

  test.each([...Object.keys(STACK_EXAMPLES), ...FLEET_EXAMPLES])('GIVEN examples/%s synthesized, reported and delivered THEN no file or printed line has a URL with a token, userinfo or secret path', (name) => {
    const out = join(scratch, name);
    const { files, printed } = synthesize(name, out);
    const names = files.map((f) => f.slice(out.length + 1));
    // the manifests (a stack's <name>.k8s.yaml, a fleet's <cluster>/manifests/), the report, the Helm values
    expect(names.some((f) => /\.k8s\.yaml$|(^|\/)manifests\/.+\.yaml$/.test(f))).toBe(true);
    expect(names.some((f) => /(^|\/)REPORT\.md$/.test(f))).toBe(true);
    expect(names.some((f) => /(^|\/)helm\/[a-z]+-values\.yaml$/.test(f))).toBe(true);
    // the outputs do carry URLs (the scan reads them): the event router, Alertmanager, the runbook links
    const urls = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(URL_IN_TEXT)]);
    expect(urls.length).toBeGreaterThan(0);
    const found = [
      ...files.flatMap((f) => credentialUrls(readFileSync(f, 'utf8')).map((url) => `${f.slice(out.length + 1)}: ${url}`)),
      ...credentialUrls(printed).map((url) => `printed: ${url}`),
    ];
    expect(found).toEqual([]);
  });
});
