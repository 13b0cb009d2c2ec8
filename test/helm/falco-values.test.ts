import { App } from 'cdk8s';
import { parse } from 'yaml';
import { AZURE_EVENT_HUBS, EVERY_OUTPUT } from './fixtures';
import { eksTeamsStack } from '../../examples/eks-teams/main';
import { planStack } from '../../lib';
import { renderCustomRulesYaml } from '../../lib/falco/sensor/render';
import { falcoChartRelease, helmDelivery, helmSidekickUrl, renderHelmFiles, sidekickChartRelease, valuesProblems } from '../../lib/helm';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Values = any;

// GIVEN the stack plans of an example and of a stack with every Falcosidekick output
const teams = eksTeamsStack(new App()).plan;
const everyOutput = planStack(EVERY_OUTPUT, 'every-output');

describe('falco chart 9.1.0 values from the stack plan', () => {
  const release = falcoChartRelease(everyOutput)!;
  const values: Values = release.values;
  const sidekickRelease = sidekickChartRelease(everyOutput)!;
  const sidekick: Values = sidekickRelease.values;

  test('the release: chart, version, repository, namespace', () => {
    expect(release.chart).toMatchObject({ name: 'falco', version: '9.1.0', repository: 'https://falcosecurity.github.io/charts' });
    expect(release.releaseName).toBe('falco');
    expect(release.namespace).toBe('falco');
  });

  test('the planned image by version and digest, split as the chart joins it (registry/repository:tag)', () => {
    expect(values.image).toEqual({ registry: 'docker.io', repository: 'falcosecurity/falco', tag: `0.44.1@${everyOutput.falco!.image.digest}` });
    expect(sidekick.image.tag).toMatch(/^2\.34\.1@sha256:[0-9a-f]{64}$/);
  });

  test('least privilege: the planned capabilities, nothing privileged, read-only root, no API role', () => {
    expect(values.containerSecurityContext).toEqual({
      capabilities: { drop: ['ALL'], add: [...everyOutput.falco!.security.capabilities] },
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(values.containerSecurityContext.capabilities.add).toEqual(expect.arrayContaining(['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE']));
    expect(values.driver).toMatchObject({ enabled: true, kind: 'modern_ebpf', modernEbpf: { leastPrivileged: true } });
    expect(values.rbac).toEqual({ create: false });
    expect(values.podSecurityContext).toEqual({ seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' } });
    // Nothing downloaded at start, nothing followed at run time.
    expect(values.falcoctl).toEqual({ artifact: { install: { enabled: false }, follow: { enabled: false } } });
  });

  test('tolerations, resources, node selector and priority class as planned', () => {
    expect(values.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
    expect(values.resources).toEqual({ requests: { cpu: '200m', memory: '600Mi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(values.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(values.podPriorityClassName).toBe('system-node-critical');
  });

  test('the custom rules file as planned, mounted by the chart into rules.d, which falco.yaml loads', () => {
    expect(Object.keys(values.customRules)).toEqual([everyOutput.falco!.rules.fileName]);
    expect(values.customRules[everyOutput.falco!.rules.fileName]).toBe(renderCustomRulesYaml(everyOutput.falco!));
    expect(parse(values.customRules[everyOutput.falco!.rules.fileName])[0]).toMatchObject({ rule: 'Package manager run in a regulated container' });
    expect(values.falco.rules_files).toEqual(['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d']);
    expect(values.falco.config_files).toEqual([]);
  });

  test('falco.yaml outputs: JSON on stdout, http_output to the falcosidekick release\'s Service, the cluster on every alert', () => {
    expect(values.falco.json_output).toBe(true);
    expect(values.falco.stdout_output).toEqual({ enabled: true });
    expect(values.falco.syslog_output).toEqual({ enabled: false });
    expect(values.falco.http_output).toMatchObject({ enabled: true, url: 'http://falcosidekick.falco-routing.svc.cluster.local:2801/', insecure: false });
    expect(values.falco.http_output.url).toBe(everyOutput.routing!.sidekick.url);
    expect(values.falco.append_output[1].extra_fields[0]).toEqual({ cluster: 'prod-eks' });
    // The subchart is off: it would run in the falco release's (privileged) namespace.
    expect(values.falcosidekick).toEqual({ enabled: false });
  });

  test('Falcosidekick is a release of the falcosidekick chart 0.12.1 in the routing namespace (Pod Security restricted)', () => {
    expect(sidekickRelease.chart).toMatchObject({ name: 'falcosidekick', version: '0.12.1', repository: 'https://falcosecurity.github.io/charts' });
    expect(sidekickRelease.releaseName).toBe('falcosidekick');
    expect(sidekickRelease.namespace).toBe('falco-routing');
    expect(everyOutput.namespaceObjects.find((n) => n.name === 'falco-routing')!.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(sidekick).toMatchObject({ replicaCount: 2 });
    // Keys of the falco chart's falcosidekick: section, not of the falcosidekick chart.
    expect(sidekick.enabled).toBeUndefined();
    expect(sidekick.fullfqdn).toBeUndefined();
    expect(helmSidekickUrl('falco-routing')).toBe(everyOutput.routing!.sidekick.url);
    expect(helmDelivery(everyOutput).releases.map((r) => `${r.releaseName}/${r.namespace}`)).toEqual(['falco/falco', 'falcosidekick/falco-routing']);
  });

  test('the container plugin through collectors.containerEngine, only the node\'s runtime socket on', () => {
    expect(values.collectors.containerEngine).toMatchObject({ enabled: true, labelMaxLen: 100, withSize: false, hooks: ['create'] });
    const on = Object.entries(values.collectors.containerEngine.engines).filter(([, e]) => (e as Values).enabled).map(([name]) => name);
    expect(on).toEqual(['cri']);
    expect(values.collectors.containerEngine.engines.cri.sockets).toEqual(['/run/containerd/containerd.sock']);
    expect(values.falco.load_plugins).toEqual([]);
  });

  test('metrics through the chart\'s metrics.* (it writes falco.yaml metrics from them), no metrics Service', () => {
    expect(values.metrics).toMatchObject({ enabled: true, interval: '1m', outputRule: false, libbpfStatsEnabled: false, service: { create: false } });
    expect(values.falco.metrics).toBeUndefined();
    expect(values.falco.engine).toBeUndefined();
  });

  test('Falcosidekick: non-secret settings as chart config, maps as key:value strings, credentials only as Secret references', () => {
    const config = sidekick.config;
    expect(config.customfields).toBe('cluster:prod-eks');
    expect(config.smtp).toMatchObject({ hostport: 'smtp.example.com:587', to: 'a@example.com,b@example.com', tls: true });
    expect(config.aws).toMatchObject({ useirsa: true, rolearn: 'arn:aws:iam::111122223333:role/sidekick', s3: { bucket: 'siem-drop' } });
    expect(config.extraEnv).toEqual(expect.arrayContaining([
      { name: 'SLACK_WEBHOOKURL', valueFrom: { secretKeyRef: { name: 'chat', key: 'slack', optional: false } } },
      { name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'smtp', key: 'password', optional: false } } },
    ]));
    expect(config.extraEnv).toHaveLength(everyOutput.routing!.sidekick.secretEnv.length);
    expect(JSON.stringify(sidekick)).not.toMatch(/"(webhookurl|password|apikey|routingkey)":"[^"]/i);
  });

  test('Falcosidekick runs as its image user, read-only, no capability', () => {
    expect(sidekick.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1234, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(sidekick.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('the chart\'s own selector labels are not repeated in podLabels (the template would write them twice)', () => {
    expect(values.podLabels['app.kubernetes.io/name']).toBeUndefined();
    expect(values.podLabels['app.kubernetes.io/instance']).toBeUndefined();
    expect(values.podLabels['app.kubernetes.io/part-of']).toBe('detection-stack');
  });

  test('Azure workload identity through the chart\'s own value, which also labels the pods', () => {
    const azure: Values = sidekickChartRelease(planStack(AZURE_EVENT_HUBS, 'aks'))!.values;
    expect(azure.config.azure).toEqual({ eventHub: { namespace: 'sec-ns', name: 'falco', minimumpriority: 'error' }, workloadIdentityClientID: '00000000-0000-0000-0000-000000000001' });
    expect(azure.podLabels['azure.workload.identity/use']).toBeUndefined();
  });

  test('what the chart cannot express is listed, per planned setting', () => {
    const what = release.notExpressed.map((n) => n.what);
    expect(what).toEqual(expect.arrayContaining([
      'Falco ServiceAccount token not mounted (automountServiceAccountToken: false)',
      'host /proc mounted read-only at /host/proc',
      'container runtime socket /run/containerd/containerd.sock mounted read-only',
    ]));
    expect(sidekickRelease.notExpressed.map((n) => n.what)).toContain('Falcosidekick NetworkPolicy (ingress from Falco only, egress to its outputs only)');
    for (const n of [...release.notExpressed, ...sidekickRelease.notExpressed]) {
      expect(n.chart.length).toBeGreaterThan(10);
      expect(n.instead.length).toBeGreaterThan(5);
    }
  });

  test('without routing: no subchart, no falcosidekick release, http_output as planned (off)', () => {
    const plain: Values = falcoChartRelease(planStack({ cluster: { name: 'dev', provider: 'oke' }, durable: { waived: { reason: 'a throwaway dev cluster' } } }))!.values;
    expect(plain.falcosidekick).toEqual({ enabled: false });
    expect(sidekickChartRelease(planStack({ cluster: { name: 'dev', provider: 'oke' }, durable: { waived: { reason: 'a throwaway dev cluster' } } }))).toBeUndefined();
    expect(plain.falco.http_output).toEqual({ enabled: false });
    expect(plain.collectors.containerEngine.engines.cri.sockets).toEqual(['/var/run/crio/crio.sock']);
  });
});

describe('the Helm delivery files', () => {
  const files = renderHelmFiles(helmDelivery(teams));

  test('one values file per release and HELM.md; byte-identical across runs', () => {
    expect(files.map((f) => f.name)).toEqual(['falco-values.yaml', 'falcosidekick-values.yaml', 'HELM.md']);
    expect(renderHelmFiles(helmDelivery(eksTeamsStack(new App()).plan))).toEqual(files);
  });

  test('the values file parses back to the planned values and names its install command', () => {
    const file = files[0];
    expect(parse(file.text)).toEqual(JSON.parse(JSON.stringify(falcoChartRelease(teams)!.values)));
    expect(file.text).toContain('# helm upgrade --install falco falco --repo https://falcosecurity.github.io/charts --version 9.1.0 --namespace falco --values falco-values.yaml');
  });

  test('HELM.md lists the parts outside every chart and each release\'s limits', () => {
    const md = files[2].text;
    expect(md).toContain('| the bundled Alertmanager and its team routes |');
    expect(md).toContain('| the durable shipper (Fluent Bit DaemonSet writing every alert to the bucket) |');
    expect(md).toContain('| Falco ServiceAccount token not mounted (automountServiceAccountToken: false) |');
  });

  test('the falcosidekick release\'s values file installs into the routing namespace', () => {
    expect(files[1].text).toContain('# helm upgrade --install falcosidekick falcosidekick --repo https://falcosecurity.github.io/charts --version 0.12.1 --namespace falco-routing --values falcosidekick-values.yaml');
    expect(parse(files[1].text)).toEqual(JSON.parse(JSON.stringify(sidekickChartRelease(teams)!.values)));
  });

  test('the release URL is where the chart\'s Service answers (release falcosidekick: its full name; port 2801)', () => {
    expect(helmSidekickUrl('sec')).toBe('http://falcosidekick.sec.svc.cluster.local:2801/');
  });
});

describe('valuesProblems: a values file checked against a chart\'s values.yaml', () => {
  // A small stand-in for a chart's values.yaml (the real ones are checked in test/conformance/helm-values.test.ts).
  const defaults = parse(`
image: { registry: docker.io, repository: falcosecurity/falco, tag: "" }
podLabels: {}
podPriorityClassName:
tolerations: [{ effect: NoSchedule, key: node-role.kubernetes.io/master }]
falcosidekick: { enabled: false, fullfqdn: false }
driver: { modernEbpf: { leastPrivileged: false, bufSizePreset: 4 } }
`);

  test('known keys, free-form maps and null defaults pass', () => {
    expect(valuesProblems({ image: { tag: '1' }, podLabels: { a: 'b' }, podPriorityClassName: 'x', tolerations: [], driver: { modernEbpf: { leastPrivileged: true } } }, defaults)).toEqual([]);
  });

  test('an unknown key is reported at its path (the dead falco.sidekick.enabled of the EKS Blueprints add-on)', () => {
    expect(valuesProblems({ sidekick: { enabled: true }, driver: { modernEbpf: { leastPriviledged: true } } }, defaults)).toEqual([
      'sidekick: the chart has no such key',
      'driver.modernEbpf.leastPriviledged: the chart has no such key',
    ]);
  });

  test('a pass-through map takes any field, another map stays closed', () => {
    const withSecurity = { ...defaults, podSecurityContext: { runAsUser: 1234 } };
    expect(valuesProblems({ podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, withSecurity, ['podSecurityContext'])).toEqual([]);
    expect(valuesProblems({ podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, withSecurity)).toEqual(['podSecurityContext.seccompProfile: the chart has no such key']);
  });

  test('a value of another type than the default is reported', () => {
    expect(valuesProblems({ falcosidekick: { enabled: 'true' }, tolerations: { operator: 'Exists' }, driver: 'x' }, defaults)).toEqual([
      'falcosidekick.enabled: the chart\'s default is a boolean, this is a string',
      'tolerations: the chart\'s default is a list, this is a map',
      'driver: a map is expected, not a string',
    ]);
  });
});
