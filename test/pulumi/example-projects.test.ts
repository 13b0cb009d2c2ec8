import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { EXAMPLES } from './plan-helpers';

// Each examples/*-pulumi is a Pulumi project a user can copy out as it is: its own package.json (depending
// on detection-stack by name), a tsconfig of its own, Pulumi.yaml, the plan placeholders and a README with
// every config key the program reads. In the repository, jest's moduleNameMapper and the test tsconfig's
// paths resolve `detection-stack` to lib/ (.projenrc.ts); test/package/pack.test.ts plans one with the tarball.
const ROOT = path.join(EXAMPLES, '..');
const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const PROVIDER_MODULE: Record<string, string> = { 'eks-pulumi': 'aws', 'oke-pulumi': 'oci', 'aks-pulumi': 'azure' };
/** The CLI step that gives each provider's SDK its credentials. */
const CREDENTIALS: Record<string, string> = { 'eks-pulumi': 'aws configure sso', 'oke-pulumi': 'oci setup config', 'aks-pulumi': 'az login' };

/** Module specifiers a TypeScript file imports; `loaded`: only those that load at run time (no `import type`). */
function importsOf(file: string, loaded = false): string[] {
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(/^import (type )?[^'"]*'([^']+)';$/gm)].filter((m) => !(loaded && m[1])).map((m) => m[2]);
}

/** Package names of every bare import reachable from a lib/ module through its relative imports. */
function packagesReachedFrom(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(file)) return out;
  seen.add(file);
  for (const spec of importsOf(file, true)) {
    if (spec.startsWith('.')) {
      const next = [`${path.resolve(path.dirname(file), spec)}.ts`, path.resolve(path.dirname(file), spec, 'index.ts')].find((f) => fs.existsSync(f));
      if (next) for (const p of packagesReachedFrom(next, seen)) out.add(p);
    } else {
      out.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return out;
}

describe.each(Object.keys(PROVIDER_MODULE))('examples/%s', (example) => {
  const dir = path.join(EXAMPLES, example);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const project = parse(fs.readFileSync(path.join(dir, 'Pulumi.yaml'), 'utf8'));
  const index = fs.readFileSync(path.join(dir, 'index.ts'), 'utf8');

  test('is a Node Pulumi project of its own, named after its folder, on the Node the SDK supports', () => {
    expect([pkg.name, project.name, project.runtime]).toEqual([example, example, { name: 'nodejs', options: { typescript: true } }]);
    expect(pkg.main).toBe('index.ts');
    expect(pkg.engines).toEqual(root.engines);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
    // Nothing from the repository: node16 resolution reads the package's exports, as a user's compiler does.
    expect(tsconfig.extends).toBeUndefined();
    expect([tsconfig.compilerOptions.module, tsconfig.compilerOptions.moduleResolution, tsconfig.compilerOptions.strict]).toEqual(['node16', 'node16', true]);
  });

  test('imports detection-stack by its name and entry points only, never the repository\'s files', () => {
    const imports = importsOf(path.join(dir, 'index.ts'));
    expect(imports.filter((s) => s.startsWith('.'))).toEqual([]);
    const own = imports.filter((s) => s === 'detection-stack' || s.startsWith('detection-stack/'));
    expect(own).toContain(`detection-stack/pulumi/${PROVIDER_MODULE[example]}`);
    for (const spec of own) expect(Object.keys(root.exports)).toContain(spec === 'detection-stack' ? '.' : `./${spec.slice('detection-stack/'.length)}`);
  });

  test('depends on detection-stack at this version and on every SDK its imports load, at the ranges the package declares', () => {
    expect(pkg.dependencies['detection-stack']).toBe(`^${root.version}`);
    const needed = new Set([
      ...importsOf(path.join(dir, 'index.ts')).filter((s) => !s.startsWith('detection-stack')).map((s) => s.split('/').slice(0, 2).join('/')),
      // The provider entry's optional peers (@pulumi/command for the AKS lock step, @pulumi/kubernetes...): npm installs none of them.
      ...[...packagesReachedFrom(path.join(ROOT, 'lib', 'pulumi', `${PROVIDER_MODULE[example]}.ts`))].filter((p) => p.startsWith('@pulumi/')),
    ]);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['detection-stack', ...needed].sort());
    for (const sdk of needed) expect([sdk, pkg.dependencies[sdk]]).toEqual([sdk, root.peerDependencies[sdk]]);
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'ts-node', 'typescript']);
  });

  test('its README takes a user from zero to pulumi up, setting every config key the program reads', () => {
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const step of ['npm install', 'pulumi login', 'pulumi stack init', CREDENTIALS[example], 'pulumi preview', 'pulumi up', 'What the deployer needs']) {
      expect(readme).toContain(step);
    }
    const keys = [...index.matchAll(/config\.(require|get)(Secret|Object)?(?:<[^>]+>)?\('([^']+)'\)/g)].map((m) => ({ key: m[3], secret: m[2] === 'Secret' }));
    expect(keys.length).toBeGreaterThan(0);
    const plan = parse(fs.readFileSync(path.join(dir, 'Pulumi.plan.yaml'), 'utf8')).config as Record<string, unknown>;
    for (const { key, secret } of keys) {
      expect([key, readme]).toEqual([key, expect.stringMatching(new RegExp(`pulumi config set ${secret ? '--secret ' : '(--path \')?'}${key}\\b`))]);
      expect([key, key in plan]).toEqual([key, true]);
    }
    // The provider's region too, which the component checks against cluster.region.
    const regionKey = Object.keys(plan).find((k) => /^(aws|oci|azure-native):(region|location)$/.test(k));
    expect(readme).toContain(`pulumi config set ${regionKey} ${plan[regionKey!]}`);
  });
});

test('AKS: the container SAS is made once the account exists, then set and applied, and the shipper restarted to read it', () => {
  // The SAS is signed for an existing account and container; the program requires the key at its first run.
  const lines = fs.readFileSync(path.join(EXAMPLES, 'aks-pulumi', 'README.md'), 'utf8').split('\n');
  const at = (re: RegExp, from = 0) => lines.findIndex((l, i) => i >= from && re.test(l));
  const placeholder = at(/^pulumi config set --secret alertsSasToken pending\b/);
  const firstUp = at(/^pulumi up$/);
  const sas = at(/^pulumi config set --secret alertsSasToken "\$\(az storage container generate-sas .*--name alerts --permissions cw --https-only/);
  const secondUp = at(/^pulumi up$/, firstUp + 1);
  const restart = at(/^kubectl -n falco rollout restart daemonset\/alert-shipper\b/);
  expect([placeholder, firstUp, sas, secondUp, restart].every((i) => i >= 0)).toBe(true);
  expect(placeholder < firstUp && firstUp < sas && sas < secondUp && secondUp < restart).toBe(true);
});
