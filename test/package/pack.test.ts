/**
 * The package as users get it: `npm pack`, install the tarball into a fresh project, compile a cdk8s
 * app that imports it with `tsc --strict`, run it and read what it synthesized. Slow (npm install):
 * one tarball and one install for the whole file.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { installedCopy } from '../pulumi/installed-copy';

const ROOT = path.resolve(__dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
jest.setTimeout(10 * 60 * 1000);

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}\n${err.message}`);
  }
}

const CONSUMER_APP = `import { App } from 'cdk8s';
import { DetectionStack, FalcoCustomRule, and, inList, printCondition } from 'detection-stack';

const rule: FalcoCustomRule = {
  owner: { unowned: 'packaging smoke test, nobody is paged' },
  rule: {
    kind: 'rule',
    name: 'Netcat in a container',
    desc: 'nc ran in a container',
    condition: printCondition(and(inList('evt.type', ['execve', 'execveat']), inList('proc.name', ['nc', 'ncat']))),
    output: 'nc ran (proc.cmdline=%proc.cmdline)',
    priority: 'WARNING',
  },
};

const app = new App({ outdir: 'dist' });
const stack = new DetectionStack(app, 'packed', {
  cluster: { name: 'pack-test', provider: 'eks', region: 'eu-west-1' },
  sensors: { falco: { customRules: [rule] } },
  durable: { waived: { reason: 'packaging smoke test: no bucket exists for it' } },
});
const socket: string = stack.plan.falco!.containerRuntime.socketPath;
console.log(socket);
app.synth();
`;

/** The first ```ts (or other `lang`) block after `heading` in README.md, as a user copies it. */
function readmeBlock(heading: string, lang = 'ts'): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(heading);
  if (at < 0) throw new Error(`README.md has no "${heading}"`);
  const match = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(readme.slice(at));
  if (!match) throw new Error(`README.md has no ${lang} block after "${heading}"`);
  return match[1];
}

const OWN_PROJECT = 'In your own project (Node 22+)';

describe('the packed package in a fresh project', () => {
  let work: string;
  let consumer: string;
  let tarball: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-pack-'));
    // `npm pack` runs the prepare script (tsc --build), as publishing does.
    const packed = JSON.parse(run(NPM, ['pack', '--json', '--pack-destination', work], ROOT)) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, packed[0].filename);
    consumer = path.join(work, 'consumer');
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // The project files the README gives a new project: its tsconfig.json and cdk8s.yaml, the quick start as main.ts.
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), readmeBlock(OWN_PROJECT, 'json'));
    fs.writeFileSync(path.join(consumer, 'cdk8s.yaml'), readmeBlock(OWN_PROJECT, 'yaml'));
    fs.writeFileSync(path.join(consumer, 'consumer.ts'), CONSUMER_APP);
    fs.writeFileSync(path.join(consumer, 'main.ts'), readmeBlock('Quick start (cdk8s):'));
    fs.writeFileSync(path.join(consumer, 'detection-stack.test.ts'), readmeBlock('Snapshot-testing your stack'));
    run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, 'typescript@~5.9', 'ts-node@^10.9.2', '@types/node@^22', '@types/jest@^29'], consumer);
  });

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds the compiled library with its types, and no sources or tests', () => {
    const files = fs.readdirSync(path.join(consumer, 'node_modules', 'detection-stack', 'build'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts']));
    const installed = path.join(consumer, 'node_modules', 'detection-stack');
    expect(fs.existsSync(path.join(installed, 'lib'))).toBe(false);
    expect(fs.existsSync(path.join(installed, 'test'))).toBe(false);
  });

  test('a strict TypeScript cdk8s app compiles against it, runs, and synthesizes the Falco sensor', () => {
    run(path.join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--outDir', 'out'], consumer);
    const stdout = run(process.execPath, ['out/consumer.js'], consumer);
    expect(stdout.trim()).toBe('/run/containerd/containerd.sock');
    const manifest = fs.readFileSync(path.join(consumer, 'dist', 'packed.k8s.yaml'), 'utf8');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const objects = parseAllDocuments(manifest).map((d) => d.toJSON() as any);
    const daemonSet = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'falco');
    expect(daemonSet.spec.template.spec.containers[0].image).toMatch(/^docker\.io\/falcosecurity\/falco:0\.44\.1@sha256:[a-f0-9]{64}$/);
    expect(daemonSet.spec.template.spec.containers[0].securityContext.privileged).toBe(false);
    const rules = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('falco-rules-'));
    expect(rules.flatMap((r) => Object.values(r.data)).join('')).toContain('proc.name in ("nc", "ncat")');
  });

  test("the README's quick start and its Jest snapshot test, copied as written, compile under strict and run", () => {
    run(path.join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--outDir', 'out'], consumer);
    // synthApp writes the warnings on stderr and the manifests to dist/ (cdk8s's default outdir).
    fs.rmSync(path.join(consumer, 'dist'), { recursive: true, force: true });
    run(process.execPath, ['out/main.js'], consumer);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const objects = parseAllDocuments(fs.readFileSync(path.join(consumer, 'dist', 'prod.k8s.yaml'), 'utf8')).map((d) => d.toJSON() as any);
    const rules = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('falco-rules-'));
    expect(rules.flatMap((r) => Object.values(r.data)).join('')).toContain('k8s.ns.name in ("billing")');
    // The compiled snapshot test under the repository's jest: it writes its snapshot once, then `--ci` passes on it.
    const jest = [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--rootDir', path.join(consumer, 'out'), '--testMatch', '**/*.test.js', '--watchman=false'];
    run(process.execPath, [...jest, '--ci=false'], consumer);
    const snapshot = fs.readFileSync(path.join(consumer, 'out', '__snapshots__', 'detection-stack.test.js.snap'), 'utf8');
    expect(snapshot).toContain('"name": "falco"');
    run(process.execPath, [...jest, '--ci'], consumer);
  });

  test("the README's cdk8s.yaml app command runs the quick start, and `detection-stack report .` reports it", () => {
    // cdk8s synth runs the `app` command in the project folder; its output folder is cdk8s's default, dist/.
    const app = parse(readmeBlock(OWN_PROJECT, 'yaml')) as { language: string; app: string };
    expect(app.language).toBe('typescript');
    const [npx, tsNode, ...args] = app.app.split(' ');
    expect([npx, tsNode]).toEqual(['npx', 'ts-node']);
    fs.rmSync(path.join(consumer, 'dist'), { recursive: true, force: true });
    run(process.execPath, [path.join(consumer, 'node_modules', 'ts-node', 'dist', 'bin.js'), ...args], consumer);
    expect(fs.readFileSync(path.join(consumer, 'dist', 'prod.k8s.yaml'), 'utf8')).toContain('k8s.ns.name in (\"billing\")');
    // The installed command line, on the folder, with the README's tsconfig (node16): was TS5110 as CLI_INTERNAL.
    const report = run(process.execPath, [path.join(consumer, 'node_modules', 'detection-stack', 'bin', 'detection-stack'), 'report', '.'], consumer);
    expect(report.split('\n')[0]).toBe('# Detection coverage: prod');
    expect(report).toContain('| Shell access | detects (1): Shell in billing |');
  });

  test('a copied-out examples/oke-pulumi with the tarball installed type-checks with its own tsconfig and plans offline', () => {
    // The tarball unpacked where npm puts it; the other packages (cdk8s, @pulumi/*, ts-node) are the repository's,
    // linked, so no network is needed.
    const project = installedCopy('oke-pulumi', (target) => {
      fs.mkdirSync(target);
      run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], work);
    });
    try {
      expect(fs.lstatSync(path.join(project, 'node_modules', 'detection-stack')).isSymbolicLink()).toBe(false);
      const manifest = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
      expect(manifest.dependencies['detection-stack']).toBe(`^${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`);
      // The example's own tsconfig (node16 resolution reads the package's exports), against the packed .d.ts files.
      run(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit'], project);
      const resolved = run(process.execPath, ['-p', 'require.resolve("detection-stack/pulumi/oci")'], project).trim();
      expect(resolved).toBe(path.join(fs.realpathSync(project), 'node_modules', 'detection-stack', 'build', 'pulumi', 'oci.js'));
      const bin = path.join(project, 'node_modules', 'detection-stack', 'bin', 'detection-stack');
      const plan = JSON.parse(run(process.execPath, [bin, 'plan', '.', '--format', 'json'], project)) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[] };
      const bucket = plan.resources.filter((r) => r.type === 'oci:ObjectStorage/bucket:Bucket');
      expect(bucket.map((r) => [r.name, r.inputs.name, r.inputs.accessType])).toEqual([['prod-oke-detection-durable', 'prod-oke-detection-alerts', 'NoPublicAccess']]);
      expect(plan.resources.filter((r) => r.type === 'kubernetes:apps/v1:DaemonSet').map((r) => r.name)).toEqual(['prod-oke-detection-k8s-falco/alert-shipper', 'prod-oke-detection-k8s-falco/falco']);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  test('require("detection-stack") loads without any @pulumi module installed', () => {
    const out = run(process.execPath, ['-e', `
      require('detection-stack');
      const pulumi = Object.keys(require.cache).filter((k) => k.includes('/node_modules/@pulumi/'));
      console.log(JSON.stringify({ pulumi, hasPulumiInstalled: require('fs').existsSync('node_modules/@pulumi') }));
    `], consumer);
    expect(JSON.parse(out)).toEqual({ pulumi: [], hasPulumiInstalled: false });
  });
});

describe('require("detection-stack/falco"), the rule language alone', () => {
  test('loads the loader and the evaluator without cdk8s, constructs or any @pulumi module (require.cache)', () => {
    const out = run(process.execPath, ['-e', `
      const falco = require('detection-stack/falco');
      const loaded = Object.keys(require.cache);
      const result = falco.loadRuleFiles([{ name: 'r.yaml', content: '- rule: r\\n  desc: d\\n  condition: evt.type = open\\n  output: o\\n  priority: WARNING\\n' }]);
      console.log(JSON.stringify({
        frameworks: loaded.filter((k) => /\\/node_modules\\/(cdk8s|cdk8s-plus-28|constructs|@pulumi)\\//.test(k)),
        entry: loaded.filter((k) => k.endsWith('/build/falco/index.js')).length,
        rules: result.ruleset.rules.map((r) => r.name),
        evaluator: typeof falco.RuleEvaluator,
      }));
    `], ROOT);
    expect(JSON.parse(out)).toEqual({ frameworks: [], entry: 1, rules: ['r'], evaluator: 'function' });
  });
});

describe('require("detection-stack") where the Pulumi SDKs are installed', () => {
  test('loads no @pulumi/* module (require.cache)', () => {
    // The repository has every @pulumi SDK installed (dev dependencies): nothing may pull one in.
    const out = run(process.execPath, ['-e', `
      require('detection-stack');
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify({
        pulumi: loaded.filter((k) => k.includes('/node_modules/@pulumi/')),
        self: loaded.some((k) => k.endsWith('/build/index.js')),
      }));
    `], ROOT);
    expect(fs.existsSync(path.join(ROOT, 'node_modules', '@pulumi', 'pulumi'))).toBe(true);
    expect(JSON.parse(out)).toEqual({ pulumi: [], self: true });
  });
});
