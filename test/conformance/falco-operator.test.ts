import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { corpusPath } from './corpora';
import { expectInvestigationReady, generatedStacks, K8sObject, realTool, replayAlerts, run, scratchDir, UPSTREAM_RULE } from './workload-files';
import { exampleFleet } from '../../examples/fleet/main';
import { planStack, StackPlan } from '../../lib';
import { operatorDelivery, OWNER_LABEL } from '../../lib/operator';
import { OPERATOR_BASE_LISTS } from '../../lib/operator/resources';
import { EVERY_OUTPUT } from '../helm/fixtures';

/**
 * The Falco Operator resources are judged by the CRDs of falcosecurity/falco-operator v0.4.1
 * (../shared/corpora/falco-operator-crds/, ajv on each version's openAPIV3Schema), and the Config by Falco 0.44.1
 * itself: the operator's artifact sidecar writes it into /etc/falco/config.d over the operator's own falco.yaml
 * (internal/pkg/resources/falco.go: `config_files: [/etc/falco/config.d]`, `rules_files: [/etc/falco/rules.d]`),
 * and Falco must then load the default rules file the Config names, then rules.d.
 */
const CRD_FILES: Record<string, string> = {
  Falco: 'instance.falcosecurity.dev_falcos.yaml',
  Component: 'instance.falcosecurity.dev_components.yaml',
  Rulesfile: 'artifact.falcosecurity.dev_rulesfiles.yaml',
  Config: 'artifact.falcosecurity.dev_configs.yaml',
  Plugin: 'artifact.falcosecurity.dev_plugins.yaml',
};
const ajv = new Ajv({ strict: false, allErrors: true });
// The CRD schemas use OpenAPI's integer formats, which ajv does not know: check them as Kubernetes does.
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
type CrdValidator = { apiVersion: string; validate: ValidateFunction };
const validators: Record<string, CrdValidator> = Object.fromEntries(Object.entries(CRD_FILES).map(([kind, file]) => {
  const crd = parse(readFileSync(corpusPath('falco-operator-crds', file), 'utf8'));
  expect(crd.spec.names.kind).toBe(kind);
  const version = crd.spec.versions.find((v: K8sObject) => v.storage);
  return [kind, { apiVersion: `${crd.spec.group}/${version.name}`, validate: ajv.compile(version.schema.openAPIV3Schema) }];
}));

const plans: [string, StackPlan][] = [
  // The k8smeta opt-in included (a Plugin k8smeta, the CA on the Falco pod).
  ...generatedStacks().filter(({ chart }) => chart.plan.falco)
    .map(({ name, chart }): [string, StackPlan] => [name, chart.plan]),
  ['every-output', planStack(EVERY_OUTPUT, 'every-output')],
  // The worked fleet: each cluster's resources are what dist/fleet/<cluster>/operator/ holds.
  ...exampleFleet(Testing.app()).plan.clusters.map((c): [string, StackPlan] => [`fleet/${c.name}`, c.plan]),
];

describe.each(plans)('%s', (_name, plan) => {
  const { objects } = operatorDelivery(plan);

  test('every resource validates against its falco-operator 0.4.1 CRD', () => {
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Falco', 'Config', 'Plugin']));
    for (const o of objects) {
      const v = validators[o.kind];
      expect(o.apiVersion).toBe(v.apiVersion);
      v.validate(o);
      expect({ kind: o.kind, name: o.metadata.name, errors: v.validate.errors ?? [] }).toEqual({ kind: o.kind, name: o.metadata.name, errors: [] });
    }
  });

  test('one Rulesfile per owning team, each labelled with its team, together all the planned rules', () => {
    const teamFiles = objects.filter((o) => o.kind === 'Rulesfile' && o.metadata.labels[OWNER_LABEL]);
    const owners = new Set(plan.falco!.customRules.filter((r) => r.source === 'syscall').map((r) => (typeof r.owner === 'string' ? r.owner : 'unowned')));
    expect(new Set(teamFiles.map((o) => o.metadata.labels[OWNER_LABEL]))).toEqual(owners);
    const rules = objects.filter((o) => o.kind === 'Rulesfile').flatMap((o) => (o.spec.inlineRules ?? []) as K8sObject[]);
    expect(rules.filter((i) => i.rule).map((i) => i.rule).sort()).toEqual(plan.falco!.rules.items.filter((i) => i.kind === 'rule').map((i) => i.name).sort());
  });
});

interface OperatorLayout { readonly main: string; readonly rulesD: string; readonly rulesfiles: readonly K8sObject[] }

/**
 * The operator's files as Falco reads them in the pod, in a scratch folder: the Rulesfiles in rules.d as the
 * artifact sidecar names them (internal/pkg/priority, artifact/manager.go):
 * <priority>-<sub-priority: 01 OCI, 03 inline>-<name>-<medium>.yaml, the OCI default rules being the corpus's file;
 * the Config and the Plugin in config.d; the operator's own falco.yaml reduced to the keys that decide what is
 * loaded, with its lists (OPERATOR_BASE_LISTS) that a config.d file is appended to. `extraRules` are more files of
 * rules.d.
 */
function operatorLayout(objects: readonly K8sObject[], name: string, extraRules: Record<string, string> = {}): OperatorLayout {
  const dir = scratchDir(name);
  const rulesD = join(dir, 'rules.d');
  const configD = join(dir, 'config.d');
  mkdirSync(rulesD, { recursive: true });
  mkdirSync(configD, { recursive: true });
  const rulesfiles = objects.filter((x) => x.kind === 'Rulesfile');
  for (const o of rulesfiles) {
    const oci = o.spec.ociArtifact !== undefined;
    const file = join(rulesD, `${String(o.spec.priority).padStart(2, '0')}-${oci ? '01' : '03'}-${o.metadata.name}-${oci ? 'oci' : 'inline'}.yaml`);
    writeFileSync(file, oci ? readFileSync(corpusPath('falco-rules', 'falco_rules.yaml'), 'utf8') : stringify(o.spec.inlineRules));
  }
  for (const [file, text] of Object.entries(extraRules)) writeFileSync(join(rulesD, file), text);
  const config = objects.find((o) => o.kind === 'Config')!.spec.config;
  expect(config.rules_files).toBeUndefined();
  writeFileSync(join(configD, '50-03-detection-stack-inline.yaml'), stringify(config));
  // What the Plugin resource contributes (the sidecar writes plugins-config at priority 99), with this build's library.
  const plugin = objects.find((o) => o.kind === 'Plugin' && o.spec.config.name === 'container')!.spec.config;
  writeFileSync(join(configD, '99-99-plugins-config-inline.yaml'), stringify({
    plugins: [{ name: plugin.name, library_path: realTool('falco-0.44.1', 'plugins', 'libcontainer.so'), init_config: plugin.initConfig }],
    load_plugins: [plugin.name],
  }));
  const main = join(dir, 'falco.yaml');
  writeFileSync(main, stringify({
    config_files: [configD],
    rules_files: [rulesD],
    watch_config_files: true,
    load_plugins: [],
    plugins: [],
    append_output: OPERATOR_BASE_LISTS.append_output,
  }));
  return { main, rulesD, rulesfiles };
}

test('Falco 0.44.1 with the operator\'s config layout and the Config in config.d loads the default rules, then rules.d', () => {
  const plan = plans.find(([name]) => name === 'every-output')![1];
  const { objects } = operatorDelivery(plan);
  const { main, rulesD, rulesfiles } = operatorLayout(objects, 'falco-operator');
  const { status, output } = run(realTool('falco-0.44.1', 'falco'), ['-c', main, '--dry-run']);
  const loaded = [...output.matchAll(/^\S+:\s+(\S+) \| schema validation: ok$/gm)].map((m) => m[1]).filter((f) => f.startsWith(rulesD));
  // Each rules file once, Falco's default rules first, then the teams' rules.
  expect(loaded).toEqual([
    join(rulesD, '00-01-falco-default-rules-oci.yaml'),
    ...rulesfiles.filter((o) => o.spec.inlineRules).map((o) => join(rulesD, `${o.spec.priority}-03-${o.metadata.name}-inline.yaml`)).sort(),
  ]);
  expect(output).not.toMatch(/schema validation: failed|warning|error/i);
  expect(status).toBe(0);
});

test('Falco 0.44.1 with the operator\'s layout: an upstream rule\'s alerts carry the cluster name and every investigation field', () => {
  const plan = plans.find(([name]) => name === 'every-output')![1];
  const upstream = readFileSync(corpusPath('falco-rules', UPSTREAM_RULE.file), 'utf8');
  const { main } = operatorLayout(operatorDelivery(plan).objects, 'falco-operator-replay', { [`90-03-${UPSTREAM_RULE.file}`]: upstream });
  expectInvestigationReady(replayAlerts(main, UPSTREAM_RULE.capture, UPSTREAM_RULE.rule), plan.cluster.name);
});
