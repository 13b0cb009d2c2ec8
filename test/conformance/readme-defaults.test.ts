import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { corpusPath } from './corpora';
import { planStack } from '../../lib';
import { IMAGE_PINS } from '../../lib/core/images';
import { K8SMETA_PLUGIN } from '../../lib/falco/sensor/k8smeta';
import { falcoConfig } from '../../lib/falco/sensor/render';

/**
 * The README's tables of defaults, re-checked against the pinned upstream versions: each default the README says
 * it takes from (or sets against) an official chart is read from that chart's values.yaml in the corpora
 * (falcosecurity/charts falco-9.1.0 and falcosidekick-0.14.0, cilium/tetragon v1.7.0), from the plan of a default
 * stack, and from the README's own text, so a change of any of the three fails here.
 */
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const falcoChart = parse(readFileSync(corpusPath('helm-values', 'falco-9.1.0-values.yaml'), 'utf8'));
const sidekickChart = parse(readFileSync(corpusPath('helm-values', 'falcosidekick-0.14.0-values.yaml'), 'utf8'));
const tetragonChart = parse(readFileSync(corpusPath('helm-values', 'tetragon-1.7.0-values.yaml'), 'utf8'));
const falcoChartText = readFileSync(corpusPath('helm-values', 'falco-9.1.0-values.yaml'), 'utf8');
const falcoDefaultConfig = parse(readFileSync(corpusPath('falco-config', 'falco-0.44.1-default-falco.yaml'), 'utf8'));

const plan = planStack({
  cluster: { name: 'prod', provider: 'eks', region: 'eu-west-1' },
  sensors: { falco: {}, tetragon: { productNamespaces: ['shop'] } },
  routing: { sidekick: {} },
  durable: { waived: { reason: 'README defaults check: no bucket' } },
}, 'defaults');

describe('the Falco sensor table against falco chart 9.1.0', () => {
  const falco = plan.falco!;

  test('resources: the chart\'s requests and limits, as the README states', () => {
    expect(falcoChart.resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
    expect(falco.resources).toEqual(falcoChart.resources);
    expect(README).toContain('requests 100m/512Mi, limits 1000m/1024Mi');
  });

  test('tolerations: the chart tolerates only control-plane taints; the stack every taint', () => {
    expect(falcoChart.tolerations.map((t: { key: string }) => t.key)).toEqual(['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane']);
    expect(falco.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(README).toContain('the upstream chart tolerates only control-plane taints');
  });

  test('/sys/kernel mounted as the chart mounts it (driver.sysfsMountPath)', () => {
    expect(falcoChart.driver.sysfsMountPath).toBe('/sys/kernel');
    expect(falco.hostMounts.map((m) => m.hostPath)).toContain('/sys/kernel');
    expect(README).toContain('`/sys/kernel` (as the falco chart mounts it)');
  });

  test('the webserver health endpoint: the chart\'s port and path', () => {
    expect(falcoChart.falco.webserver).toMatchObject({ listen_port: 8765, k8s_healthz_endpoint: '/healthz', listen_address: '0.0.0.0' });
    // IPv4 (the default cluster.ipFamily) listens where the chart does; IPv6 is tested in ipv6-listeners.test.ts.
    expect(falco.webserver).toEqual({ port: 8765, healthPath: '/healthz', listenAddress: '0.0.0.0' });
    expect(README).toContain('webserver `/healthz` (port 8765, `web`)');
  });

  test('where the stack departs from the chart, the README says so: watch_config_files, rule_matching', () => {
    // The chart watches its config files (mounted without subPath there); the stack turns the watch off.
    expect(falcoChart.falco.watch_config_files).toBe(true);
    expect(README).toContain('`watch_config_files: false`');
    expect(falcoChart.falco.rule_matching).toBe('first');
    expect(falcoDefaultConfig.rule_matching).toBe('first');
    expect(falcoConfig(falco).rule_matching).toBe('first');
    expect(README).toContain('`rule_matching: first` (`ruleMatching`, Falco\'s default)');
  });

  test('the least-privileged capabilities are those the chart adds with driver.modernEbpf.leastPrivileged', () => {
    // values.yaml documents what its pod template renders for each driver setting (case 4: modern_ebpf, leastPrivileged).
    const case4 = falcoChartText.slice(falcoChartText.indexOf('driver.modernEbpf.leastPrivileged = true:'));
    const chartCaps = [...case4.slice(0, case4.indexOf('# -- ')).matchAll(/^#\s+- ([A-Z_]+)$/gm)].map((m) => m[1]);
    expect(chartCaps).toEqual(['BPF', 'SYS_RESOURCE', 'PERFMON', 'SYS_PTRACE']);
    expect([...falco.security.capabilities].sort()).toEqual([...chartCaps].sort());
    expect(falcoChart.driver.modernEbpf.leastPrivileged).toBe(false);
    expect(README).toContain('`add: [BPF, PERFMON, SYS_RESOURCE, SYS_PTRACE]`');
    expect(README).toContain('chart `driver.modernEbpf.leastPrivileged`');
  });

  test('the container plugin: the chart enables every engine, the stack only cri on the provider\'s socket', () => {
    const chartEngines = falcoChart.collectors.containerEngine.engines as Record<string, { enabled: boolean }>;
    expect(Object.values(chartEngines).every((e) => e.enabled)).toBe(true);
    type Engines = Record<string, { enabled: boolean; sockets?: string[] }>;
    const ours = (falcoConfig(falco).plugins as { name: string; init_config: { engines: Engines } }[])
      .find((p) => p.name === 'container')!.init_config.engines;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(chartEngines).sort());
    expect(Object.entries(ours).filter(([, e]) => e.enabled)).toEqual([['cri', { enabled: true, sockets: ['/run/containerd/containerd.sock'] }]]);
    expect(README).toContain('the plugin enables every engine by default; only the node\'s runtime is queried');
  });

  test('the k8smeta plugin is the chart\'s collectors.kubernetes.pluginRef', () => {
    expect(falcoChart.collectors.kubernetes.pluginRef).toBe('ghcr.io/falcosecurity/plugins/plugin/k8smeta:0.4.1');
    expect(K8SMETA_PLUGIN.artifact).toBe(falcoChart.collectors.kubernetes.pluginRef);
    expect(README).toContain(`\`${K8SMETA_PLUGIN.artifact}\` (the falco chart 9.1.0's \`collectors.kubernetes.pluginRef\`)`);
  });

  test('engine: the chart picks the driver (auto); the stack sets the modern eBPF probe', () => {
    expect(falcoChart.driver.kind).toBe('auto');
    expect(falcoConfig(falco).engine).toMatchObject({ kind: 'modern_ebpf' });
    expect(README).toContain('| `engine.kind: modern_ebpf` |');
  });
});

describe('the Tetragon tables against tetragon chart 1.7.0', () => {
  const tetragon = plan.tetragon!;
  const agent = tetragon.agentConfig;

  test('the export file: the chart\'s rotation, mode and rate limit', () => {
    const t = tetragonChart.tetragon;
    expect([t.exportFileMaxSizeMB, t.exportFileMaxBackups, t.exportFilePerm, t.exportRateLimit]).toEqual([10, 5, '600', -1]);
    expect([agent['export-file-max-size-mb'], agent['export-file-max-backups'], agent['export-file-perm'], agent['export-rate-limit']])
      .toEqual(['10', '5', '600', '-1']);
    expect(README).toContain('mode 600, rotated at 10 MB with 5 backups');
  });

  test('metrics and health: the chart\'s ports, interval and metrics label filter', () => {
    const t = tetragonChart.tetragon;
    expect([t.prometheus.port, t.healthGrpc.port, t.healthGrpc.interval]).toEqual([2112, 6789, 10]);
    expect(agent['metrics-server']).toBe(':2112');
    expect(agent['health-server-address']).toBe(':6789');
    expect(agent['health-server-interval']).toBe('10');
    expect(agent['metrics-label-filter']).toBe(t.prometheus.metricsLabelFilter);
    expect(README).toContain('metrics (2112) and\nhealth (6789) servers');
  });

  test('the operator\'s resources are the chart\'s defaults, as the props say', () => {
    expect(tetragon.resources.operator).toEqual(tetragonChart.tetragonOperator.resources);
  });

  test('the export-stdout image: the chart\'s tag, named in the opt-in\'s fix; the sidecar is off by default, as the README says', () => {
    expect(`${tetragonChart.export.stdout.image.repository}:${tetragonChart.export.stdout.image.tag}`)
      .toBe(`${IMAGE_PINS.hubbleExportStdout.repository}:${IMAGE_PINS.hubbleExportStdout.version}`);
    expect(tetragonChart.export.mode).toBe('stdout');
    expect(README).toContain('The chart\'s `export-stdout` sidecar (it copies the export file to the pod log for `kubectl logs`) is off');
  });

  test('the export deny-list departs from the chart\'s: host processes ("") stay exported, as the README says', () => {
    const chartDeny = tetragonChart.tetragon.exportDenyList.split('\n').map((l: string) => JSON.parse(l));
    expect(chartDeny).toEqual([{ health_check: true }, { namespace: ['', 'cilium', 'kube-system'] }]);
    const ours = agent['export-denylist'].split('\n').map((l) => JSON.parse(l));
    expect(ours[1].namespace).not.toContain('');
    expect(ours[1].namespace).toEqual(['kube-system', 'kube-public', 'kube-node-lease', 'falco', 'falco-routing']);
    expect(README).toContain('Host processes are still exported.');
  });
});

describe('Falcosidekick against the falcosidekick chart', () => {
  test('two replicas, as the chart\'s default', () => {
    expect(sidekickChart.replicaCount).toBe(2);
    expect(plan.routing!.sidekick.workload.replicas).toBe(2);
  });

  test('the image: the stack pins a newer Falcosidekick than the chart\'s default tag, by digest', () => {
    expect(sidekickChart.image.tag).toBe('2.32.0');
    expect(IMAGE_PINS.falcosidekick.version).toBe('2.34.1');
    expect(IMAGE_PINS.falcosidekick.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
