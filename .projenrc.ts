import { javascript, typescript } from 'projen';

// Pulumi SDKs are optional peers: a cdk8s-only user never installs or loads them.
const pulumiPeers = [
  '@pulumi/pulumi@^3.270.0',
  '@pulumi/kubernetes@^4.34.0',
  '@pulumi/aws@^7.48.0',
  '@pulumi/oci@^4.20.0',
  '@pulumi/azure-native@^3.28.0',
];

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
  minNodeVersion: '20.0.0',
  typescriptVersion: '~5.9.3',
  deps: ['cdk8s@^2.70.0', 'cdk8s-plus-28@^2.5.6', 'constructs@^10.3.0', 'yaml@^2.8.0'],
  peerDeps: pulumiPeers,
  peerDependencyOptions: { pinnedDevDependency: false },
  entrypoint: 'build/index.js',
  entrypointTypes: 'build/index.d.ts',
  devDeps: [
    ...pulumiPeers,
    '@types/node@^20',
    'cdk8s-cli@^2.200.0',
    'kubernetes-models@^4.5.1',
    'ajv@^8.17.0',
    'fast-check@^4.0.0',
    '@swc/core@^1.7.0',
    '@swc/jest@^0.2.36',
    'ts-node@^10.9.2',
  ],
  tsconfig: {
    compilerOptions: {
      rootDir: 'lib',
      skipLibCheck: true,
      lib: ['es2022'],
      target: 'ES2022',
    },
  },
  tsconfigDev: {
    compilerOptions: { skipLibCheck: true, lib: ['es2022'], target: 'ES2022' },
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../rules/**/*.ts', '../scripts/**/*.ts'],
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/conformance/'],
    },
  },
  eslintOptions: { dirs: ['lib'], devdirs: ['test', 'examples', 'bench', 'rules', 'scripts'] },
  bin: { 'detection-stack': 'bin/detection-stack' },
  gitignore: ['/dist/', '*.tgz', '/.notes/'],
});

// The language module runs on the hot path of the evaluator; swc keeps jest fast on 2 cores,
// and `tsc` (the compile step) type-checks everything instead.
project.package.addField('jest', undefined);
project.tryFindObjectFile('package.json')?.addOverride('jest.transform', {
  '^.+\\.[t]sx?$': ['@swc/jest', {}],
});
project.tryFindObjectFile('package.json')?.addDeletionOverride('jest.globals');
project.tryFindObjectFile('package.json')?.addOverride('jest.preset', undefined);

project.package.addField('peerDependenciesMeta', Object.fromEntries(
  pulumiPeers.map((p) => [p.replace(/@[^@]*$/, ''), { optional: true }]),
));
project.package.addField('files', ['build/**', 'bin/**', 'rules/**', 'README.md', 'LICENSE']);
project.package.addField('exports', {
  '.': { types: './build/index.d.ts', default: './build/index.js' },
  // One entry per Pulumi provider module: importing one loads only that provider's SDK.
  ...Object.fromEntries(['aws', 'oci', 'azure', 'kubernetes'].map((m) => [
    `./pulumi/${m}`, { types: `./build/pulumi/${m}.d.ts`, default: `./build/pulumi/${m}.js` },
  ])),
  './package.json': './package.json',
});

// `npm install` builds the package so bin/detection-stack and `npm run synth` work at once.
project.package.setScript('prepare', 'tsc --build');
project.package.setScript('synth', 'node scripts/synth-examples.js');
project.package.setScript('bench', 'ts-node --transpile-only bench/run.ts');
project.package.setScript('typecheck', 'tsc --noEmit -p tsconfig.dev.json');

// The test task never writes: no snapshot updates (`jest --ci`), no lint autofix.
project.testTask.reset('jest --ci', { receiveArgs: true });
project.testTask.exec('tsc --noEmit -p test/tsconfig.json');
project.testTask.exec('eslint --ext .ts --no-error-on-unmatched-pattern lib test examples bench rules scripts');

const conformance = project.addTask('test:conformance', {
  description: 'Tests against the real tools (sysdig, amtool) and the public corpora in ../shared/corpora',
  exec: 'jest --ci --runInBand --testPathIgnorePatterns /node_modules/ --testMatch "<rootDir>/test/conformance/**/*.test.ts"',
});
project.package.setScript('test:conformance', `npx projen ${conformance.name}`);

project.synth();
