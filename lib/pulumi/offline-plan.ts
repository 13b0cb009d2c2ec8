// Runs a Pulumi program under Pulumi's own mocks, with no cloud account and no Pulumi CLI, and
// records every resource it registers. @pulumi/pulumi is never imported here: the program's own copy
// is resolved from its folder, so the mocks are set on the very instance the program uses.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { DetectionStackError } from '../core/errors';

/** One resource the program registers. */
export interface PlannedResource {
  /** Type token, e.g. `aws:s3/bucket:Bucket` or `detection-stack:eks:CloudAudit`. */
  readonly type: string;
  readonly name: string;
  /** Inputs as the program passed them; secrets print as `[secret]`. */
  readonly inputs: Record<string, unknown>;
  /** The resource's URN, as Pulumi derives it from the stack, project, parent types, type and name. */
  readonly urn: string;
  /** URNs of the resources it waits for (explicit `dependsOn` and input dependencies), sorted. */
  readonly dependsOn?: readonly string[];
  /** Name of the parent resource, for children of components. */
  readonly parent?: string;
  /** The explicit provider (`<provider URN>::<id>`), when the resource is given one. */
  readonly provider?: string;
  /** `retainOnDelete`: `pulumi destroy` drops it from the state and leaves the cloud resource. */
  readonly retainOnDelete?: boolean;
  /** `protect`: `pulumi destroy` refuses until the protection is lifted. */
  readonly protect?: boolean;
  /** `ignoreChanges`: input paths later runs leave as they were at creation. */
  readonly ignoreChanges?: readonly string[];
}

export interface OfflinePlan {
  readonly resources: readonly PlannedResource[];
}

export interface OfflinePlanOptions {
  /** Stack name the program sees; its config is read from `Pulumi.<stack>.yaml`. @default 'plan' */
  readonly stack?: string;
  /** Config values set over the stack file's, as `pulumi config set KEY VALUE` would (bare keys are the project's). @default none */
  readonly config?: Readonly<Record<string, string>>;
  /** Wall-clock seconds the program may run under mocks. @default PLAN_BOUNDS.seconds */
  readonly timeoutSeconds?: number;
  /** Resources the program may register. @default PLAN_BOUNDS.resources */
  readonly maxResources?: number;
}

/**
 * The offline plan's bounds (README "Bounds"; `npm run bench -- programs` measures a program of `resources` resources):
 * a program still running after `seconds` of wall-clock time, or registering more than `resources` resources, is
 * stopped with DS-PULUMI-039 instead of hanging or filling the memory.
 */
export const PLAN_BOUNDS = { seconds: 120, resources: 2_000 } as const;

export const SECRET_PLACEHOLDER = '[secret]';
// rpc.ts of @pulumi/pulumi: how a secret travels through the mock monitor.
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const RESOURCE_SIG = '5cf8f73096256a8f31e491e813e4eb8e';

/** Deterministic account facts the mocks answer with. */
export const MOCK_FACTS = {
  awsAccountId: '123456789012',
  azureSubscriptionId: '00000000-0000-0000-0000-000000000000',
  azureTenantId: '11111111-1111-1111-1111-111111111111',
  ociNamespace: 'mocknamespace',
} as const;

interface MockResourceArgs { type: string; name: string; inputs: Record<string, unknown>; custom?: boolean; id?: string }
interface MockCallArgs { token: string; inputs: Record<string, unknown>; provider?: string }

/** Runs `DIR/index.ts` under mocks and returns what it registered, sorted by name and type. */
export async function planProgram(dir: string, options: OfflinePlanOptions = {}): Promise<OfflinePlan> {
  const programDir = path.resolve(dir);
  const stat = fs.statSync(programDir, { throwIfNoEntry: false });
  if (!stat || !stat.isDirectory()) {
    throw new DetectionStackError('DS-PULUMI-026', programDir, stat ? 'this is a file, not a folder' : 'no such folder',
      'pass the folder of a Pulumi program (the one with Pulumi.yaml and index.ts)');
  }
  const entry = ['index.ts', 'index.js'].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
  if (!entry) {
    throw new DetectionStackError('DS-PULUMI-020', programDir, 'no index.ts or index.js in this folder', 'pass the folder of a Pulumi program (with Pulumi.yaml and index.ts)');
  }
  const project = readProjectName(programDir);
  const stack = options.stack ?? 'plan';

  let pulumiPath: string;
  try {
    pulumiPath = require.resolve('@pulumi/pulumi', { paths: [programDir] });
  } catch {
    throw new DetectionStackError('DS-PULUMI-021', programDir, '@pulumi/pulumi cannot be resolved from the program',
      'npm install @pulumi/pulumi (and the provider SDKs) where the program can find them');
  }
  // The program's instance: set mocks on it before the program loads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumi = require(pulumiPath) as typeof import('@pulumi/pulumi');

  const recorded: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
  const maxResources = options.maxResources ?? PLAN_BOUNDS.resources;
  const bounds = planBounds(programDir, options.timeoutSeconds ?? PLAN_BOUNDS.seconds);
  const registrations = new Map<string, Registration>();
  const config = { ...readStackConfig(programDir, project, stack), ...namespaced(project, options.config ?? {}) };
  // Explicit providers by mock id: a call made through one answers with that provider's settings.
  const providerInputs = new Map<string, Record<string, unknown>>();
  // Pulumi's invoke turns an error thrown by a mocked call into an Error with no message: keep ours to report it.
  let callError: DetectionStackError | undefined;
  const call = (args: MockCallArgs) => {
    try {
      return mockCall(args, callConfig(config, args.provider, providerInputs));
    } catch (e) {
      if (e instanceof DetectionStackError) callError = e;
      throw e;
    }
  };
  await pulumi.runtime.setMocks({
    newResource: (args: MockResourceArgs) => {
      if (recorded.length >= maxResources) {
        bounds.stop(new DetectionStackError('DS-PULUMI-039', programDir,
          `the program registers more than ${maxResources} resources, the offline plan's bound (README, Bounds)`,
          'plan one stack per run (`plan --stack NAME`), or look for a loop that registers resources without end'));
      } else {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
      }
      const id = args.custom === false ? undefined as unknown as string : mockId(args);
      if (args.type.startsWith('pulumi:providers:')) providerInputs.set(id, args.inputs);
      return { id, state: { ...mockState(args), ...args.inputs } };
    },
    call,
  }, project, stack, false);
  captureRegistrations(pulumi, registrations);
  const runtime = pulumi.runtime as unknown as { setAllConfig?: (c: Record<string, string>, secretKeys?: string[]) => void };
  runtime.setAllConfig?.(config, []);

  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => { failures.push(reason); };
  process.on('unhandledRejection', onRejection);
  // @pulumi/pulumi's debuggablePromise (runtime/debuggable.js) stores `new Error().stack` on every promise it makes,
  // several per resource input, for a leak report the plan never prints: formatting and keeping those traces was
  // half the CPU time of a plan. The plan reports only error messages, so no frames are captured while the program runs.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const run = async () => {
    registerTypeScript(programDir, entry);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(entry);
    const main = typeof loaded === 'function' ? loaded : typeof loaded?.default === 'function' ? loaded.default : undefined;
    if (main) await main();
    await settle(pulumi, () => recorded.length + failures.length, () => bounds.stopped);
  };
  try {
    const running = run();
    running.catch(() => undefined); // once a bound stopped the plan, the program's own end is of no interest
    await Promise.race([running, bounds.reached]);
  } catch (err) {
    if (bounds.stopped) throw bounds.stopped;
    throw callError ?? asPlanError(programDir, stack, project, err);
  } finally {
    bounds.dispose();
    process.off('unhandledRejection', onRejection);
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (failures.length > 0) throw callError ?? asPlanError(programDir, stack, project, failures[0]);

  const resources = recorded.map((r) => {
    const extra = registrations.get(`${r.type}::${r.name}`);
    const resource: PlannedResource = {
      type: r.type,
      name: r.name,
      inputs: sanitize(r.inputs) as Record<string, unknown>,
      urn: extra?.urn ?? '',
      ...(extra && extra.deps.length > 0 ? { dependsOn: [...new Set(extra.deps)].sort() } : {}),
      ...(extra?.parent ? { parent: nameOfUrn(extra.parent) } : {}),
      ...(extra?.provider ? { provider: extra.provider } : {}),
      ...(extra?.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(extra?.protect ? { protect: true } : {}),
      ...(extra && extra.ignoreChanges.length > 0 ? { ignoreChanges: extra.ignoreChanges } : {}),
    };
    return resource;
  });
  resources.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
  return { resources };
}

function readProjectName(dir: string): string {
  const file = path.join(dir, 'Pulumi.yaml');
  if (!fs.existsSync(file)) return path.basename(dir);
  const doc = readYamlMapping(file) as { name?: unknown };
  return typeof doc.name === 'string' ? doc.name : path.basename(dir);
}

/**
 * A Pulumi project or stack file as YAML: a mapping (an empty file is an empty one). Not YAML, or YAML that is no
 * mapping, is DS-PULUMI-048 at `file:line:col` of the first problem.
 */
function readYamlMapping(file: string): Record<string, unknown> {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    throw new DetectionStackError('DS-PULUMI-048', at ? `${file}:${at.line}:${at.col}` : file,
      `not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, 'correct the YAML at the place given (Pulumi reads the same file)');
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new DetectionStackError('DS-PULUMI-048', file, `the file is ${Array.isArray(value) ? 'a list' : 'a single value'}, not a mapping`,
      'write it as Pulumi does: top-level keys (name:, runtime: in Pulumi.yaml; config: in Pulumi.<stack>.yaml)');
  }
  return value as Record<string, unknown>;
}

/** `Pulumi.<stack>.yaml` config (plain values only), keys namespaced by the project as Pulumi does. */
function readStackConfig(dir: string, project: string, stack: string): Record<string, string> {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  const doc = readYamlMapping(file) as { config?: unknown };
  if (doc.config !== undefined && doc.config !== null && (typeof doc.config !== 'object' || Array.isArray(doc.config))) {
    throw new DetectionStackError('DS-PULUMI-048', file, '`config` is not a mapping of keys to values',
      'write config: followed by indented `key: value` lines, as `pulumi config set` writes them');
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
    if (value && typeof value === 'object' && 'secure' in value) {
      throw new DetectionStackError('DS-PULUMI-024', `${file}: ${key}`, 'encrypted config cannot be read without the Pulumi CLI',
        'give the plan stack plain placeholder values');
    }
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return namespaced(project, out);
}

/** Bare config keys belong to the project's namespace, as Pulumi reads them. */
function namespaced(project: string, config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.includes(':') ? key : `${project}:${key}`, value]));
}

/** TypeScript programs run through ts-node in transpile-only mode, as `pulumi up` does by default. */
function registerTypeScript(dir: string, entry: string): void {
  // Under a test runner that transforms TypeScript itself, require.extensions is absent or already has .ts.
  const extensions = (require as NodeRequire).extensions as NodeRequire['extensions'] | undefined;
  if (!entry.endsWith('.ts') || !extensions || extensions['.ts']) return;
  let tsNode: string;
  try {
    tsNode = require.resolve('ts-node', { paths: [dir, __dirname] });
  } catch {
    throw new DetectionStackError('DS-PULUMI-022', dir, 'ts-node is needed to run index.ts', 'npm install --save-dev ts-node typescript');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(tsNode) as typeof import('ts-node')).register({
    transpileOnly: true,
    skipProject: true,
    compilerOptions: { module: 'commonjs', target: 'es2022', esModuleInterop: true, strict: true },
  });
}

type PulumiModule = typeof import('@pulumi/pulumi');

interface Registration {
  urn?: string;
  deps: string[];
  parent: string;
  provider: string;
  retainOnDelete: boolean;
  protect: boolean;
  ignoreChanges: string[];
}

/** Records each registration's URN, dependencies, parent, provider, deletion options and ignoreChanges by wrapping the mock monitor's call. */
function captureRegistrations(pulumi: PulumiModule, into: Map<string, Registration>): void {
  const runtime = pulumi.runtime as unknown as { getMonitor?: () => unknown };
  const monitor = runtime.getMonitor?.() as { registerResource?: (req: RegisterRequest, cb: RegisterCallback) => unknown } | undefined;
  if (!monitor?.registerResource) return;
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: RegisterRequest, cb: RegisterCallback) => {
    const registration: Registration = {
      deps: req.getDependenciesList(),
      parent: req.getParent(),
      provider: req.getProvider(),
      retainOnDelete: req.getRetainondelete() === true,
      protect: req.getProtect() === true,
      ignoreChanges: req.getIgnorechangesList(),
    };
    into.set(`${req.getType()}::${req.getName()}`, registration);
    return original(req, (err, response) => {
      if (response) registration.urn = response.getUrn();
      cb(err, response);
    });
  };
}

type RegisterCallback = (err: unknown, response: { getUrn(): string } | undefined) => void;

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getProvider(): string;
  getRetainondelete(): boolean | undefined;
  getProtect(): boolean | undefined;
  getIgnorechangesList(): string[];
}

export function nameOfUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
}

/**
 * Waits until the program stops: the RPC queue drained and nothing new registered or failed for three
 * rounds in a row. A failure inside an `apply` surfaces only after the mock calls it waits for, later
 * than the queue first drains; returning before it would report a plan the real run refuses.
 */
async function settle(pulumi: PulumiModule, progress: () => number, stopped: () => unknown): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  let quietRounds = 0;
  let seen = -1;
  while (quietRounds < 3 && !stopped()) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (runtime.waitForRPCs) await runtime.waitForRPCs();
    const now = progress();
    quietRounds = now === seen ? quietRounds + 1 : 0;
    seen = now;
  }
}

function asPlanError(dir: string, stack: string, project: string, err: unknown): Error {
  if (err instanceof DetectionStackError || (err && typeof err === 'object' && (err as { name?: string }).name === 'DetectionStackError')) {
    // Pulumi prefixes an error thrown inside an apply with each property it was serializing, on the same object.
    (err as Error).message = (err as Error).message.replace(/^(error serializing property "[^"]*": )+/, '');
    return err as Error;
  }
  const message = err instanceof Error ? err.message : String(err);
  // @pulumi/pulumi Config.require: "Missing required configuration variable '<project>:<key>'".
  const missing = /Missing required configuration variable '([^']+)'/.exec(message);
  if (missing) {
    const full = missing[1];
    // Keys of the project's own namespace are written bare in the file (as `pulumi config set` writes them).
    const written = full.startsWith(`${project}:`) ? full.slice(project.length + 1) : full;
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    return new DetectionStackError('DS-PULUMI-027', file, `the program needs the config key '${written}' (${full}), which this file does not set`,
      `add it under config: in ${file}, e.g. \`  ${written}: <placeholder>\``);
  }
  return new DetectionStackError('DS-PULUMI-023', dir, `the program failed under mocks: ${message.split('\n')[0]}`,
    'run it with `pulumi preview` for the full error, or fix the stack definition');
}

/** Secrets become `[secret]`, resource references their URN; object keys are sorted for stable output. */
export function sanitize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitize);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return SECRET_PLACEHOLDER;
    if (obj[SIG_KEY] === RESOURCE_SIG) return { resource: obj.urn };
    if (typeof (obj as { urn?: unknown }).urn === 'object' && (obj as { __pulumiResource?: boolean }).__pulumiResource) {
      return '[resource]';
    }
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, sanitize(obj[k])]));
  }
  return value;
}

function provider(type: string): string {
  return type.split(':')[0];
}

/** Ids shaped like the provider's, derived from the name only, so plans are stable. */
export function mockId(args: { type: string; name: string }): string {
  switch (provider(args.type)) {
    case 'azure-native': return `/subscriptions/${MOCK_FACTS.azureSubscriptionId}/resourceGroups/mock/providers/${args.type.split(':')[2]}/${args.name}`;
    case 'oci': return `ocid1.${args.type.split(':')[2].toLowerCase()}.oc1..${args.name}`;
    default: return `${args.name}-id`;
  }
}

/** Outputs a provider would compute that programs commonly read. */
function mockState(args: MockResourceArgs): Record<string, unknown> {
  const p = provider(args.type);
  if (p === 'aws') {
    const state: Record<string, unknown> = { arn: `arn:aws:mock::${MOCK_FACTS.awsAccountId}:${args.type.split(':')[1]}/${args.name}` };
    if (args.type === 'aws:s3/bucket:Bucket') state.arn = `arn:aws:s3:::${String(args.inputs.bucket ?? args.name)}`;
    if (args.type === 'aws:kms/key:Key') state.keyId = `${args.name}-key-id`;
    if (args.type === 'aws:eks/cluster:Cluster') {
      state.endpoint = `https://${args.name}.mock.eks.amazonaws.com`;
      state.certificateAuthority = { data: 'bW9jay1jYQ==' };
      state.identities = [{ oidcs: [{ issuer: `https://oidc.eks.mock.amazonaws.com/id/${args.name}` }] }];
    }
    return state;
  }
  if (p === 'azure-native') {
    return {
      principalId: `${args.name}-principal-id`,
      clientId: `${args.name}-client-id`,
      tenantId: MOCK_FACTS.azureTenantId,
      // azure-native `name` outputs are the child-most name input of the resource.
      name: ['federatedIdentityCredentialResourceName', 'resourceName', 'eventHubName', 'containerName', 'authorizationRuleName', 'accountName', 'namespaceName']
        .map((k) => args.inputs[k]).find((v) => typeof v === 'string') ?? args.name,
      oidcIssuerProfile: { issuerURL: `https://oidc.mock.azure.com/${args.name}/` },
      etag: `"0x8D${args.name.length}MOCK"`,
      // Data Collection Endpoint and Rule (the shipper's Logs Ingestion output reads both).
      ...(args.type === 'azure-native:monitor:DataCollectionEndpoint' ? { logsIngestion: { endpoint: `https://${args.name}.westeurope-1.ingest.monitor.azure.com` } } : {}),
      ...(args.type === 'azure-native:monitor:DataCollectionRule' ? { immutableId: `dcr-${createHash('sha256').update(args.name).digest('hex').slice(0, 32)}` } : {}),
    };
  }
  if (p === 'oci') return { key: `${args.name}-secret`, namespace: MOCK_FACTS.ociNamespace };
  return {};
}

/** The config a call sees: the stack's, or for a call through an explicit provider, that provider's own inputs (`aws:region`...). */
function callConfig(
  config: Readonly<Record<string, string>>, providerRef: string | undefined, providers: ReadonlyMap<string, Record<string, unknown>>,
): Readonly<Record<string, string>> {
  if (!providerRef) return config;
  const inputs = providers.get(providerRef.slice(providerRef.lastIndexOf('::') + 2));
  if (!inputs) return config;
  const pkg = /::pulumi:providers:([^:]+)::/.exec(providerRef)?.[1] ?? '';
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => typeof v === 'string').map(([k, v]) => [`${pkg}:${k}`, v as string]));
}

function mockCall(args: MockCallArgs, config: Readonly<Record<string, string>>): Record<string, unknown> {
  switch (args.token) {
    case 'aws:index/getRegion:getRegion': {
      // The default provider's region, as the stack config sets it; none configured is what the provider would refuse too.
      const region = config['aws:region'];
      if (!region) {
        throw new DetectionStackError('DS-PULUMI-025', 'aws:region', 'the AWS provider has no region',
          'set aws:region in the Pulumi.<stack>.yaml config (pulumi config set aws:region <region>)');
      }
      return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    }
    case 'aws:index/getCallerIdentity:getCallerIdentity':
      return { accountId: MOCK_FACTS.awsAccountId, arn: `arn:aws:iam::${MOCK_FACTS.awsAccountId}:user/plan`, userId: 'PLAN', id: MOCK_FACTS.awsAccountId };
    case 'aws:index/getPartition:getPartition':
      return { partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws', id: 'aws' };
    case 'oci:ObjectStorage/getNamespace:getNamespace':
      return { namespace: MOCK_FACTS.ociNamespace, id: MOCK_FACTS.ociNamespace };
    case 'azure-native:authorization:getClientConfig':
      return { subscriptionId: MOCK_FACTS.azureSubscriptionId, tenantId: MOCK_FACTS.azureTenantId, clientId: 'plan-client', objectId: 'plan-object' };
    case 'azure-native:eventhub:listNamespaceKeys':
      return { primaryConnectionString: 'Endpoint=sb://mock.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=mock', primaryKey: 'mock' };
    case 'azure-native:storage:listStorageAccountKeys':
      return { keys: [{ keyName: 'key1', value: 'mock', permissions: 'Full' }] };
    default:
      return { ...args.inputs };
  }
}

interface PlanBounds {
  /** Rejects with the bound's error once a bound is reached. */
  readonly reached: Promise<never>;
  /** The error of the bound reached, if one was. */
  readonly stopped: DetectionStackError | undefined;
  stop(error: DetectionStackError): void;
  dispose(): void;
}

/**
 * The time bound, and the end of a program that awaits what never comes: with nothing left to run, Node would exit
 * silently, with status 0 and no plan printed; `beforeExit` turns that into DS-PULUMI-040. Neither keeps the process
 * alive (the timer is unreferenced). A program that loops synchronously is not interrupted: it is the user's own code.
 */
function planBounds(dir: string, seconds: number): PlanBounds {
  let reject!: (e: DetectionStackError) => void;
  const reached = new Promise<never>((_, r) => { reject = r; });
  reached.catch(() => undefined);
  const bounds = {
    reached,
    stopped: undefined as DetectionStackError | undefined,
    stop(error: DetectionStackError) {
      if (bounds.stopped) return;
      bounds.stopped = error;
      reject(error);
    },
    dispose() {
      clearTimeout(timer);
      process.off('beforeExit', onBeforeExit);
    },
  };
  const timer = setTimeout(() => bounds.stop(new DetectionStackError('DS-PULUMI-039', dir,
    `the program was still running after ${seconds} s under mocks, the offline plan's bound (README, Bounds)`,
    'look for a Promise, timer or loop that never ends in the program (under mocks no cloud call waits)')), seconds * 1000);
  timer.unref();
  const onBeforeExit = () => bounds.stop(new DetectionStackError('DS-PULUMI-040', dir,
    'the program awaits something that never comes: nothing was left to run before it finished, and no plan was made',
    'let the exported function\'s Promise resolve once the program has registered its resources'));
  process.on('beforeExit', onBeforeExit);
  return bounds;
}
