import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, sep } from 'path';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DetectionStack, FalcoCustomRule, FalcoSensorProps, IMAGE_PINS, planStack } from '../../../lib';
import { DetectionFleet } from '../../../lib/cdk8s/detection-fleet';
import { METACOLLECTOR_RULES } from '../../../lib/falco/sensor/k8smeta';
import type { KubernetesMetadataTls } from '../../../lib/falco/sensor/props';
import { helmDelivery } from '../../../lib/helm/releases';
import { operatorDelivery } from '../../../lib/operator/resources';
import { chartObjects, splitObjects } from '../../../lib/pulumi/objects';
import { renderReportMarkdown } from '../../../lib/report/markdown';
import { falcoParts, K8sObject, only, synthStack } from '../../cdk8s/falco-helpers';
import { threeProviderFleet } from '../../fleet/fixtures';
import { schemaErrors } from '../../helpers/k8s-schema';

const TLS = { serverSecret: 'k8s-metacollector-tls', caConfigMap: 'k8s-metacollector-ca' };
/** A digest as the user gives it (this test's own value: no digest of the release could be verified here). */
const COLLECTOR_DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const COLLECTOR = { image: { digest: COLLECTOR_DIGEST } };

function rule(condition: string, output = 'Shell (pod=%k8s.pod.name)'): FalcoCustomRule {
  return {
    owner: 'payments',
    rule: { kind: 'rule', name: 'Shell in a deployment', desc: 'A shell', condition, output, priority: 'WARNING' },
  };
}

function stack(falco: FalcoSensorProps) {
  return synthStack({ cluster: { name: 'c1', provider: 'eks' }, sensors: { falco } });
}

describe('k8smeta plugin and k8s-metacollector (sensors.falco.kubernetesMetadata)', () => {
  test('GIVEN the opt-in with TLS THEN every object validates and the collector gets exactly the read-only ClusterRole', () => {
    const { objects } = stack({ kubernetesMetadata: { tls: TLS, collector: COLLECTOR } });
    expect(objects.map((o: K8sObject) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/falco', 'ConfigMap/falco-config', 'DaemonSet/falco', 'NetworkPolicy/falco',
      'ServiceAccount/k8s-metacollector', 'ClusterRole/k8s-metacollector', 'ClusterRoleBinding/k8s-metacollector',
      'Deployment/k8s-metacollector', 'Service/k8s-metacollector', 'NetworkPolicy/k8s-metacollector',
    ]);
    expect(schemaErrors(objects)).toEqual([]);
    const role = only(objects, 'ClusterRole', 'k8s-metacollector');
    // k8s-metacollector v0.1.1 cmd/collector/run/run.go watches exactly these kinds, through the informer cache.
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['endpoints', 'namespaces', 'pods', 'replicationcontrollers', 'services'], verbs: ['list', 'watch'] },
      { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]);
    for (const r of METACOLLECTOR_RULES) expect(r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    const binding = only(objects, 'ClusterRoleBinding', 'k8s-metacollector');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'k8s-metacollector', namespace: 'falco' }]);
  });

  test('THEN the collector serves TLS from the Secret and Falco trusts only the CA ConfigMap', () => {
    const { objects } = stack({ kubernetesMetadata: { tls: TLS, collector: COLLECTOR } });
    const deployment = only(objects, 'Deployment', 'k8s-metacollector');
    const pod = deployment.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe(`${IMAGE_PINS.k8sMetacollector.repository}:0.1.1@${COLLECTOR_DIGEST}`);
    expect(c.args).toEqual(['run', '--broker-server-cert=/etc/k8s-metacollector/tls/tls.crt', '--broker-server-key=/etc/k8s-metacollector/tls/tls.key']);
    expect(pod.volumes).toEqual([{ name: 'broker-tls', secret: { secretName: 'k8s-metacollector-tls', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } }]);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } });

    const { falcoYaml, pod: falcoPod, container } = falcoParts(objects);
    expect(falcoYaml.load_plugins).toEqual(['container', 'k8smeta']);
    expect(falcoYaml.plugins[1]).toEqual({
      name: 'k8smeta',
      library_path: '/usr/share/falco/plugins-k8smeta/libk8smeta.so',
      init_config: {
        collectorHostname: 'k8s-metacollector.falco.svc',
        collectorPort: 45000,
        nodeName: '${FALCO_K8S_NODE_NAME}',
        verbosity: 'info',
        caPEMBundle: '/etc/falco/k8smeta-ca/ca.crt',
      },
    });
    expect(container.env).toContainEqual({ name: 'FALCO_K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
    expect(container.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'k8smeta-plugin', mountPath: '/usr/share/falco/plugins-k8smeta', readOnly: true },
      { name: 'k8smeta-ca', mountPath: '/etc/falco/k8smeta-ca', readOnly: true },
    ]));
    expect(falcoPod.volumes).toContainEqual({ name: 'k8smeta-ca', configMap: { name: 'k8s-metacollector-ca' } });
    // Falco never sees the server's private key.
    expect(JSON.stringify(falcoPod)).not.toContain('k8s-metacollector-tls');
    expect(falcoPod.initContainers.map((i: K8sObject) => i.name)).toEqual(['falcoctl-k8smeta-install']);
    expect(falcoPod.initContainers[0].args.slice(0, 3)).toEqual(['artifact', 'install', 'ghcr.io/falcosecurity/plugins/plugin/k8smeta:0.4.1']);
    // Falco still needs no API access: its ServiceAccount has no token.
    expect(only(objects, 'ServiceAccount', 'falco').automountServiceAccountToken).toBe(false);
  });

  test('THEN the NetworkPolicies admit only Falco to the broker port and the collector only to the API server', () => {
    const { objects } = stack({ kubernetesMetadata: { tls: TLS, collector: COLLECTOR } });
    const policy = only(objects, 'NetworkPolicy', 'k8s-metacollector');
    expect(policy.spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } } }],
      ports: [{ port: 45000, protocol: 'TCP' }],
    }]);
    expect(policy.spec.egress).toEqual([{ ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] }]);
    const falco = only(objects, 'NetworkPolicy', 'falco');
    expect(falco.spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'k8s-metacollector', 'app.kubernetes.io/instance': 'k8s-metacollector' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } } }],
      ports: [{ port: 45000, protocol: 'TCP' }],
    });
  });

  test('GIVEN insecure with a reason THEN plaintext: no caPEMBundle, no cert flags', () => {
    const { objects } = stack({ kubernetesMetadata: { tls: { insecure: { reason: 'lab cluster without cert-manager yet' } }, collector: COLLECTOR } });
    expect(falcoParts(objects).falcoYaml.plugins[1].init_config.caPEMBundle).toBeUndefined();
    expect(only(objects, 'Deployment', 'k8s-metacollector').spec.template.spec.containers[0].args).toEqual(['run']);
  });

  test('GIVEN the opt-in off THEN nothing of it exists', () => {
    const { objects } = stack({});
    expect(objects.filter((o: K8sObject) => o.metadata.name.includes('metacollector'))).toEqual([]);
    expect(falcoParts(objects).falcoYaml.load_plugins).toEqual(['container']);
    expect(planStack({ cluster: { name: 'c1', provider: 'eks' } }).workloads.map((w) => w.name)).not.toContain('k8s-metacollector');
  });

  test('THEN the stack plan lists the collector as a workload', () => {
    const plan = planStack({ cluster: { name: 'c1', provider: 'oke' }, sensors: { falco: { kubernetesMetadata: { tls: TLS, collector: COLLECTOR } } } });
    expect(plan.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(['DaemonSet/falco', 'Deployment/k8s-metacollector']);
  });

  describe('bad input', () => {
    test.each([
      ['a short reason', { insecure: { reason: 'lab' } }, /DS-FALCO-019 at test\/sensors\.falco\.kubernetesMetadata\.tls\.insecure: .*reason/],
      ['a bad Secret name', { serverSecret: 'Bad_Name', caConfigMap: 'ca' }, /DS-FALCO-019 at test\/sensors\.falco\.kubernetesMetadata\.tls\.serverSecret: 'Bad_Name' is not the name of a Secret/],
    ])('%s', (_, tls, message) => {
      expect(() => stack({ kubernetesMetadata: { tls: tls as never, collector: COLLECTOR } })).toThrow(message);
    });

    test('the default collector release without a digest: DS-FALCO-032 with how to get one', () => {
      expect(() => stack({ kubernetesMetadata: { tls: TLS } }))
        .toThrow(/^DS-FALCO-032 at test\/sensors\.falco\.kubernetesMetadata\.collector\.image\.digest: the collector image docker\.io\/falcosecurity\/k8s-metacollector:0\.1\.1 has no digest this library could verify\. Fix: give its digest \(`crane digest docker\.io\/falcosecurity\/k8s-metacollector:0\.1\.1` prints it\)/);
    });

    test('a tag given on purpose runs by tag, and REPORT.md lists it', () => {
      const { objects } = stack({ kubernetesMetadata: { tls: TLS, collector: { image: { tag: '0.1.1' } } } });
      expect(only(objects, 'Deployment', 'k8s-metacollector').spec.template.spec.containers[0].image).toBe('docker.io/falcosecurity/k8s-metacollector:0.1.1');
      const plan = planStack({ cluster: { name: 'c1', provider: 'eks' }, sensors: { falco: { kubernetesMetadata: { tls: TLS, collector: { image: { tag: '0.1.1' } } } } } });
      expect(renderReportMarkdown(plan)).toContain(
        `| docker.io/falcosecurity/k8s-metacollector:0.1.1 | Deployment falco/k8s-metacollector, container k8s-metacollector | ${IMAGE_PINS.k8sMetacollector.source} |`);
    });

    test('a floating collector tag', () => {
      expect(() => stack({ kubernetesMetadata: { tls: TLS, collector: { image: { tag: 'latest' } } } }))
        .toThrow(/DS-FALCO-001 at test\/sensors\.falco\.kubernetesMetadata\.collector\.image\.tag: 'latest' is not a pinned release tag\. Fix: pin a release such as '0\.1\.1'/);
    });

    test('GIVEN a rule using k8smeta.deployment.name without the opt-in THEN an error with the fix', () => {
      expect(() => stack({ customRules: [rule('evt.type = execve and k8smeta.deployment.name = billing')] }))
        .toThrow(/DS-FALCO-021 at test\/sensors\.falco\.customRules\[0\]\.rule\.condition: k8smeta\.deployment\.name needs the k8smeta plugin, which this stack does not load\. Fix: turn on test\/sensors\.falco\.kubernetesMetadata/);
    });

    test('GIVEN k8smeta fields in the output, an exception or a macro without the opt-in THEN each is refused where it is', () => {
      expect(() => stack({ customRules: [rule('evt.type = execve', 'Shell (deployment=%k8smeta.deployment.name)')] }))
        .toThrow(/DS-FALCO-021 at test\/sensors\.falco\.customRules\[0\]\.rule\.output/);
      const withException = rule('evt.type = execve');
      expect(() => stack({ customRules: [{ ...withException, rule: { ...withException.rule, exceptions: [{ name: 'deploys', fields: ['k8smeta.deployment.name'], comps: ['='], values: [['billing']] }] } }] }))
        .toThrow(/DS-FALCO-021 at test\/sensors\.falco\.customRules\[0\]\.rule\.exceptions\[0\]\.fields/);
      expect(() => stack({ customMacros: [{ kind: 'macro', name: 'billing', condition: 'tolower(k8smeta.ns.label[team]) = billing' }] }))
        .toThrow(/DS-FALCO-021 at test\/sensors\.falco\.customMacros\[0\]\.condition/);
    });

    test('GIVEN the opt-in THEN k8smeta fields are admitted', () => {
      const { objects } = stack({ kubernetesMetadata: { tls: TLS, collector: COLLECTOR }, customRules: [rule('evt.type = execve and k8smeta.deployment.name = billing', 'Shell (deployment=%k8smeta.deployment.name)')] });
      const [file] = Object.values(only(objects, 'ConfigMap', 'falco-rules-payments').data) as string[];
      expect(parse(file)[0]).toMatchObject({ rule: 'Shell in a deployment', condition: 'evt.type = execve and k8smeta.deployment.name = billing' });
    });

    test.each([
      [false, 'k8s.deployment.name', /DS-FALCO-020 at .*rule\.condition: k8s\.deployment\.name is a deprecated field of the container plugin and never has a value\. Fix: turn on test\/sensors\.falco\.kubernetesMetadata .* and use k8smeta\.deployment\.name/],
      [true, 'k8s.deployment.name', /DS-FALCO-020 .*Fix: use k8smeta\.deployment\.name$/],
      [true, 'k8s.ns.id', /DS-FALCO-020 .*Fix: use k8smeta\.ns\.uid$/],
    ])('GIVEN opt-in %s and a rule using %s THEN an error with the replacement', (on, field, message) => {
      expect(() => stack({ ...(on ? { kubernetesMetadata: { tls: TLS, collector: COLLECTOR } } : {}), customRules: [rule(`evt.type = execve and ${field} = billing`)] })).toThrow(message);
    });

    test('the container plugin\'s own k8s fields stay admitted without the opt-in', () => {
      expect(() => stack({ customRules: [rule('evt.type = execve and k8s.ns.name = billing and k8s.pod.label[app] = api')] })).not.toThrow();
    });
  });
});

describe('deliveries of the opt-in', () => {
  const plan = (tls: KubernetesMetadataTls = TLS) => planStack({ cluster: { name: 'c1', provider: 'aks' }, sensors: { falco: { kubernetesMetadata: { tls, collector: COLLECTOR } } } });
  const falcoRelease = (p = plan()) => helmDelivery(p).releases.find((r) => r.chart.name === 'falco')!;
  const planned = (p = plan()) => p.falco!.kubernetesMetadata!;

  // falco chart 9.1.0 values.yaml: `falco.plugins`, `falco.load_plugins`, `extra.initContainers`, `mounts.volumes`,
  // `mounts.volumeMounts`, `collectors.kubernetes.enabled` (../shared/corpora/helm-values/falco-9.1.0-values.yaml; the
  // conformance test test/conformance/helm-values.test.ts checks every key against it). templates/pod-template.tpl
  // sets FALCO_K8S_NODE_NAME from spec.nodeName and copies extra.initContainers and mounts.* as they are.
  test('Helm: the falco release loads k8smeta with TLS and installs it with falcoctl; the chart\'s plaintext subchart stays off', () => {
    const values = falcoRelease().values as Record<string, any>;
    expect(values.collectors.kubernetes).toEqual({ enabled: false });
    expect(values.falco.load_plugins).toEqual(['container', 'k8smeta']);
    const entry = values.falco.plugins.find((p: { name: string }) => p.name === 'k8smeta');
    expect(entry).toEqual({ name: 'k8smeta', library_path: '/usr/share/falco/plugins-k8smeta/libk8smeta.so', init_config: planned().plugin.initConfig });
    expect(entry.init_config).toMatchObject({ caPEMBundle: '/etc/falco/k8smeta-ca/ca.crt', collectorHostname: 'k8s-metacollector.falco.svc', collectorPort: 45000, nodeName: '${FALCO_K8S_NODE_NAME}' });
    expect(values.extra.initContainers.map((c: { name: string; args: string[] }) => [c.name, c.args[2]]))
      .toEqual([['falcoctl-k8smeta-install', 'ghcr.io/falcosecurity/plugins/plugin/k8smeta:0.4.1']]);
    expect(values.mounts.volumes).toContainEqual({ name: 'k8smeta-ca', configMap: { name: 'k8s-metacollector-ca' } });
    expect(values.mounts.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'k8smeta-plugin', mountPath: '/usr/share/falco/plugins-k8smeta', readOnly: true },
      { name: 'k8smeta-ca', mountPath: '/etc/falco/k8smeta-ca', readOnly: true },
    ]));
    expect(values.extra.env).toBeUndefined();
  });

  test('Helm and Operator: the collector is the stack\'s own objects, listed with where they come from', () => {
    const helm = falcoRelease().notExpressed.find((n) => n.what.startsWith('the k8s-metacollector'));
    expect(helm).toMatchObject({ what: expect.stringContaining('TLS with the Secret k8s-metacollector-tls'), instead: expect.stringMatching(/^apply the objects named k8s-metacollector from the synthesized manifests in falco/) });
    const op = operatorDelivery(plan()).notExpressed.find((n) => n.what.startsWith('the k8s-metacollector'));
    expect(op).toMatchObject({ what: expect.stringContaining('TLS on the broker'), instead: expect.stringMatching(/^apply the objects named k8s-metacollector/) });
    expect(operatorDelivery(plan({ insecure: { reason: 'lab cluster, no CA yet' } })).notExpressed.find((n) => n.what.startsWith('the k8s-metacollector'))!.what)
      .not.toContain('TLS');
  });

  // The collector's NetworkPolicy admits the Falco pods by their selector labels. The falco chart labels its pods
  // app.kubernetes.io/name: the chart's name (falco) and app.kubernetes.io/instance: the release name
  // (templates/_helpers.tpl `falco.selectorLabels`); the operator's Falco pods carry the pod template's labels.
  test('Helm and Operator: the Falco pods they run are the ones the collector\'s NetworkPolicy admits', () => {
    const p = plan();
    const collector = p.workloads.find((w) => w.name === 'k8s-metacollector')!;
    const [peer] = collector.networkPolicy!.ingress![0].peers as { pods: Record<string, string>; namespace: string }[];
    const release = falcoRelease(p);
    expect({ 'app.kubernetes.io/name': release.chart.name, 'app.kubernetes.io/instance': release.releaseName }).toEqual(peer.pods);
    expect(release.namespace).toBe(peer.namespace);
    const falcoCr = operatorDelivery(p).objects.find((o) => o.kind === 'Falco')!;
    expect(falcoCr.spec.podTemplateSpec.metadata.labels).toMatchObject(peer.pods);
    expect(falcoCr.metadata.namespace).toBe(peer.namespace);
  });

  test('Helm: plaintext opted out leaves the CA out', () => {
    const values = falcoRelease(plan({ insecure: { reason: 'lab cluster, no CA yet' } })).values as Record<string, any>;
    expect(values.falco.plugins.find((p: { name: string }) => p.name === 'k8smeta').init_config.caPEMBundle).toBeUndefined();
    expect(values.mounts.volumes.map((v: { name: string }) => v.name)).not.toContain('k8smeta-ca');
  });

  // falco-operator 0.4.1 Plugin CRD (../shared/corpora/falco-operator-crds/artifact.falcosecurity.dev_plugins.yaml):
  // spec.ociArtifact.{image.{repository,tag},registry.name} and spec.config.{name,libraryPath,initConfig}; the
  // conformance test test/conformance/falco-operator.test.ts validates every resource against the CRDs.
  test('Operator: a Plugin k8smeta with the planned init_config, the CA and node name on the Falco pod', () => {
    const { objects } = operatorDelivery(plan());
    const plugin = objects.find((o) => o.kind === 'Plugin' && o.metadata.name === 'k8smeta')!;
    expect(plugin.spec).toEqual({
      ociArtifact: { image: { repository: 'falcosecurity/plugins/plugin/k8smeta', tag: '0.4.1' }, registry: { name: 'ghcr.io' } },
      config: { name: 'k8smeta', libraryPath: 'libk8smeta.so', initConfig: planned().plugin.initConfig },
    });
    const pod = objects.find((o) => o.kind === 'Falco')!.spec.podTemplateSpec.spec;
    expect(pod.volumes).toContainEqual({ name: 'k8smeta-ca', configMap: { name: 'k8s-metacollector-ca' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'k8smeta-ca', mountPath: '/etc/falco/k8smeta-ca', readOnly: true });
    expect(pod.containers[0].env).toEqual([{ name: 'FALCO_K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
  });

  test('GIVEN the opt-in off THEN neither delivery carries k8smeta', () => {
    const off = planStack({ cluster: { name: 'c1', provider: 'aks' } });
    const values = falcoRelease(off).values as Record<string, any>;
    expect(values.extra).toBeUndefined();
    expect(values.falco.load_plugins).not.toContain('k8smeta');
    expect(operatorDelivery(off).objects.filter((o) => o.metadata.name === 'k8smeta')).toEqual([]);
    expect(operatorDelivery(off).objects.find((o) => o.kind === 'Falco')!.spec.podTemplateSpec.spec.containers[0].env).toBeUndefined();
  });
});

test('the Pulumi path applies the same objects: the chart it takes them from holds the collector', () => {
  const chart = new DetectionStack(Testing.app(), 'pulumi', {
    cluster: { name: 'c1', provider: 'oke' }, sensors: { falco: { kubernetesMetadata: { tls: TLS, collector: COLLECTOR } } }, durable: { waived: { reason: 'no bucket in this unit test' } },
  });
  const { rest } = splitObjects(chartObjects(chart));
  expect(rest.filter((o) => o.metadata?.name === 'k8s-metacollector').map((o) => o.kind).sort())
    .toEqual(['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'NetworkPolicy', 'Service', 'ServiceAccount']);
});

test('GIVEN a fleet whose cluster turns the opt-in on THEN that cluster\'s manifests, Helm values and Operator resources carry it', () => {
  const props = threeProviderFleet();
  const fleet = new DetectionFleet(Testing.app(), 'acme', {
    ...props,
    clusters: props.clusters.map((c, i) => (i === 0
      ? { ...c, overrides: { sensors: { falco: { kubernetesMetadata: { tls: TLS, collector: COLLECTOR } } } } }
      : c)),
  });
  const dir = mkdtempSync(join(tmpdir(), 'ds-k8smeta-fleet-'));
  fleet.writeTo(dir);
  const files = (readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(sep).join('/'));
  const [first, second] = props.clusters.map((c) => c.name);
  const text = (prefix: string) => files.filter((f) => f.startsWith(prefix) && f.endsWith('.yaml')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  expect(text(`${first}/helm/`)).toContain('falcoctl-k8smeta-install');
  expect(text(`${first}/operator/`)).toMatch(/kind: Plugin\n[\s\S]*name: k8smeta/);
  expect(text(`${first}/`)).toContain('name: k8s-metacollector');
  expect(text(`${second}/`)).not.toContain('k8smeta');
});
