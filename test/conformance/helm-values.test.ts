import { readFileSync } from 'fs';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { corpusPath } from './corpora';
import { generatedStacks, K8sObject } from './workload-files';
import { exampleFleet } from '../../examples/fleet/main';
import { planStack, StackPlan } from '../../lib';
import { falcoConfig } from '../../lib/falco/sensor/render';
import { FALCO_CHART_FALCO_YAML_KEYS, helmDelivery, HelmReleasePlan, valuesProblems } from '../../lib/helm';
import { AZURE_EVENT_HUBS, EVERY_OUTPUT } from '../helm/fixtures';

/**
 * The Helm values are judged by the charts' own values.yaml (../shared/corpora/helm-values/): every key written
 * exists there with the type of its default, so no setting is silently dead. Where the chart builds falco.yaml
 * from its values (falcosecurity/charts tag falco-9.1.0, charts/falco/templates/configmap.yaml and the helpers
 * `falco.engineConfiguration`, `falco.metricsConfiguration`, `falco.containerPlugin`, `falco.falcosidekickConfig`
 * in templates/_helpers.tpl), the test builds it the same way and checks it against Falco 0.44.1's schema and
 * against the stack's own falco.yaml: the chart deploys the same configuration.
 *
 * Falcosidekick is a release of the falcosidekick chart 0.12.1 (the version the falco chart 9.1.0's `0.12.*`
 * dependency resolves to, Chart.yaml) in the routing namespace, the falco chart's subchart off; the corpus holds
 * 0.14.0, whose values.yaml differs from 0.12.1's only by added keys (`httproute`, `webui.httproute`,
 * `config.gcp.workloadIdentityServiceAccount`, falcosecurity/charts falcosidekick-0.12.1..falcosidekick-0.14.0):
 * checked against 0.14.0, and those additions never written.
 */
const falcoDefaults = parse(readFileSync(corpusPath('helm-values', 'falco-9.1.0-values.yaml'), 'utf8'));
const sidekickDefaults = parse(readFileSync(corpusPath('helm-values', 'falcosidekick-0.14.0-values.yaml'), 'utf8'));
const tetragonDefaults = parse(readFileSync(corpusPath('helm-values', 'tetragon-1.7.0-values.yaml'), 'utf8'));
/**
 * Maps the templates copy with toYaml into a Kubernetes object, whose defaults hold a few fields: any field of the
 * Kubernetes type is live. falcosidekick-0.12.1 templates/deployment.yaml (`podSecurityContext`, `securityContext`);
 * tetragon v1.7.0 templates/operator_deployment.yaml (`tetragonOperator.podSecurityContext`, `.containerSecurityContext`)
 * and _container_tetragon.tpl (`tetragon.securityContext`).
 */
const SIDEKICK_PASS_THROUGH = ['podSecurityContext', 'securityContext'];
const TETRAGON_PASS_THROUGH = ['tetragonOperator.podSecurityContext', 'tetragonOperator.containerSecurityContext', 'tetragon.securityContext'];
const ADDED_AFTER_0_12_1 = ['httproute', 'webui.httproute', 'config.gcp.workloadIdentityServiceAccount'];

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addMetaSchema(draft06);
const falcoSchema = ajv.compile(JSON.parse(readFileSync(corpusPath('falco-config', 'falco-0.44.1-config.schema.json'), 'utf8')));

const plans: [string, StackPlan][] = [
  // The k8smeta opt-in included (its plugin entry, init container and mounts): every generated stack.
  ...generatedStacks().map(({ name, chart }): [string, StackPlan] => [name, chart.plan]),
  ['every-output', planStack(EVERY_OUTPUT, 'every-output')],
  ['aks-event-hubs', planStack(AZURE_EVENT_HUBS, 'aks-event-hubs')],
  // The worked fleet: each cluster's values are what dist/fleet/<cluster>/helm/ holds and argocd/helm/ installs.
  ...exampleFleet(Testing.app()).plan.clusters.map((c): [string, StackPlan] => [`fleet/${c.name}`, c.plan]),
];

function release(plan: StackPlan, chart: string): HelmReleasePlan | undefined {
  return helmDelivery(plan).releases.find((r) => r.chart.name === chart);
}

test('the stacks under test cover the three charts, falcosidekick in the routing namespace, the subchart always off', () => {
  const charts = plans.flatMap(([, p]) => helmDelivery(p).releases.map((r) => r.chart.name));
  expect(new Set(charts)).toEqual(new Set(['falco', 'falcosidekick', 'tetragon']));
  const routed = plans.filter(([, p]) => release(p, 'falcosidekick'));
  expect(routed.length).toBeGreaterThanOrEqual(3);
  for (const [, p] of routed) expect(release(p, 'falcosidekick')!.namespace).toBe(p.routingNamespace);
  for (const [, p] of plans) if (p.falco) expect(release(p, 'falco')!.values.falcosidekick).toEqual({ enabled: false });
});

test('FALCO_CHART_FALCO_YAML_KEYS are the keys of the chart\'s falco: section', () => {
  expect([...FALCO_CHART_FALCO_YAML_KEYS].sort()).toEqual(Object.keys(falcoDefaults.falco).sort());
});

describe.each(plans)('%s', (_name, plan) => {
  const falco = release(plan, 'falco');
  const tetragon = release(plan, 'tetragon');

  const sidekick = release(plan, 'falcosidekick');

  test('falco chart 9.1.0: every key exists in its values.yaml, with the type of its default', () => {
    if (!falco) return expect(plan.falco).toBeUndefined();
    expect(valuesProblems(falco.values, falcoDefaults)).toEqual([]);
  });

  test('falcosidekick chart 0.12.1: every key exists in its values.yaml, with the type of its default', () => {
    if (!sidekick) return expect(plan.falco && plan.routing).toBeFalsy();
    expect(valuesProblems(sidekick.values, sidekickDefaults, SIDEKICK_PASS_THROUGH)).toEqual([]);
    for (const path of ADDED_AFTER_0_12_1) expect(at(sidekick.values, path)).toBeUndefined();
  });

  test('tetragon chart 1.7.0: every key exists in its values.yaml, with the type of its default', () => {
    if (!tetragon) return expect(plan.tetragon).toBeUndefined();
    expect(valuesProblems(tetragon.values, tetragonDefaults, TETRAGON_PASS_THROUGH)).toEqual([]);
  });

  test('the falco.yaml the chart renders from these values passes Falco 0.44.1\'s schema and is the stack\'s own', () => {
    if (!falco) return expect(plan.falco).toBeUndefined();
    const rendered = chartFalcoYaml(falco.values as K8sObject);
    falcoSchema(rendered);
    expect(falcoSchema.errors ?? []).toEqual([]);
    const own = falcoConfig(plan.falco!);
    // What the chart's defaults add around the stack's keys: off or inert, and no config.d that could change the rest.
    expect(Object.keys(rendered).filter((k) => !(k in own)).sort()).toEqual(['base_syscalls', 'buffer_format_base64', 'capture', 'config_files', 'falco_libs', 'program_output']);
    expect(rendered.config_files).toEqual([]);
    expect(rendered.capture.enabled).toBe(false);
    expect(rendered.program_output.enabled).toBe(false);
    const differences = Object.entries(leaves(own))
      .filter(([path, value]) => JSON.stringify(leaves(rendered)[path]) !== JSON.stringify(value))
      .map(([path, value]) => `${path}: stack ${JSON.stringify(value)}, chart ${JSON.stringify(leaves(rendered)[path])}`);
    // No difference: Falco posts to the falcosidekick release's Service, which has the stack's own name, namespace and port.
    expect(differences).toEqual([]);
  });
});

/** Helm's merge of user values over the chart's: maps merge key by key, anything else replaces. */
function merge(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** falco.yaml as templates/configmap.yaml renders it: the helpers set engine, metrics, the container plugin and Falcosidekick. */
function chartFalcoYaml(userValues: K8sObject): K8sObject {
  const v = merge(falcoDefaults, userValues) as K8sObject;
  const falco = structuredClone(v.falco);
  if (v.falcosidekick.enabled) {
    falco.json_output = true;
    falco.json_include_output_property = true;
    falco.http_output.enabled = true;
    if (!falco.http_output.url) falco.http_output.url = `http://falco-falcosidekick${v.falcosidekick.fullfqdn ? '.falco.svc.cluster.local' : ''}:2801`;
  }
  expect(v.driver.kind).toBe('modern_ebpf');
  const m = v.driver.modernEbpf;
  falco.engine = {
    kind: 'modern_ebpf',
    modern_ebpf: {
      buf_size_preset: m.bufSizePreset,
      drop_failed_exit: m.dropFailedExit,
      cpus_for_each_buffer: m.cpusForEachBuffer,
      disable_iterators: m.disableIterators,
    },
  };
  if (v.metrics.enabled) {
    falco.webserver.prometheus_metrics_enabled = true;
    falco.webserver.enabled = true;
    const mv = v.metrics;
    falco.metrics = {
      enabled: mv.enabled,
      interval: mv.interval,
      output_rule: mv.outputRule,
      rules_counters_enabled: mv.rulesCountersEnabled,
      resource_utilization_enabled: mv.resourceUtilizationEnabled,
      state_counters_enabled: mv.stateCountersEnabled,
      kernel_event_counters_enabled: mv.kernelEventCountersEnabled,
      kernel_event_counters_per_cpu_enabled: mv.kernelEventCountersPerCPUEnabled,
      libbpf_stats_enabled: mv.libbpfStatsEnabled,
      plugins_metrics_enabled: mv.pluginsMetricsEnabled,
      kernel_iter_event_counters_enabled: mv.kernelIterEventCountersEnabled,
      jemalloc_stats_enabled: mv.jemallocStatsEnabled,
      convert_memory_to_mb: mv.convertMemoryToMB,
      include_empty_values: mv.includeEmptyValues,
    };
  }
  if (v.driver.enabled && v.collectors.enabled && v.collectors.containerEngine.enabled
    && !(falco.plugins as K8sObject[]).some((p) => p.name === 'container')) {
    const c = v.collectors.containerEngine;
    falco.plugins = [...falco.plugins, { name: 'container', library_path: 'libcontainer.so', init_config: { label_max_len: c.labelMaxLen, with_size: c.withSize, hooks: c.hooks, engines: c.engines } }];
    falco.load_plugins = [...new Set([...falco.load_plugins, 'container'])];
  }
  return falco;
}

/** Every scalar (and list of scalars) of a document by its dotted path. */
function leaves(value: unknown, path = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(value) && value.some((x) => typeof x === 'object' && x !== null)) {
    value.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  } else {
    out[path] = value;
  }
  return out;
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isMap(v) ? v[k] : undefined), value);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
