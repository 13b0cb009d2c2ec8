import { readFileSync, writeFileSync, mkdirSync } from 'fs';
import { join } from 'path';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { parse, stringify } from 'yaml';
import { corpusPath } from './corpora';
import { configMapData, expectInvestigationReady, generatedStacks, K8sObject, realTool, replayAlerts, run, scratchDir, UPSTREAM_RULE } from './workload-files';
import { K8S_AUDIT_INVESTIGATION_FIELDS, SYSCALL_INVESTIGATION_FIELDS } from '../../lib/packs/fields';

/**
 * Every falco.yaml the stack generates (the node sensor's and the k8saudit Falco's) is judged by Falco 0.44.1:
 * its own config schema (ajv, zero errors: Falco logs any error as a warning at every start and shows only the
 * first), then `falco --dry-run` with the generated file, which must start cleanly and report the schema ok.
 * Paths are rewritten into a scratch folder (plugin libraries, rules folders); the plugins this build of Falco
 * lacks (k8saudit-eks, k8saudit-aks, json) are taken out by the test, and with them the k8s_audit rules files
 * they alone can load.
 */
const FALCO = realTool('falco-0.44.1', 'falco');
const CONTAINER_PLUGIN = realTool('falco-0.44.1', 'plugins', 'libcontainer.so');
const BUILT_IN_PLUGINS = new Set(['container']);
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addMetaSchema(draft06);
const falcoSchema = ajv.compile(JSON.parse(readFileSync(corpusPath('falco-config', 'falco-0.44.1-config.schema.json'), 'utf8')));
// The container plugin's schema declares draft-04, whose keywords it uses are the same in draft-06.
const { $schema: _draft04, ...containerPluginSchema } = JSON.parse(readFileSync(corpusPath('falco-config', 'container-plugin-0.7.1-config.schema.json'), 'utf8'));
const containerSchema = ajv.compile(containerPluginSchema);

interface FalcoConfigUnderTest {
  readonly name: string;
  readonly cluster: string;
  readonly config: Record<string, K8sObject>;
  /** The rules files of the same workload, by the path falco.yaml names. */
  readonly rules: Record<string, string>;
  readonly source: 'syscall' | 'k8s_audit';
}

function falcoConfigs(): FalcoConfigUnderTest[] {
  const found: FalcoConfigUnderTest[] = [];
  for (const { name, chart, objects } of generatedStacks()) {
    const node = configMapData(objects, 'falco-config');
    if (node) {
      // the shared lists and macros and one ConfigMap per owning team, projected together into rules.d
      const rules: Record<string, string> = Object.assign({}, ...objects
        .filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('falco-rules-')).map((o) => o.data));
      found.push({
        name: `${name} node sensor`,
        cluster: chart.plan.cluster.name,
        config: parse(node['falco.yaml']),
        source: 'syscall',
        rules: {
          '/etc/falco/falco_rules.yaml': readFileSync(corpusPath('falco-rules', 'falco_rules.yaml'), 'utf8'),
          ...Object.fromEntries(Object.entries(rules).map(([file, text]) => [`/etc/falco/rules.d/${file}`, text])),
        },
      });
    }
    const audit = configMapData(objects, 'falco-k8saudit-config');
    if (audit) found.push({ name: `${name} k8saudit Falco`, cluster: chart.plan.cluster.name, config: parse(audit['falco.yaml']), rules: {}, source: 'k8s_audit' });
  }
  return found;
}

/** The generated config with its paths moved into `dir` and the plugins this Falco build lacks taken out. */
function runnableCopy(c: FalcoConfigUnderTest, dir: string): { file: string; removedPlugins: string[] } {
  const config = structuredClone(c.config);
  const removedPlugins = (config.load_plugins as string[]).filter((p) => !BUILT_IN_PLUGINS.has(p));
  config.load_plugins = (config.load_plugins as string[]).filter((p) => BUILT_IN_PLUGINS.has(p));
  config.plugins = (config.plugins as K8sObject[]).filter((p) => BUILT_IN_PLUGINS.has(p.name)).map((p) => ({ ...p, library_path: CONTAINER_PLUGIN }));
  const rulesFiles: string[] = [];
  for (const path of config.rules_files as string[]) {
    const files = Object.entries(c.rules).filter(([p]) => p === path || p.startsWith(`${path}/`));
    if (files.length === 0 && removedPlugins.length > 0) continue; // k8s_audit rules: only the removed plugins define their fields
    const target = join(dir, 'rules', path.replace(/^\//, '').replace(/\//g, '_'));
    if (files.length === 0 && path === '/etc/falco/rules.d') {
      // no team has rules: the workload mounts an empty folder there, which Falco must accept
      mkdirSync(target, { recursive: true });
      rulesFiles.push(target);
      continue;
    }
    if (files.length === 0) throw new Error(`${c.name}: rules_files names ${path}, which the workload does not mount`);
    if (files.length === 1 && files[0][0] === path) {
      mkdirSync(join(dir, 'rules'), { recursive: true });
      writeFileSync(target, files[0][1]);
    } else {
      mkdirSync(target, { recursive: true });
      for (const [p, text] of files) writeFileSync(join(target, p.slice(path.length + 1)), text);
    }
    rulesFiles.push(target);
  }
  if (rulesFiles.length === 0) {
    // Every rules file needed the removed plugins: Falco refuses to start without one, so an empty one stands in.
    writeFileSync(join(dir, 'empty-rules.yaml'), '[]\n');
    rulesFiles.push(join(dir, 'empty-rules.yaml'));
  }
  config.rules_files = rulesFiles;
  const file = join(dir, 'falco.yaml');
  writeFileSync(file, stringify(config, { lineWidth: 0 }));
  return { file, removedPlugins };
}

const configs = falcoConfigs();

test('the stacks under test generate both kinds of falco.yaml', () => {
  expect(configs.filter((c) => c.source === 'syscall').length).toBeGreaterThanOrEqual(2);
  expect(configs.filter((c) => c.source === 'k8s_audit').map((c) => c.name)).toEqual(['eks-k8saudit k8saudit Falco', 'aks-k8saudit k8saudit Falco']);
});

describe.each(configs.map((c) => [c.name, c] as const))('%s: falco.yaml', (_name, c) => {
  test("passes Falco 0.44.1's config schema with no error (ajv)", () => {
    falcoSchema(c.config);
    expect(falcoSchema.errors ?? []).toEqual([]);
    for (const plugin of (c.config.plugins as K8sObject[]).filter((p) => p.name === 'container')) {
      containerSchema(plugin.init_config);
      expect(containerSchema.errors ?? []).toEqual([]);
    }
  });

  test('falco --dry-run starts cleanly with it, schema ok for the config and every rules file', () => {
    const { file, removedPlugins } = runnableCopy(c, scratchDir('falco-config'));
    if (removedPlugins.length) {
      // Said, not hidden: this Falco build has only the container plugin.
      process.stdout.write(`${c.name}: plugins not in this Falco build, disabled for the dry run: ${removedPlugins.join(', ')}\n`);
    }
    const { status, output } = run(FALCO, ['-c', file, '--dry-run']);
    expect(output).toContain(`${file} | schema validation: ok`);
    expect(output).not.toMatch(/schema validation: failed|warning|error/i);
    expect(status).toBe(0);
  });

  test('every rule of the source, ours or not, gets the cluster name and the investigation fields through append_output', () => {
    const entries = c.config.append_output as K8sObject[];
    expect(entries).toContainEqual({ suggested_output: true });
    const forSource = entries.find((e) => e.match?.source === c.source);
    expect(forSource.match).toEqual({ source: c.source });
    expect(forSource.extra_fields).toContainEqual({ cluster: c.cluster });
    const fields = (c.source === 'syscall' ? SYSCALL_INVESTIGATION_FIELDS : K8S_AUDIT_INVESTIGATION_FIELDS).map(([, f]) => f).filter((f) => !f.includes('['));
    expect(forSource.extra_fields).toEqual(expect.arrayContaining(fields));
  });
});

describe('Falco 0.44.1 replays a capture with the generated node config', () => {
  const c = configs.find((x) => x.name === 'eks-teams node sensor')!;

  test('each alert of an upstream rule, unchanged, carries the cluster name and every investigation field', () => {
    const upstream = readFileSync(corpusPath('falco-rules', UPSTREAM_RULE.file), 'utf8');
    expect(upstream).toContain(`- rule: ${UPSTREAM_RULE.rule}\n`);
    const { file } = runnableCopy({ ...c, rules: { ...c.rules, [`/etc/falco/rules.d/zz-${UPSTREAM_RULE.file}`]: upstream } }, scratchDir('falco-replay-upstream'));
    const alerts = replayAlerts(file, UPSTREAM_RULE.capture, UPSTREAM_RULE.rule);
    expectInvestigationReady(alerts, 'prod-eks');
    // the rule's own output is kept as upstream wrote it
    for (const alert of alerts) expect(alert.output).toMatch(/Unexpected UDP Traffic Seen \| connection=/);
  });

  // A rule the stack did not write, with a bare output, as Falco's default rules and third-party rules have.
  const foreignRule = '- rule: Foreign rule with a bare output\n  desc: test\n  condition: evt.type in (open, openat) and proc.name = cat\n  output: file opened\n  priority: WARNING\n';

  test('each alert of a rule we did not write carries the cluster name and every investigation field', () => {
    const dir = scratchDir('falco-replay');
    const withForeign: FalcoConfigUnderTest = { ...c, rules: { ...c.rules, '/etc/falco/rules.d/zz-foreign.yaml': foreignRule } };
    const { file } = runnableCopy(withForeign, dir);
    const alerts = replayAlerts(file, 'cat_write.scap', 'Foreign rule with a bare output');
    expectInvestigationReady(alerts, 'prod-eks');
    for (const alert of alerts) expect(alert.output_fields['proc.cmdline']).toMatch(/^cat/);
  });
});

/**
 * The k8smeta plugin's init_config schema, as k8smeta 0.4.1 declares it (falcosecurity/plugins tag
 * plugins/k8smeta/v0.4.1, plugins/k8smeta/src/plugin.cpp `get_init_schema`): Falco validates init_config against it
 * when it loads the plugin. This Falco build has no k8smeta plugin (tools/falco-0.44.1/README.md), so the schema is
 * applied here; the facts are upstream's, the test is ours.
 */
const K8SMETA_INIT_SCHEMA = {
  type: 'object',
  required: ['collectorHostname', 'collectorPort', 'nodeName'],
  additionalProperties: false,
  properties: {
    verbosity: { enum: ['trace', 'debug', 'info', 'warning', 'error', 'critical'] },
    collectorHostname: { type: 'string' },
    collectorPort: { type: 'integer' },
    nodeName: { type: 'string' },
    caPEMBundle: { type: 'string' },
    hostProc: { type: 'string' },
  },
};
const k8smetaSchema = ajv.compile(K8SMETA_INIT_SCHEMA);

describe('the k8smeta opt-in (eks-k8smeta)', () => {
  const c = configs.find((x) => x.name === 'eks-k8smeta node sensor');

  test('its falco.yaml is among those judged above', () => {
    expect(c?.config.load_plugins).toEqual(['container', 'k8smeta']);
  });

  test("the plugin's init_config passes k8smeta 0.4.1's own schema; one the schema refuses fails it", () => {
    const plugin = (c!.config.plugins as K8sObject[]).find((p) => p.name === 'k8smeta');
    k8smetaSchema(plugin.init_config);
    expect(k8smetaSchema.errors ?? []).toEqual([]);
    expect(plugin.init_config).toMatchObject({ collectorPort: 45000, caPEMBundle: '/etc/falco/k8smeta-ca/ca.crt' });
    // the check can fail: a missing node name and an unknown key are refused
    const { nodeName: _n, ...withoutNode } = plugin.init_config;
    expect(k8smetaSchema({ ...withoutNode, tls: true })).toBe(false);
  });

  test('real Falco 0.44.1 accepts the whole falco.yaml up to loading the plugin library, which this build lacks (said, not hidden)', () => {
    const dir = scratchDir('falco-config-k8smeta');
    const { file } = runnableCopy(c!, dir);
    // put the k8smeta entry back as generated: Falco gets as far as opening its library
    const config = parse(readFileSync(file, 'utf8'));
    const plugin = (c!.config.plugins as K8sObject[]).find((p) => p.name === 'k8smeta');
    config.load_plugins = [...config.load_plugins, 'k8smeta'];
    config.plugins = [...config.plugins, plugin];
    writeFileSync(file, stringify(config, { lineWidth: 0 }));
    const { output } = run(FALCO, ['-c', file, '--dry-run']);
    expect(output).toContain(`${file} | schema validation: ok`);
    expect(output).toContain(`cannot load plugin ${plugin.library_path}: can't load plugin dynamic library`);
    expect(output).not.toMatch(/schema validation: failed|warning/i);
  });
});
