import { readFileSync } from 'fs';
import { join, posix } from 'path';
import { App, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { corpusPath } from './corpora';
import { falcoBinary, FalcoFileResult, falcoValidate, scratchDir } from './falco-support';
import { mapLimit } from './falco-sysdig-support';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { eksTetragonStack } from '../../examples/eks-tetragon/main';
import { okeFalcoStack } from '../../examples/oke-falco/main';
import { DetectionStack } from '../../lib';
import { FALCO_CUSTOM_RULES_WARNINGS } from '../../lib/checks/ds-falco-103';
import { DIAGNOSTIC_CODES } from '../../lib/falco/rules/diagnostics';
import { loadRuleFiles } from '../../lib/falco/rules/loader';
import { planProgram } from '../../lib/pulumi/offline-plan';
import type { StackPlan } from '../../lib/stack/plan';

/**
 * Every rules file every example renders is loaded by real Falco 0.44.1 (`falco -V`) exactly as the node
 * loads it: the files its rendered `falco.yaml` lists in `rules_files`, in order, a mounted folder read in
 * name order, a file the image ships (`/etc/falco/falco_rules.yaml`) taken from the corpus. Falco must give
 * no error, and its warnings for our files must be our DS-FALCO-103 findings (same code, same item).
 *
 * The k8saudit Falco's files (source `k8s_audit`) cannot be loaded by this Falco build: it has no k8saudit
 * plugin (see ../shared/tools/falco-0.44.1/README.md), so Falco refuses the upstream k8s_audit_rules.yaml at
 * its `required_plugin_versions`. Those files are checked with our loader after the upstream k8s audit rules
 * (zero errors), and with Falco as far as it can: our custom file alone is schema-valid, loads with no error,
 * and its only warnings are LOAD_UNKNOWN_SOURCE (the rules are skipped for want of the plugin).
 */

interface K8sObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly data?: Record<string, string>;
  readonly spec?: { readonly template?: { readonly spec?: PodSpec } };
}
interface PodSpec {
  readonly containers?: readonly {
    readonly name: string;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
    readonly volumeMounts?: readonly { name: string; mountPath: string; subPath?: string }[];
  }[];
  readonly volumes?: readonly {
    readonly name: string;
    readonly configMap?: { readonly name: string };
    readonly projected?: { readonly sources?: readonly { readonly configMap?: { readonly name: string } }[] };
    readonly emptyDir?: object;
  }[];
}

interface RulesFile {
  /** The path on the node. */
  readonly path: string;
  readonly content: string;
  /** True for a file the project renders (not the image's or the corpus's). */
  readonly ours: boolean;
}

interface FalcoOnNode {
  readonly label: string;
  readonly plugins: readonly string[];
  readonly files: readonly RulesFile[];
}

/** Files the Falco image (or falcoctl, for the k8saudit plugin's rules artifact) puts on the node, as the corpus holds them. */
const IMAGE_FILES: Readonly<Record<string, () => string>> = {
  '/etc/falco/falco_rules.yaml': () => corpusPath('falco-rules', 'falco_rules.yaml'),
  '/etc/falco/k8s_audit_rules.yaml': () => corpusPath('falco-plugin-rules', 'k8s_audit_rules.yaml'),
};

interface Mount {
  readonly mountPath: string;
  readonly subPath?: string;
  /** The ConfigMap's data when the volume is a ConfigMap. */
  readonly data?: Readonly<Record<string, string>>;
}

/** What a container sees at a path through its ConfigMap mounts: one file, a folder's files in name order, or nothing. */
function configMapFilesAt(mounts: readonly Mount[], path: string): { path: string; content: string }[] | undefined {
  const mount = mounts.find((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`));
  if (!mount?.data) return undefined;
  if (mount.subPath !== undefined) return path === mount.mountPath ? [{ path, content: mount.data[mount.subPath] }] : undefined;
  // A folder: Falco reads its files in name order.
  if (path === mount.mountPath) return Object.keys(mount.data).sort().map((key) => ({ path: posix.join(path, key), content: mount.data![key] }));
  const content = mount.data[path.slice(mount.mountPath.length + 1)];
  return content === undefined ? undefined : [{ path, content }];
}

/** Every Falco container in the objects, with the rules files it loads in Falco's order. */
function falcosOnNode(example: string, objects: readonly K8sObject[]): FalcoOnNode[] {
  const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  const found: FalcoOnNode[] = [];
  for (const workload of objects.filter((o) => ['DaemonSet', 'Deployment', 'StatefulSet'].includes(o.kind))) {
    const pod = workload.spec?.template?.spec;
    for (const container of pod?.containers ?? []) {
      if (!(container.command ?? []).some((c) => c.endsWith('/falco'))) continue;
      const mounts: Mount[] = (container.volumeMounts ?? []).map((m) => {
        const volume = pod?.volumes?.find((v) => v.name === m.name);
        const dataOf = (name: string) => configMaps.get(`${workload.metadata.namespace ?? ''}/${name}`)?.data;
        // A projected volume shows the files of all its ConfigMap sources in one folder.
        const projected = volume?.projected?.sources?.map((source) => dataOf(source.configMap?.name ?? '') ?? {});
        // An emptyDir is an empty folder: the stack mounts one where no team has rules for this sensor.
        const data = volume?.configMap ? dataOf(volume.configMap.name)
          : projected ? Object.assign({}, ...projected) : volume?.emptyDir ? {} : undefined;
        return { ...m, data };
      });
      const args = container.args ?? [];
      const configPath = args.includes('-c') ? args[args.indexOf('-c') + 1] : '/etc/falco/falco.yaml';
      const where = `${example}: ${workload.kind}/${workload.metadata.name}`;
      const configFile = configMapFilesAt(mounts, configPath);
      if (configFile?.length !== 1) throw new Error(`${where} reads ${configPath} from no ConfigMap`);
      const config = parse(configFile[0].content) as { rules_files?: string[]; load_plugins?: string[] };
      const files: RulesFile[] = [];
      for (const path of config.rules_files ?? []) {
        const mounted = configMapFilesAt(mounts, path);
        if (mounted) files.push(...mounted.map((f) => ({ ...f, ours: true })));
        else if (IMAGE_FILES[path]) files.push({ path, content: readFileSync(IMAGE_FILES[path](), 'utf8'), ours: false });
        else throw new Error(`${where} loads ${path}, which is neither mounted from a ConfigMap nor a file the image ships`);
      }
      found.push({ label: `${example} ${workload.kind}/${workload.metadata.name}`, plugins: config.load_plugins ?? [], files });
    }
  }
  return found;
}

/** Pulumi's mocks hand resource inputs over with arrays as `{ "0": ..., "1": ... }`: back to arrays. */
function withArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withArrays);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => withArrays(v));
  return Object.fromEntries(entries.map(([k, v]) => [k, withArrays(v)]));
}

/** The Kubernetes objects a Pulumi example creates under Pulumi's mocks. */
async function pulumiObjects(example: string): Promise<K8sObject[]> {
  const plan = await planProgram(join(__dirname, '..', '..', 'examples', example));
  const objects: K8sObject[] = [];
  for (const r of plan.resources) {
    const inputs = withArrays(r.inputs) as Record<string, unknown>;
    if (r.type === 'kubernetes:yaml:ConfigGroup') objects.push(...((inputs.objs ?? []) as K8sObject[]));
    else if (r.type.startsWith('kubernetes:') && typeof inputs.kind === 'string') objects.push(inputs as unknown as K8sObject);
  }
  return objects;
}

interface Example {
  readonly name: string;
  readonly falcos: readonly FalcoOnNode[];
  readonly plan?: StackPlan;
}

const CDK8S_EXAMPLES = [
  { name: 'eks-teams', build: eksTeamsStack },
  { name: 'eks-tetragon', build: eksTetragonStack },
  { name: 'oke-falco', build: okeFalcoStack },
];
const PULUMI_EXAMPLES = ['aks-pulumi', 'eks-pulumi', 'oke-pulumi'];

/**
 * Not an example: a stack whose rules Falco warns about (a rule with no evt.type restriction) and with a
 * k8s_audit custom rule for the audit Falco, so the comparisons above are shown to compare something.
 */
function warnedStack(app: App): DetectionStack {
  return new DetectionStack(app, 'warned', {
    cluster: { name: 'prod-eks', provider: 'eks', region: 'eu-west-1' },
    sensors: {
      falco: {
        customRules: [
          { owner: { unowned: 'conformance stack' }, rule: { kind: 'rule', name: 'Shell anywhere', desc: 'd', condition: 'proc.name = bash and container.id != host', output: 'shell %proc.cmdline', priority: 'NOTICE' } },
          { owner: { unowned: 'conformance stack' }, rule: { kind: 'rule', name: 'Exec into pod', desc: 'd', condition: 'ka.verb = create and ka.target.subresource = exec', output: 'exec %ka.user.name', priority: 'NOTICE', source: 'k8s_audit' } },
        ],
      },
    },
    audit: { kubernetes: { falcoPlugin: {} } },
    durable: { waived: { reason: 'conformance stack for the rules files only' } },
  });
}

const isAuditFalco = (f: FalcoOnNode) => f.plugins.some((p) => p.startsWith('k8saudit'));
/** A warning as `code item`, to compare Falco's with ours. */
const warningKey = (code: string, item: string | undefined) => `${code} ${item ?? ''}`.trim();

describe('every rules file every example renders, loaded by real Falco 0.44.1 as the node loads it', () => {
  const examples: Example[] = [];
  const results = new Map<string, FalcoFileResult[]>();
  const scratch = scratchDir('falco-examples-');
  afterAll(() => scratch.dispose());

  beforeAll(async () => {
    falcoBinary();
    for (const { name, build } of [...CDK8S_EXAMPLES, { name: 'warned', build: warnedStack }]) {
      const stack = build(Testing.app());
      examples.push({ name, falcos: falcosOnNode(name, Testing.synth(stack) as K8sObject[]), plan: stack.plan });
    }
    for (const name of PULUMI_EXAMPLES) examples.push({ name, falcos: falcosOnNode(name, await pulumiObjects(name)) });
    const syscallFalcos = examples.flatMap((e) => e.falcos.filter((f) => !isAuditFalco(f)));
    await mapLimit(syscallFalcos, 2, async (falco) => {
      const paths = falco.files.map((f, i) => scratch.write(join(falco.label.replace(/\W+/g, '_'), `${i}`, f.path), f.content));
      results.set(falco.label, await falcoValidate(paths));
    });
  }, 240_000);

  test('every example is covered, and the node sensors load their rules folder (and the default rules where configured)', () => {
    expect(examples.map((e) => e.name)).toEqual([...CDK8S_EXAMPLES.map((e) => e.name), 'warned', ...PULUMI_EXAMPLES]);
    const withFalco = examples.filter((e) => e.falcos.length > 0).map((e) => e.name);
    expect(withFalco).toEqual(['eks-teams', 'oke-falco', 'warned', 'aks-pulumi', 'eks-pulumi', 'oke-pulumi']);
    const nodeSensors = examples.flatMap((e) => e.falcos.filter((f) => !isAuditFalco(f)));
    // A node sensor with no custom syscall rules mounts an empty rules.d (an emptyDir): only these two have their own.
    const withOwnRules = nodeSensors.filter((f) => f.files.some((file) => file.ours && file.path.startsWith('/etc/falco/rules.d/'))).map((f) => f.label);
    expect(withOwnRules).toEqual(['oke-falco DaemonSet/falco', 'warned DaemonSet/falco']);
    expect(nodeSensors.filter((f) => f.files.some((file) => file.path === '/etc/falco/falco_rules.yaml')).length).toBeGreaterThan(0);
    // oke-falco renders the project's packs: a rules file with real content is judged.
    const oke = nodeSensors.find((f) => f.label.startsWith('oke-falco'))!;
    expect(oke.files.filter((f) => f.ours).map((f) => parse(f.content) as unknown[]).flat().length).toBeGreaterThan(5);
  });

  test('Falco loads every file of every node sensor with no error', () => {
    const failures: string[] = [];
    for (const [label, files] of results) {
      for (const f of files) {
        if (!f.successful || f.errors.length > 0) failures.push(`${label} ${f.name}: ${f.errors.map((e) => `${e.code} ${e.item ?? ''}: ${e.message}`).join('; ')}`);
      }
    }
    expect(results.size).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  test('Falco gives no schema warning on our files', () => {
    for (const example of examples) {
      for (const falco of example.falcos.filter((f) => !isAuditFalco(f))) {
        const ours = new Set(falco.files.filter((f) => f.ours).map((f) => f.path));
        const files = results.get(falco.label)!.filter((r) => [...ours].some((p) => r.name.endsWith(p)));
        expect(files.length).toBe(ours.size);
        for (const f of files) expect({ file: f.name, schemaWarnings: f.schemaWarnings }).toEqual({ file: f.name, schemaWarnings: [] });
      }
    }
  });

  test('Falco\'s warnings on our files are our DS-FALCO-103 findings (cdk8s examples) and our loader\'s warnings (all examples)', () => {
    for (const example of examples) {
      for (const falco of example.falcos.filter((f) => !isAuditFalco(f))) {
        const ourPaths = falco.files.filter((f) => f.ours).map((f) => f.path);
        const falcoWarnings = results.get(falco.label)!
          .filter((r) => ourPaths.some((p) => r.name.endsWith(p)))
          .flatMap((r) => r.warnings.map((w) => warningKey(w.code, w.item))).sort();
        const loaded = loadRuleFiles(falco.files.map((f) => ({ name: f.path, content: f.content })));
        const loaderWarnings = loaded.diagnostics
          .filter((d) => d.severity === 'warning' && ourPaths.includes(d.file))
          .map((d) => warningKey(DIAGNOSTIC_CODES[d.code].falco, d.item?.name)).sort();
        expect({ falco: falco.label, warnings: loaderWarnings }).toEqual({ falco: falco.label, warnings: falcoWarnings });
        if (example.plan) {
          const findings = FALCO_CUSTOM_RULES_WARNINGS.evaluate(example.plan).filter((o) => o.status === 'non-compliant');
          const fromFindings = findings.map((o) => {
            const m = /: (\w+) /.exec(o.message ?? '');
            const item = /\[(?:rule|macro|list) '(.*)'\]$/.exec(o.path)?.[1];
            return warningKey(m ? DIAGNOSTIC_CODES[m[1] as keyof typeof DIAGNOSTIC_CODES].falco : '?', item);
          }).sort();
          expect({ falco: falco.label, ds103: fromFindings }).toEqual({ falco: falco.label, ds103: falcoWarnings });
        }
      }
    }
  });

  test('the comparison has teeth: Falco warns about the rule without evt.type, and so do DS-FALCO-103 and our loader', () => {
    const warned = examples.find((e) => e.name === 'warned')!;
    const node = warned.falcos.find((f) => !isAuditFalco(f))!;
    const falcoWarnings = results.get(node.label)!.flatMap((r) => r.warnings.map((w) => warningKey(w.code, w.item)));
    expect(falcoWarnings).toEqual(['LOAD_NO_EVTTYPE Shell anywhere']);
    const findings = FALCO_CUSTOM_RULES_WARNINGS.evaluate(warned.plan!).filter((o) => o.status === 'non-compliant');
    expect(findings.map((o) => o.path)).toEqual([expect.stringContaining("[rule 'Shell anywhere']")]);
  });

  test('our loader loads every Falco\'s files, the k8saudit Falco\'s included, with no error', () => {
    const all = examples.flatMap((e) => e.falcos);
    for (const falco of all) {
      const loaded = loadRuleFiles(falco.files.map((f) => ({ name: f.path, content: f.content })));
      expect({ falco: falco.label, errors: loaded.diagnostics.filter((d) => d.severity === 'error') }).toEqual({ falco: falco.label, errors: [] });
    }
  });

  test('the k8saudit Falco\'s own files: Falco (without the k8saudit plugin) loads them with no error and skips their rules as of an unknown source', async () => {
    const audit = examples.flatMap((e) => e.falcos.filter(isAuditFalco));
    expect(audit.filter((f) => f.files.some((file) => file.ours)).map((f) => f.label)).toEqual(['warned Deployment/falco-k8saudit']);
    for (const falco of audit) {
      for (const file of falco.files.filter((f) => f.ours)) {
        const path = scratch.write(join('audit', falco.label.replace(/\W+/g, '_'), file.path), file.content);
        const [result] = await falcoValidate([path]);
        expect({ file: file.path, successful: result.successful, errors: result.errors, schemaWarnings: result.schemaWarnings })
          .toEqual({ file: file.path, successful: true, errors: [], schemaWarnings: [] });
        expect(new Set(result.warnings.map((w) => w.code))).toEqual(new Set(['LOAD_UNKNOWN_SOURCE']));
      }
    }
  });

  test('this Falco build refuses the upstream k8s audit rules only for the missing plugin (why the audit files are checked as above)', async () => {
    const r = await falcoValidate([corpusPath('falco-plugin-rules', 'k8s_audit_rules.yaml')]).catch((e: Error) => e);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toMatch(/Plugin requirement not satisfied, must load one of: k8saudit/);
  });
});
